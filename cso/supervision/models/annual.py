"""Annual reports (年检年报, RULES.md "Annual report"; seed 000: 各县（市、区）民政局通过随机抽查、年检年报……
加强对已登记社区社会组织的事中事后监管).

One ``AnnualReport`` per registered organization and report year, with the three parts RULES.md lists: the work
report (年度工作报告), the financial report under 民间非营利组织会计制度 (its key figures) and the party-building report
(党建工作报告); a remediation report (整改情况报告) where last year's conclusion was 基本合格 or 不合格 (Jiaxing).
The organization's account fills it in (draft → submitted); the supervising bureau returns it for correction
(退回修改 → the organization corrects and submits again) or reviews it: 合格 / 基本合格 / 不合格 with reasons.
Once submitted nothing of the report changes except through a return. Every move is an ``AnnualReportEvent``
(who, when, what, why). Attachments are stored outside the web root (``cso.core.privatefiles``), checked by
content (``cso.core.filetypes``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from cso.core.attachments import PrivateFile
from cso.core.scoping import VIEW, ScopedManager, ScopedModel


class AnnualState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交（待审查）"
    RETURNED = "returned", "退回修改"
    REVIEWED = "reviewed", "已审查"


class Conclusion(models.TextChoices):
    PASS = "pass", "合格"
    BASIC = "basic", "基本合格"
    FAIL = "fail", "不合格"


EDITABLE_STATES = (AnnualState.DRAFT, AnnualState.RETURNED)
FILED_STATES = (AnnualState.SUBMITTED, AnnualState.RETURNED, AnnualState.REVIEWED)  # submitted at least once

# The parts of the form, in order: (field, label) — the same names the messages give.
WORK_FIELDS = ("work_compliance", "work_changes", "work_activities", "work_personnel", "work_funds",
               "work_awards", "work_public_benefit")
MONEY_FIELDS = ("total_income", "total_expense", "donation_income", "government_grants", "year_end_assets",
                "liabilities", "net_assets")
PARTY_FIELDS = ("party_members", "party_organization", "party_activities")
LOCKED_FIELDS = (*WORK_FIELDS, *MONEY_FIELDS, *PARTY_FIELDS, "remediation_report", "organization_id", "year")


def _money(label: str):
    return models.DecimalField(label, max_digits=16, decimal_places=2, null=True, blank=True,
                               validators=[MinValueValidator(0, message=f"{label}不能为负数。")])


class AnnualReport(ScopedModel):
    organization = models.ForeignKey("orgs.Organization", verbose_name="组织", on_delete=models.PROTECT,
                                     related_name="annual_reports")
    year = models.PositiveSmallIntegerField("年度")
    state = models.CharField("状态", max_length=12, choices=AnnualState.choices, default=AnnualState.DRAFT)
    # (1) 年度工作报告
    work_compliance = models.TextField("遵守法律法规和国家政策情况", blank=True, default="")
    work_changes = models.TextField("登记事项变更情况", blank=True, default="",
                                    help_text="名称、住所、法定代表人、业务范围、注册资金等的变更；无变更写“无”。")
    work_activities = models.TextField("按照章程开展活动情况", blank=True, default="")
    work_personnel = models.TextField("负责人、理事、工作人员和内设机构变动情况", blank=True, default="")
    work_funds = models.TextField("财务收支情况（资金来源和使用、接受和使用捐赠）", blank=True, default="")
    work_awards = models.TextField("获得表彰奖励情况", blank=True, default="")
    work_public_benefit = models.TextField("开展公益活动情况", blank=True, default="")
    # (2) 财务会计报告（民间非营利组织会计制度）: key figures, yuan
    total_income = _money("本年收入合计（元）")
    total_expense = _money("本年费用合计（元）")
    donation_income = _money("其中：捐赠收入（元）")
    government_grants = _money("其中：政府补助收入（元）")
    year_end_assets = _money("年末资产总计（元）")
    liabilities = _money("年末负债合计（元）")
    net_assets = _money("年末净资产合计（元）")
    # (3) 党建工作报告
    party_members = models.PositiveIntegerField("党员人数", null=True, blank=True)
    party_organization = models.BooleanField("已建立党组织", null=True, blank=True)
    party_activities = models.TextField("党组织开展活动情况（未建立党组织的写明党建指导员、联络员情况）",
                                        blank=True, default="")
    # Jiaxing: last year's 基本合格 / 不合格 → a remediation report this year
    remediation_report = models.TextField("整改情况报告", blank=True, default="",
                                          help_text="上一年度年检结论为基本合格或不合格的，须报告整改情况。")
    # filing
    submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    resubmitted_at = models.DateTimeField("最近提交时间", null=True, blank=True)
    due_on = models.DateField("报送截止日期", null=True, blank=True)
    late = models.BooleanField("逾期报送", default=False)
    # review
    result = models.CharField("年检结论", max_length=8, choices=Conclusion.choices, blank=True, default="")
    reason = models.TextField("结论理由", blank=True, default="")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审查人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField("审查时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()
    scope_field = "organization__division"

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["-year", "organization_id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="supervision_annual_org_year_unique"),
            models.CheckConstraint(condition=Q(state="reviewed", result__in=["pass", "basic", "fail"])
                                   | (~Q(state="reviewed") & Q(result="")),
                                   name="supervision_annual_result_when_reviewed"),
        ]
        indexes = [models.Index(fields=["year", "state"], name="supervision_annual_year_state")]

    def __str__(self):
        return f"{self.organization}（{self.year}年度报告）"

    def save(self, *args, **kwargs):
        """Once submitted, the content stays as submitted until the bureau returns the report (the moves change the
        state and the review fields only)."""
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values("state", *LOCKED_FIELDS).first()
            if stored and stored["state"] not in EDITABLE_STATES:
                changed = [f for f in LOCKED_FIELDS if stored[f] != getattr(self, f)]
                if changed:
                    raise ValidationError(f"年度报告已提交（{self.get_state_display()}），内容不能修改；"
                                          "须由民政部门退回修改后才能修改。")
        super().save(*args, **kwargs)

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def needs_attention(self) -> bool:
        return self.result in (Conclusion.BASIC, Conclusion.FAIL)

    def responsibility_facts(self):
        return self.organization.responsibility_facts()

    @classmethod
    def scope_extra_q(cls, user, action):
        """Staff read their subtree; an organization's account the reports of the organizations linked to it."""
        from cso.orgs.models import linked_q

        if user.is_superuser or getattr(user, "is_staff_role", False):
            return Q()
        if action == VIEW:
            return linked_q(user, prefix="organization__")
        return None


class AnnualReportEvent(models.Model):
    """One move of a report: who, when, what, why."""

    report = models.ForeignKey(AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", null=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    verb = models.CharField("事项", max_length=20)
    from_state = models.CharField("原状态", max_length=12, choices=AnnualState.choices, blank=True)
    to_state = models.CharField("新状态", max_length=12, choices=AnnualState.choices)
    result = models.CharField("结论", max_length=8, choices=Conclusion.choices, blank=True, default="")
    reason = models.TextField("理由或意见", blank=True, default="")

    class Meta:
        verbose_name = "年度报告办理记录"
        verbose_name_plural = "年度报告办理记录"
        ordering = ["at", "id"]

    VERBS = {"create": "开始填报", "submit": "提交", "resubmit": "修改后重新提交", "return": "退回修改",
             "review": "审查"}

    def __str__(self):
        return f"{self.report} {self.verb_label}"

    @property
    def verb_label(self) -> str:
        return self.VERBS.get(self.verb, self.verb)


class AnnualReportAttachment(PrivateFile):
    """A file attached to a report (the stamped financial statements, photos of activities …), stored outside the
    web root under a random name and served only by the report's download view."""

    AREA = "annualreports"

    report = models.ForeignKey(AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE,
                               related_name="attachments")

    class Meta:
        verbose_name = "年度报告附件"
        verbose_name_plural = "年度报告附件"
        ordering = ["id"]

    def responsibility_facts(self):
        return self.report.responsibility_facts()


__all__ = ["EDITABLE_STATES", "FILED_STATES", "MONEY_FIELDS", "PARTY_FIELDS", "WORK_FIELDS", "AnnualReport",
           "AnnualReportAttachment", "AnnualReportEvent", "AnnualState", "Conclusion"]


class AnnualReminderRun(models.Model):
    """One day's reminders of missing annual reports: a second run the same day sends nothing again."""

    day = models.DateField("日期", unique=True)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    reminded = models.PositiveIntegerField("提醒组织数", default=0)

    class Meta:
        verbose_name = "年报提醒记录"
        verbose_name_plural = "年报提醒记录"

    def __str__(self):
        return f"{self.day:%Y-%m-%d} 年报提醒"


__all__ += ["AnnualReminderRun"]
