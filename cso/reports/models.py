"""The statistics table 培育发展情况统计表 of one division and one reporting round, its versions,
its events, the rounds of each province, the chosen columns and the chasing of late divisions.

A county's table (rows: its streets and townships) is prepared by the county's clerk (制表人),
reviewed and submitted by another account of the county (审核人), and accepted (通过) or returned
(退回) by its city; a city's roll-up of its counties' accepted tables goes the same way to the
province. ``data`` is the table itself, written by the statistics engine when the draft is generated
and frozen from the moment it is submitted. A returned table is corrected as a new version; the
old one is kept.

Rounds (轮次) are data per province: a reference date (截至) and a deadline each, repeating every
year. A table counts new and ended organizations in the half-open interval (previous round's
reference date, this round's reference date], so consecutive rounds tile the year.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from cso.accounts.choices import Role
from cso.accounts.responsibilities import Facts, can
from cso.core.scoping import CHANGE, VIEW, ScopedManager, ScopedModel, ScopedQuerySet
from cso.regions import codes

from .choices import STATUS_BADGES, EventKind, ReportStatus

# Roles that read tables of their subtree (what each may do is in the responsibilities table).
READER_ROLES = (Role.CIVIL_AFFAIRS, Role.ADMIN)
# Roles that see the rows of the county table built from their own street or community.
ROW_READER_ROLES = (Role.STREET, Role.COMMUNITY)
# Statuses of a table that has left its division (the level above and the streets may read it).
SENT = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.SUPERSEDED)


def can_read(user) -> bool:
    """Whether the account reads tables at all (menus): staff of a subtree, or a street's / community's rows."""
    return bool(user.is_authenticated and user.is_active and (
        user.is_superuser or can(user, "reports.view") or can(user, "reports.view_own_rows")))


def county_of(code: str) -> str:
    """The 12-digit code of the county above (or at) a street or community code."""
    return codes.pad_code(code[: codes.PREFIX_LENGTH[codes.COUNTY]])


class ReportQuerySet(ScopedQuerySet):
    def visible_to(self, user, action: str = VIEW):
        """Staff read their subtree (the scoping mechanism); a street's or a community's account reads the
        sent table of its county — the table built from it — and nothing else (its rows are picked by the view)."""
        if (action == VIEW and getattr(user, "is_authenticated", False) and user.is_active
                and not user.is_superuser and user.role in ROW_READER_ROLES and user.division_id
                and can(user, "reports.view_own_rows")):
            return self.filter(division_id=county_of(user.division_id), status__in=SENT)
        return super().visible_to(user, action)


class ReportManager(ScopedManager.from_queryset(ReportQuerySet)):
    pass


class ReportingRound(ScopedModel):
    """One reporting round of a province, repeating every year: the table counts up to the reference date
    (截至) and is due by the deadline. A province without rounds of its own uses seed 000's three."""

    province = models.ForeignKey(
        "regions.Division", verbose_name="省级区划", on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"level": codes.PROVINCE},
    )
    reference_month = models.PositiveSmallIntegerField("截至（月）", validators=[MinValueValidator(1),
                                                                               MaxValueValidator(12)])
    reference_day = models.PositiveSmallIntegerField("截至（日）", validators=[MinValueValidator(1),
                                                                             MaxValueValidator(31)])
    deadline_month = models.PositiveSmallIntegerField("报送期限（月）", validators=[MinValueValidator(1),
                                                                                 MaxValueValidator(12)])
    deadline_day = models.PositiveSmallIntegerField("报送期限（日）", validators=[MinValueValidator(1),
                                                                               MaxValueValidator(31)])
    source = models.CharField("依据", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设置人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    history = HistoricalRecords()
    scope_field = "province"

    class Meta:
        verbose_name = "报送轮次"
        verbose_name_plural = "报送轮次"
        ordering = ["province_id", "reference_month", "reference_day"]
        constraints = [
            models.UniqueConstraint(fields=["province", "reference_month", "reference_day"],
                                    name="reports_round_unique_reference",
                                    violation_error_message="本省已有截至同一日期的报送轮次。"),
        ]

    def __str__(self):
        return (f"截至{self.reference_month}月{self.reference_day}日，"
                f"{self.deadline_month}月{self.deadline_day}日前报送")

    def responsibility_facts(self) -> Facts:
        return Facts(division=self.province_id)

    @classmethod
    def scope_extra_q(cls, user, action):
        if action == VIEW:
            return Q()
        return Q() if can(user, "reports.rounds") else None


class ColumnLayout(ScopedModel):
    """The columns a province chose for its tables, from the defined indicators (none: the proposed layout).
    Tables generated after the choice use it; a frozen table keeps the columns it was generated with."""

    province = models.OneToOneField(
        "regions.Division", verbose_name="省级区划", on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"level": codes.PROVINCE},
    )
    columns = models.JSONField("栏目", default=list, help_text="指标键名的列表，按显示顺序。")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设置人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    scope_field = "province"

    class Meta:
        verbose_name = "统计表栏目"
        verbose_name_plural = "统计表栏目"

    def __str__(self):
        return f"{self.province_id}：{len(self.columns)} 栏"

    def responsibility_facts(self) -> Facts:
        return Facts(division=self.province_id)

    @classmethod
    def scope_extra_q(cls, user, action):
        if action == VIEW:
            return Q()
        return Q() if can(user, "reports.columns") else None


class QuarterlyReport(ScopedModel):
    """One version of a division's table for one round (a county's, or a city's roll-up)."""

    division = models.ForeignKey(
        "regions.Division", verbose_name="填报区划", on_delete=models.PROTECT, related_name="quarterly_reports",
        limit_choices_to={"level__in": (codes.CITY, codes.COUNTY)},
    )
    year = models.PositiveSmallIntegerField("年度")
    reference_date = models.DateField("截至日期（轮次）")
    deadline = models.DateField("报送期限")
    round_label = models.CharField("轮次", max_length=60, blank=True)
    version = models.PositiveSmallIntegerField("版本", default=1)
    status = FSMField("状态", max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    as_of = models.DateField("统计截止日期")
    period_start = models.DateField("本期起始日期")
    data = models.JSONField("报表数据", default=dict, help_text="生成时的列定义、各行、合计行、城市社区口径和目标值。")
    totals = models.JSONField(
        "汇总用合计数", default=dict, editable=False,
        help_text="合计行中汇总时相加的计数（各列计数及比率的分子、分母），与报表数据中的合计行相同，"
                  "单独保存以便汇总时不读取整张表。",
    )
    urban_rule_label = models.CharField("城市社区口径", max_length=200, blank=True, editable=False)
    generated_at = models.DateTimeField("生成时间")
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制表人账号", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    prepared_by_name = models.CharField("制表人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人账号", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer_name = models.CharField("审核人", max_length=50, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上级审批人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("上级审批时间", null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    correction_reason = models.TextField("更正原因", blank=True)
    previous_version = models.OneToOneField(
        "self", verbose_name="上一版本", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )

    history = HistoricalRecords(excluded_fields=["data", "totals"])

    objects = ReportManager()
    scope_field = "division"

    class Meta:
        verbose_name = "统计报表"
        verbose_name_plural = "统计报表"
        ordering = ["division_id", "-reference_date", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["division", "reference_date", "version"], name="report_unique_version"),
            models.UniqueConstraint(
                fields=["division", "reference_date"], condition=~Q(status__in=["superseded", "returned"]),
                name="report_one_live_version",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
        ]
        indexes = [models.Index(fields=["reference_date", "division"], name="report_round_division")]

    def __str__(self):
        return f"{self.division.name} {self.round_title}（第{self.version}版）"

    def save(self, *args, **kwargs):
        # A table written without its roll-up counts (by hand, or by older code) gets them from its total row.
        if self.data and not self.totals:
            self.totals = (self.data.get("total") or {}).get("values") or {}
        if self.data and not self.urban_rule_label:
            self.urban_rule_label = (self.data.get("urban_rule_label") or "")[:200]
        super().save(*args, **kwargs)

    def responsibility_facts(self) -> Facts:
        prefix = self.division_id[: codes.PREFIX_LENGTH[codes.COUNTY]]

        def built_from(user) -> bool:  # a street / community inside the county whose table this is, once sent
            return bool(self.division_id == county_of(self.division_id) and self.status in SENT
                        and user.division_id and user.division_id.startswith(prefix)
                        and user.division_id != self.division_id)

        return Facts(division=self.division_id, linked=built_from)

    @classmethod
    def scope_extra_q(cls, user, action):
        if user.is_superuser:
            return Q()
        if action == VIEW and can(user, "reports.view"):
            # a draft is its division's own work; the levels above see a table once it is sent
            return Q(division_id=user.division_id) | Q(status__in=SENT) | Q(status=ReportStatus.RETURNED)
        if action == CHANGE and can(user, "reports.prepare"):
            return Q(division_id=user.division_id)
        return None

    # --- the approval chain (django-fsm: a transition from a wrong state raises) ------------------
    @transition(field=status, source=ReportStatus.DRAFT, target=ReportStatus.SUBMITTED)
    def send_up(self):
        """审核并报送: the division's reviewer sends the draft to the level above."""

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.ACCEPTED)
    def accept(self):
        """通过: the level above accepts the table; it is locked."""

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.RETURNED)
    def send_back(self):
        """退回: the level above returns the table; the division corrects it as a new version."""

    @property
    def is_county(self) -> bool:
        return self.division.level == codes.COUNTY

    @property
    def round_title(self) -> str:
        label = self.round_label or "报送"
        return f"{self.year}年{label}（截至{self.reference_date.month}月{self.reference_date.day}日）"

    @property
    def quarter_label(self) -> str:  # older templates and exports
        return self.round_title

    @property
    def title(self) -> str:
        kind = "培育发展情况统计表" if self.is_county else "培育发展情况汇总表"
        return f"{self.division.name}社区社会组织{kind}（{self.round_title}）"

    @property
    def is_frozen(self) -> bool:
        return self.status != ReportStatus.DRAFT

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.ACCEPTED

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES[self.status]

    @property
    def interval_label(self) -> str:
        """The half-open interval of the period's changes, stated on the page: (day before the start, as of]."""
        return f"（{self.period_start - timedelta(days=1):%Y-%m-%d}，{self.as_of:%Y-%m-%d}］"


class ReportEvent(ScopedModel):
    """One step of a table's life: prepared, regenerated, submitted, returned, accepted, corrected."""

    report = models.ForeignKey(QuarterlyReport, verbose_name="报表", on_delete=models.CASCADE, related_name="events")
    division = models.ForeignKey("regions.Division", verbose_name="填报区划", on_delete=models.PROTECT,
                                 related_name="+")
    kind = models.CharField("事项", max_length=12, choices=EventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_name = models.CharField("操作人姓名", max_length=50)
    user_division = models.CharField("操作人所属区划", max_length=60, blank=True)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    scope_field = "division"

    class Meta:
        verbose_name = "报表操作记录"
        verbose_name_plural = "报表操作记录"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.user_name} {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def scope_extra_q(cls, user, action):
        if user.is_superuser:
            return Q()
        if action == VIEW and can(user, "reports.view"):
            return (Q(division_id=user.division_id) | Q(report__status__in=SENT)
                    | Q(report__status=ReportStatus.RETURNED))
        return None


class Reminder(ScopedModel):
    """催报: the level above chases a division whose table of a round is late. The row is also the notice
    the chased division's accounts see on their page (a notifications app comes later)."""

    division = models.ForeignKey("regions.Division", verbose_name="被催报区划", on_delete=models.PROTECT,
                                 related_name="+")
    reference_date = models.DateField("截至日期（轮次）")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="催报人", null=True,
                             on_delete=models.SET_NULL, related_name="+")
    user_name = models.CharField("催报人姓名", max_length=50)
    user_division = models.CharField("催报单位", max_length=60, blank=True)
    note = models.CharField("催报说明", max_length=500, blank=True)
    created_at = models.DateTimeField("催报时间", auto_now_add=True)

    scope_field = "division"

    class Meta:
        verbose_name = "催报记录"
        verbose_name_plural = "催报记录"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"催报 {self.division_id} {self.reference_date}"

    @classmethod
    def scope_extra_q(cls, user, action):
        if user.is_superuser:
            return Q()
        return Q() if action == VIEW and can(user, "reports.view") else None


class Overdue:
    """A division's round as an object of the responsibilities table (催报 acts on it, no table may exist)."""

    def __init__(self, division_code: str):
        self.division_code = division_code

    def responsibility_facts(self) -> Facts:
        return Facts(division=self.division_code)

