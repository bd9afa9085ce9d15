"""The quarterly statistics table 培育发展情况统计表 of one county, its versions and its events.

A report belongs to a county (level 3) and is scoped by the county's code. Its ``data`` is the
table itself, written by the statistics engine when the draft is generated and frozen from the
moment it is submitted: later registry edits never alter a submitted table. A correction is a new
version; the old one is kept, marked as superseded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cso.accounts.choices import Role
from cso.core.scoping import CHANGE, VIEW, ScopedModel
from cso.regions import codes

from .choices import STATUS_BADGES, EventKind, ReportStatus

# Roles that prepare, review and submit a county's table (bound to that county).
PREPARER_ROLES = (Role.CIVIL_AFFAIRS, Role.ADMIN)
# Roles that read tables (within their subtree).
READER_ROLES = (Role.CIVIL_AFFAIRS, Role.ADMIN)


def can_prepare(user) -> bool:
    """County civil-affairs staff (or a county administrator): the only ones who change a table."""
    return bool(
        user.is_authenticated and user.is_active and not user.is_superuser and user.role in PREPARER_ROLES
        and user.division_id and user.division.level == codes.COUNTY
    )


def can_read(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role in READER_ROLES))


class QuarterlyReport(ScopedModel):
    county = models.ForeignKey(
        "regions.Division", verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="quarterly_reports",
        limit_choices_to={"level": codes.COUNTY},
    )
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", choices=[(q, f"第{q}季度") for q in range(1, 5)])
    version = models.PositiveSmallIntegerField("版本", default=1)
    status = models.CharField("状态", max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
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
    correction_reason = models.TextField("更正原因", blank=True)
    previous_version = models.OneToOneField(
        "self", verbose_name="上一版本", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )

    history = HistoricalRecords(excluded_fields=["data", "totals"])

    scope_field = "county"

    class Meta:
        verbose_name = "季度统计报表"
        verbose_name_plural = "季度统计报表"
        ordering = ["county_id", "-year", "-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year", "quarter", "version"], name="report_unique_version"),
            models.UniqueConstraint(
                fields=["county", "year", "quarter"], condition=~Q(status="superseded"), name="report_one_live_version"
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="report_quarter_1_4"),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
        ]
        indexes = [models.Index(fields=["year", "quarter", "county"], name="report_quarter_county")]

    def __str__(self):
        return f"{self.county.name} {self.year}年第{self.quarter}季度（第{self.version}版）"

    def save(self, *args, **kwargs):
        # A table written without its roll-up counts (by hand, or by older code) gets them from its total row.
        if self.data and not self.totals:
            self.totals = (self.data.get("total") or {}).get("values") or {}
        if self.data and not self.urban_rule_label:
            self.urban_rule_label = (self.data.get("urban_rule_label") or "")[:200]
        super().save(*args, **kwargs)

    @classmethod
    def scope_extra_q(cls, user, action):
        if action == VIEW and can_read(user):
            if user.is_superuser or user.division.level == codes.COUNTY:
                return Q()
            # above the county, a table is seen once it has been submitted (drafts are the county's work)
            return Q(submitted_at__isnull=False)
        if action == CHANGE and can_prepare(user):
            return Q(county_id=user.division_id)
        return None

    @property
    def title(self) -> str:
        return f"{self.county.name}社区社会组织培育发展情况统计表（{self.year}年第{self.quarter}季度）"

    @property
    def quarter_label(self) -> str:
        return f"{self.year}年第{self.quarter}季度"

    @property
    def is_frozen(self) -> bool:
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.SUPERSEDED)

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES[self.status]


class ReportEvent(ScopedModel):
    """One step of a table's life: generated, regenerated, reviewed, returned, submitted, corrected."""

    report = models.ForeignKey(QuarterlyReport, verbose_name="报表", on_delete=models.CASCADE, related_name="events")
    county = models.ForeignKey("regions.Division", verbose_name="县（市、区）", on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField("事项", max_length=12, choices=EventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_name = models.CharField("操作人姓名", max_length=50)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    scope_field = "county"

    class Meta:
        verbose_name = "报表操作记录"
        verbose_name_plural = "报表操作记录"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.user_name} {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def scope_extra_q(cls, user, action):
        if action == VIEW and can_read(user):
            if user.is_superuser or user.division.level == codes.COUNTY:
                return Q()
            return Q(report__submitted_at__isnull=False)
        return None
