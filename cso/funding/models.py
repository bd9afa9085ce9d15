"""Funding programmes (资金扶持): the call, applications by organizations, review, award, contract, instalments,
evaluation and archive; the guidance lists; the qualifications of organizations (seed 002).

Every decision is a ``Decision`` row (who, when, why, amount); the budget of a programme is never
over-committed (``services.award`` locks the programme row and re-sums its awards in one transaction)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from cso.core.attachments import PrivateFile
from cso.core.scoping import VIEW, Scope, ScopedManager, ScopedModel, ScopedQuerySet
from cso.orgs.models import linked_q

from .choices import (
    GRADE_CHOICES,
    ApplicationState,
    AwardState,
    GradeRule,
    GuidanceKind,
    Kind,
    ProgrammeState,
    QualificationKind,
    Stage,
    TrackRule,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.01"))]
LINKED_ROLES = ("organization", "operator")  # cso.accounts.choices.LINKED_ROLES


def _staff_or_none(cls, user, action):
    if getattr(user, "role", None) in LINKED_ROLES and not user.is_superuser:
        return None
    return ScopedModel.scope_extra_q.__func__(ScopedModel, user, action)


class Programme(ScopedModel):
    """A call for money by one funder (a division's bureau or street)."""

    title = models.CharField("项目名称", max_length=200)
    kind = models.CharField("资金类型", max_length=20, choices=Kind.choices)
    division = models.ForeignKey("regions.Division", verbose_name="资助方所在区划", on_delete=models.PROTECT,
                                 related_name="funding_programmes")
    funder = models.CharField("资助单位", max_length=200, help_text="例如：兴宁区民政局、民生街道办事处。")
    year = models.PositiveSmallIntegerField("年度")
    budget = models.DecimalField("预算总额（元）", validators=POSITIVE, **MONEY)
    max_award = models.DecimalField("单个项目资助上限（元）", null=True, blank=True, validators=POSITIVE, **MONEY)
    opens_on = models.DateField("申报开始日期")
    closes_on = models.DateField("申报截止日期")
    description = models.TextField("项目说明", blank=True, max_length=5000)
    grade_rule = models.CharField("评估等级要求", max_length=10, choices=GradeRule.choices, default=GradeRule.PRIORITY)
    min_grade = models.CharField("等级", max_length=2, choices=GRADE_CHOICES, blank=True,
                                 help_text="留空则用本省设置（RULES.md：3A以上优先）。")
    categories = models.ManyToManyField("orgs.Category", verbose_name="限定类别（任一）", blank=True,
                                        related_name="+")
    rural_only = models.BooleanField("仅限农村社区的组织", default=False)
    track_rule = models.CharField("组织类型", max_length=12, choices=TrackRule.choices, default=TrackRule.ANY)
    cross_district = models.BooleanField("允许其他区县的组织申报", default=True,
                                         help_text="种子文件002：鼓励跨区购买运作规范、公信力强、服务优质的组织服务。")
    state = models.CharField("状态", max_length=10, choices=ProgrammeState.choices, default=ProgrammeState.DRAFT)
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="评审人员", blank=True,
                                       related_name="funding_reviews")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    scope_field = "division"

    class Meta:
        verbose_name = "资金扶持项目"
        verbose_name_plural = "资金扶持项目"
        ordering = ["-year", "-opens_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                              name="funding_programme_dates")]

    def __str__(self):
        return self.title

    scope_extra_q = classmethod(_staff_or_none)

    def responsibility_facts(self):
        from cso.accounts.responsibilities import Facts

        pk = self.pk

        def linked(user) -> bool:  # an assigned reviewer
            return pk is not None and Programme.reviewers.through.objects.filter(programme_id=pk,
                                                                                 user_id=user.pk).exists()

        return Facts(division=self.division_id, linked=linked)


class ApplicationQuerySet(ScopedQuerySet):
    def visible_to(self, user, action: str = VIEW):
        """Staff: applications to the programmes of their subtree; an organization's account: its own, to a
        programme anywhere (cross-district calls)."""
        if getattr(user, "is_authenticated", False) and user.is_active and not user.is_superuser \
                and getattr(user, "role", None) in LINKED_ROLES:
            return self.filter(linked_q(user, "organization__"))
        return super().visible_to(user, action)


class Application(ScopedModel):
    programme = models.ForeignKey(Programme, verbose_name="项目", on_delete=models.PROTECT,
                                  related_name="applications")
    organization = models.ForeignKey("orgs.Organization", verbose_name="申报组织", on_delete=models.PROTECT,
                                     related_name="funding_applications")
    title = models.CharField("服务项目名称", max_length=200)
    plan = models.TextField("项目计划书（目标、内容、进度、预期成效）", max_length=10000)
    requested = models.DecimalField("申请金额（元）", validators=POSITIVE, **MONEY)
    state = models.CharField("状态", max_length=10, choices=ApplicationState.choices,
                             default=ApplicationState.SUBMITTED)
    eligibility = models.JSONField("资格审查结果", default=list, blank=True)
    priority = models.BooleanField("优先（达到评估等级）", default=False)
    grade = models.CharField("申报时的评估等级", max_length=2, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申报账号", null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("申报时间", auto_now_add=True)

    objects = ScopedManager.from_queryset(ApplicationQuerySet)()
    scope_field = "programme__division"

    class Meta:
        verbose_name = "资金扶持申报"
        verbose_name_plural = "资金扶持申报"
        ordering = ["-submitted_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "organization"],
                                               name="funding_one_application_per_programme")]

    def __str__(self):
        return f"{self.organization} — {self.title}"

    scope_extra_q = classmethod(_staff_or_none)

    def responsibility_facts(self):
        from cso.accounts.responsibilities import Facts

        org_facts = self.organization.responsibility_facts()
        programme_id = self.programme_id

        def linked(user) -> bool:
            if getattr(user, "role", None) in LINKED_ROLES:
                return org_facts.linked(user)
            return Programme.reviewers.through.objects.filter(programme_id=programme_id, user_id=user.pk).exists()

        return Facts(division=self.programme.division_id, track=org_facts.track, linked=linked)

    @property
    def average_score(self):
        scores = [s.points for s in self.scores.all()]
        return (sum(scores) / len(scores)).quantize(Decimal("0.1")) if scores else None


class BudgetLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField("预算科目", max_length=100)
    amount = models.DecimalField("金额（元）", validators=POSITIVE, **MONEY)

    class Meta:
        verbose_name = "预算明细"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.item} {self.amount}"


class Attachment(PrivateFile):
    """A file of an application (计划书、预算表、证明材料), stored outside the web root (``cso.core.attachments``,
    area "funding"); served only by the application's download view to those who may see the application."""

    AREA = "funding"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        verbose_name = "附件"
        ordering = ["pk"]

    def responsibility_facts(self):
        return self.application.responsibility_facts()


class Conflict(models.Model):
    """A reviewer's declared conflict of interest: that reviewer cannot score this application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("回避理由", max_length=300)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "回避申报"
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="funding_one_conflict")]

    def __str__(self):
        return f"{self.reviewer} 回避"


class Score(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("评分（百分制）", max_digits=5, decimal_places=1,
                                 validators=[MinValueValidator(0), MaxValueValidator(100)])
    comment = models.CharField("评审意见", max_length=1000, blank=True)
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "评分"
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="funding_one_score")]

    def __str__(self):
        return f"{self.reviewer} {self.points}"


class Award(ScopedModel):
    """立项: an amount committed to an application. Denormalised facts (funder division, kind, year, the
    recipient's division and whether it is rural, 公益慈善 or 承接政府职能) feed the money views by GROUP BY."""

    application = models.OneToOneField(Application, verbose_name="申报", on_delete=models.PROTECT,
                                       related_name="award")
    programme = models.ForeignKey(Programme, verbose_name="项目", on_delete=models.PROTECT, related_name="awards")
    organization = models.ForeignKey("orgs.Organization", verbose_name="受资助组织", on_delete=models.PROTECT,
                                     related_name="funding_awards")
    division = models.ForeignKey("regions.Division", verbose_name="资助方所在区划", on_delete=models.PROTECT,
                                 related_name="+")
    org_division = models.ForeignKey("regions.Division", verbose_name="组织所在区划", on_delete=models.PROTECT,
                                     related_name="+")
    kind = models.CharField("资金类型", max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("立项金额（元）", validators=POSITIVE, **MONEY)
    paid = models.DecimalField("已拨付（元）", default=Decimal("0"), **MONEY)
    rural = models.BooleanField("农村社区的组织", default=False)
    charity = models.BooleanField("公益慈善类组织", default=False)
    gov_function = models.BooleanField("承接政府职能（政府购买服务）", default=False)
    state = models.CharField("状态", max_length=12, choices=AwardState.choices, default=AwardState.AWARDED)
    awarded_on = models.DateField("立项日期")
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField("立项理由", max_length=1000)

    scope_field = "division"

    class Meta:
        verbose_name = "立项"
        verbose_name_plural = "立项"
        ordering = ["-awarded_on", "-pk"]
        indexes = [models.Index(fields=["year", "division", "kind"], name="funding_award_money")]

    def __str__(self):
        return f"{self.organization} {self.amount}"

    def responsibility_facts(self):
        from cso.accounts.responsibilities import Facts

        return Facts(division=self.division_id, track=self.organization.responsibility_facts().track)

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.paid


class Contract(models.Model):
    award = models.OneToOneField(Award, verbose_name="立项", on_delete=models.PROTECT, related_name="contract")
    number = models.CharField("协议编号", max_length=60)
    signed_on = models.DateField("签订日期")
    custodian = models.ForeignKey("orgs.Organization", verbose_name="财务代管单位", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  help_text="备案的组织不能签约，由街道社会组织服务中心财务代管（种子文件002）。")
    instalments = models.PositiveSmallIntegerField("拨款期数", default=2,
                                                   validators=[MinValueValidator(1), MaxValueValidator(12)])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "资助协议"

    def __str__(self):
        return self.number


class Disbursement(models.Model):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="disbursements")
    number = models.PositiveSmallIntegerField("期次")
    amount = models.DecimalField("拨付金额（元）", validators=POSITIVE, **MONEY)
    paid_on = models.DateField("拨付日期")
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "拨款"
        ordering = ["number"]

    def __str__(self):
        return f"第{self.number}期 {self.amount}"


class ProjectEvaluation(models.Model):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="evaluations")
    stage = models.CharField("评估阶段", max_length=6, choices=Stage.choices)
    passed = models.BooleanField("通过")
    evaluated_on = models.DateField("评估日期")
    beneficiaries = models.PositiveIntegerField("服务人次", default=0)
    activities = models.PositiveIntegerField("开展活动（场次）", default=0)
    volunteer_hours = models.PositiveIntegerField("志愿服务时长（小时）", default=0)
    findings = models.TextField("评估意见", max_length=3000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "项目评估"
        constraints = [models.UniqueConstraint(fields=["award", "stage"], name="funding_one_evaluation_per_stage")]

    def __str__(self):
        return f"{self.get_stage_display()} {self.evaluated_on}"


class Decision(models.Model):
    """Every decision on an application or award: who, when, why (and the amount where there is one)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField("事项", max_length=30)
    amount = models.DecimalField("金额（元）", null=True, blank=True, **MONEY)
    reason = models.CharField("理由、依据", max_length=1000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", null=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "决定记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.action} {self.at}"


class GuidanceList(ScopedModel):
    """承接社区服务的社会组织指导目录 / 购买社区公共服务项目清单 of one division and year (seeds 001, 003)."""

    division = models.ForeignKey("regions.Division", verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=14, choices=GuidanceKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    published_on = models.DateField("发布日期", null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope_field = "division"

    class Meta:
        verbose_name = "指导目录（项目清单）"
        ordering = ["-year", "kind", "pk"]

    scope_extra_q = classmethod(_staff_or_none)

    def __str__(self):
        return self.title

    def responsibility_facts(self):
        from cso.accounts.responsibilities import Facts

        return Facts(division=self.division_id)


class GuidanceItem(models.Model):
    guidance = models.ForeignKey(GuidanceList, on_delete=models.CASCADE, related_name="items")
    name = models.CharField("名称（服务领域、项目或组织）", max_length=200)
    description = models.CharField("说明", max_length=500, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class Qualification(ScopedModel):
    """免税资格, 公益事业捐赠票据, 公益性捐赠税前扣除资格 of an organization (seed 002), kept by bureau staff."""

    organization = models.ForeignKey("orgs.Organization", verbose_name="组织", on_delete=models.CASCADE,
                                     related_name="qualifications")
    kind = models.CharField("资格", max_length=20, choices=QualificationKind.choices)
    granted_on = models.DateField("认定（取得）日期")
    valid_until = models.DateField("有效期至", null=True, blank=True)
    basis = models.CharField("依据（文号）", max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    scope_field = "organization__division"

    class Meta:
        verbose_name = "税收优惠资格"
        ordering = ["kind", "-granted_on"]


def visible_scope(user) -> Scope:
    return Scope.for_user(user)
