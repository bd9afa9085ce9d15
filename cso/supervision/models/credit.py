"""Credit information and the two credit lists (《社会组织信用信息管理办法》，民政部令第60号; RULES.md "Credit lists").

The inputs of the rules are ``CreditEvent`` rows: one fact each (an annual report missing, a penalty decided, letters
returned unsigned, a correction verified …), recorded by staff, by an enforcement case, or — later — by the annual
reports and the inspections through ``cso.supervision.credit.record_event``. ``cso.supervision.credit_rules`` turns an
organization's events into list entries; the runner (``credit_runner``) writes them as ``ListEntry`` rows that the
registering body confirms or dismisses. ``EnforcementCase`` is a case of 执法监察 whose decided penalty is an event.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from cso.core.scoping import ScopedModel
from cso.orgs.models import Organization, linked_q


class EventKind(models.TextChoices):
    ANNUAL_REPORT_MISSING = "annual_report_missing", "未按规定报送年度工作报告"
    ANNUAL_REPORT_FALSE = "annual_report_false", "年度工作报告不符合要求（弄虚作假）"
    INSPECTION_FAILED = "inspection_failed", "抽查（监督检查）发现问题逾期未整改"
    PENALTY = "penalty", "行政处罚"
    UNREACHABLE = "unreachable", "通过登记的住所无法取得联系（挂号信两次未签收）"
    NO_PARTY_ORGANIZATION = "no_party_org", "未按规定设立党组织"
    COURT_DISHONEST = "court_dishonest", "被司法机关纳入失信被执行人名单"
    CORRECTED = "corrected", "已履行义务、完成整改（经核实）"
    EXIT_APPLICATION = "exit_application", "申请移出严重违法失信名单"
    OTHER = "other", "其他信用信息（不引起列入）"


class PenaltyType(models.TextChoices):
    WARNING = "warning", "警告"
    FINE = "fine", "罚款"
    CONFISCATION = "confiscation", "没收违法所得、非法财产"
    SUSPENSION = "suspension", "限期停止活动"
    CHANGE_REVOKED = "change_revoked", "弄虚作假办理变更登记，被撤销变更登记"
    REVOCATION = "revocation", "撤销登记、吊销登记证书"


class CreditList(models.TextChoices):
    ABNORMAL = "abnormal", "活动异常名录"
    SERIOUS = "serious", "严重违法失信名单"


class EntryState(models.TextChoices):
    PROPOSED = "proposed", "待确认"
    CONFIRMED = "confirmed", "已列入"
    DISMISSED = "dismissed", "不予列入"
    EXITED = "exited", "已移出"


OPEN_STATES = (EntryState.PROPOSED, EntryState.CONFIRMED)


def _org_facts(org):
    return org.responsibility_facts()


class _OrgScoped(ScopedModel):
    """Placed where its organization is; staff read their subtree, an organization's account its own only."""

    scope_field = "organization__division"

    class Meta:
        abstract = True

    @classmethod
    def scope_extra_q(cls, user, action):
        if user.is_superuser or getattr(user, "is_staff_role", False):
            return Q()
        if action == "view":
            return linked_q(user, prefix="organization__")
        return None

    def responsibility_facts(self):
        return _org_facts(self.organization)


class CreditEvent(_OrgScoped):
    """One credit fact of an organization: the input of the list rules."""

    organization = models.ForeignKey(Organization, verbose_name="组织", on_delete=models.CASCADE,
                                     related_name="credit_events")
    kind = models.CharField("类型", max_length=24, choices=EventKind.choices)
    penalty_type = models.CharField("处罚种类", max_length=16, choices=PenaltyType.choices, blank=True)
    fine_amount = models.DecimalField("罚款金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    date = models.DateField("发生日期")
    source = models.CharField("来源", max_length=200, blank=True,
                              help_text="如：2026年度年报、执法监察案件编号、挂号信回执。")
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL,
                                    verbose_name="来源记录类型")
    source_id = models.PositiveBigIntegerField("来源记录", null=True, blank=True)
    source_object = GenericForeignKey("source_type", "source_id")
    basis = models.CharField("依据", max_length=300, blank=True)
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "信用记录"
        verbose_name_plural = "信用记录"
        ordering = ["organization_id", "date", "id"]
        indexes = [
            models.Index(fields=["organization", "date"], name="credit_event_org_date"),
            models.Index(fields=["recorded_at"], name="credit_event_recorded"),  # the incremental run
            models.Index(fields=["date"], name="credit_event_date"),  # events dated since the last run
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class ListEntry(_OrgScoped):
    """One stay of an organization on one list (an episode), from its entry to its exit."""

    organization = models.ForeignKey(Organization, verbose_name="组织", on_delete=models.CASCADE,
                                     related_name="credit_entries")
    credit_list = models.CharField("名录", max_length=10, choices=CreditList.choices)
    state = models.CharField("状态", max_length=10, choices=EntryState.choices, default=EntryState.PROPOSED)
    entered_on = models.DateField("列入日期")
    reason_code = models.CharField("列入情形", max_length=32)
    basis = models.CharField("依据", max_length=300)
    chain = models.JSONField("理由链", default=list, help_text="引起列入（及延续）的信用记录，按日期。")
    needs_correction = models.BooleanField("须纠正后移出", default=False)
    earliest_exit_on = models.DateField("可移出日期", null=True, blank=True)
    escalates_on = models.DateField("转入严重违法失信名单日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_reason = models.TextField("决定理由", blank=True)
    exit_on = models.DateField("移出日期", null=True, blank=True)
    exit_reason = models.CharField("移出原因", max_length=200, blank=True)
    proposed_by_run = models.ForeignKey("supervision.CreditRun", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name="提出的规则运行")
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "名录列入"
        verbose_name_plural = "名录列入"
        ordering = ["-entered_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "credit_list"],
                                    condition=Q(state__in=["proposed", "confirmed"]),
                                    name="credit_one_open_entry_per_list"),
        ]
        indexes = [
            models.Index(fields=["credit_list", "state", "entered_on"], name="credit_entry_published"),
            # the timers due (the incremental run), open entries only
            models.Index(fields=["escalates_on"], name="credit_entry_escalates",
                         condition=Q(state__in=["proposed", "confirmed"])),
            models.Index(fields=["earliest_exit_on"], name="credit_entry_exit_due",
                         condition=Q(state__in=["proposed", "confirmed"])),
        ]

    def __str__(self):
        return f"{self.organization} {self.get_credit_list_display()} {self.entered_on}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def was_published(self) -> bool:
        """Confirmed once (an exit of a published entry is published too)."""
        return self.state == EntryState.CONFIRMED or (self.state == EntryState.EXITED and self.decided_at is not None)


class Objection(_OrgScoped):
    """An organization's objection to its entry (异议), answered by the body that decides the lists."""

    entry = models.ForeignKey(ListEntry, verbose_name="名录列入", on_delete=models.CASCADE, related_name="objections")
    organization = models.ForeignKey(Organization, verbose_name="组织", on_delete=models.CASCADE, related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出账号", on_delete=models.PROTECT,
                                 related_name="+")
    filed_at = models.DateTimeField("提出时间", auto_now_add=True)
    text = models.TextField("异议内容", max_length=2000)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["-filed_at", "id"]


class EnforcementCase(_OrgScoped):
    """A case of 执法监察 against an organization; its decided penalty is a credit event."""

    organization = models.ForeignKey(Organization, verbose_name="组织", on_delete=models.PROTECT,
                                     related_name="enforcement_cases")
    number = models.CharField("案件编号", max_length=40, unique=True)
    facts = models.TextField("违法事实", max_length=4000)
    basis = models.CharField("处罚依据", max_length=300, blank=True)
    decision = models.TextField("处理决定", blank=True, max_length=4000)
    penalty_type = models.CharField("处罚种类", max_length=16, choices=PenaltyType.choices, blank=True)
    fine_amount = models.DecimalField("罚款金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    opened_on = models.DateField("立案日期")
    decided_on = models.DateField("决定日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="立案人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "执法监察案件"
        verbose_name_plural = "执法监察案件"
        ordering = ["-opened_on", "-id"]

    def __str__(self):
        return self.number


class CreditRun(models.Model):
    """One run of the credit rules (what it looked at and what it changed)."""

    as_of = models.DateField("计算日期")
    division_prefix = models.CharField("区划范围", max_length=12, blank=True)
    full = models.BooleanField("全量", default=False)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, default="running")
    organizations = models.PositiveIntegerField("计算的组织数", default=0)
    proposed = models.PositiveIntegerField("提出列入", default=0)
    updated = models.PositiveIntegerField("更新计时", default=0)
    exited = models.PositiveIntegerField("移出", default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "信用规则运行"
        verbose_name_plural = "信用规则运行"
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.as_of} {self.division_prefix or '全国'}"
