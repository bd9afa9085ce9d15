"""Grade evaluation (等级评估; 民政部令第39号): indicator trees per track and province, evaluations with self,
evaluator and committee scores per leaf indicator (RULES.md "What a real indicator tree looks like")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cso.core.scoping import VIEW, ScopedModel


class Track(models.TextChoices):
    STANDARD = "standard", "等级评估"
    COMMUNITY = "community", "规范化建设评估（社区社会组织）"


class EvaluationState(models.TextChoices):
    APPLIED = "applied", "已申请"
    SELF_SCORED = "self_scored", "已自评"
    EVALUATED = "evaluated", "评估机构已评分"
    COMMITTEE = "committee", "评估委员会已审定"
    PUBLISHED = "published", "公示中"
    FINAL = "final", "已确定等级"
    WITHDRAWN = "withdrawn", "已撤回"


class IndicatorTree(models.Model):
    code = models.CharField("编号", max_length=40, unique=True)
    title = models.CharField("名称", max_length=200)
    track = models.CharField("类别", max_length=12, choices=Track.choices, default=Track.STANDARD)
    province = models.CharField("省份代码", max_length=2, blank=True, default="", help_text="空 = 全国默认。")
    max_total = models.PositiveIntegerField("总分", default=1000)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "评估指标体系"
        verbose_name_plural = "评估指标体系"

    def __str__(self):
        return self.title


class Indicator(models.Model):
    tree = models.ForeignKey(IndicatorTree, verbose_name="指标体系", on_delete=models.CASCADE,
                             related_name="indicators")
    parent = models.ForeignKey("self", verbose_name="上级指标", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    code = models.CharField("序号", max_length=20)
    title = models.CharField("指标", max_length=200)
    max_score = models.DecimalField("分值", max_digits=7, decimal_places=1)
    rule = models.CharField("评分标准", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "评估指标"
        verbose_name_plural = "评估指标"
        ordering = ("tree", "order", "code")
        constraints = [models.UniqueConstraint(fields=("tree", "code"), name="indicator_code_unique_in_tree")]

    def __str__(self):
        return f"{self.code} {self.title}"


class Evaluation(ScopedModel):
    organization = models.ForeignKey("orgs.Organization", verbose_name="组织", on_delete=models.PROTECT,
                                     related_name="evaluations")
    tree = models.ForeignKey(IndicatorTree, verbose_name="指标体系", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField("评估年度")
    state = models.CharField("状态", max_length=12, choices=EvaluationState.choices,
                             default=EvaluationState.APPLIED)
    applied_on = models.DateField("申请日期")
    published_on = models.DateField("公示日期", null=True, blank=True)
    notice_until = models.DateField("公示截止日期", null=True, blank=True)
    total = models.DecimalField("评估委员会审定总分", max_digits=7, decimal_places=1, null=True, blank=True)
    grade = models.CharField("评估等级", max_length=2, blank=True)
    final_on = models.DateField("等级确定日期", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    expiry_reminded_on = models.DateField("到期提醒日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审定人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    admission = models.CharField("申请依据", max_length=300, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    self_submitted_at = models.DateTimeField("自评提交时间", null=True, blank=True)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评估人员", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    committee_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评估委员会录入人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_field = "organization__division"

    class Meta:
        verbose_name = "等级评估"
        verbose_name_plural = "等级评估"
        indexes = [models.Index(fields=["state", "year"], name="sv_eval_state_year")]

    def __str__(self):
        return f"{self.organization} {self.year} {self.grade or self.get_state_display()}"

    def responsibility_facts(self):
        return self.organization.responsibility_facts()

    @classmethod
    def scope_extra_q(cls, user, action):
        """Staff read their subtree; an organization's account the evaluations of the organizations linked to it."""
        from cso.orgs.models import linked_q

        if user.is_superuser or getattr(user, "is_staff_role", False):
            return Q()
        if action == VIEW:
            return linked_q(user, prefix="organization__")
        return None

    @property
    def open_objections(self):
        return self.objections.filter(replied_at__isnull=True)


class EvaluationEvent(models.Model):
    """One move of an evaluation: who, when, what, why (and on which basis)."""

    class Kind(models.TextChoices):
        APPLY = "apply", "申请评估"
        SELF_SAVE = "self_save", "保存自评"
        SELF_SUBMIT = "self_submit", "提交自评"
        EVALUATOR = "evaluator", "评估机构评分"
        COMMITTEE = "committee", "评估委员会审定"
        PUBLISH = "publish", "公示"
        OBJECTION = "objection", "提出异议"
        REPLY = "reply", "答复异议"
        FINAL = "final", "确定等级"

    evaluation = models.ForeignKey(Evaluation, verbose_name="评估", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.TextField("理由和依据", blank=True, max_length=2000)

    class Meta:
        verbose_name = "等级评估记录"
        verbose_name_plural = "等级评估记录"
        ordering = ("at", "pk")

    def __str__(self):
        return f"{self.evaluation_id} {self.get_kind_display()}"


class EvaluationObjection(models.Model):
    """An objection of the organization to its result during the notice period (公示期内提出异议) and its reply."""

    evaluation = models.ForeignKey(Evaluation, verbose_name="评估", on_delete=models.CASCADE,
                                   related_name="objections")
    text = models.TextField("异议内容", max_length=2000)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField("提出时间", auto_now_add=True)
    reply = models.TextField("答复", blank=True, max_length=2000)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "评估结果异议"
        verbose_name_plural = "评估结果异议"
        ordering = ("filed_at", "pk")

    def __str__(self):
        return f"{self.evaluation_id} 异议"


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, verbose_name="评估", on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT)
    self_score = models.DecimalField("自评分", max_digits=7, decimal_places=1, null=True, blank=True)
    evaluator_score = models.DecimalField("评估机构评分", max_digits=7, decimal_places=1, null=True, blank=True)
    committee_score = models.DecimalField("评估委员会审定分", max_digits=7, decimal_places=1, null=True, blank=True)
    note = models.CharField("评估机构扣分理由", max_length=300, blank=True)
    self_note = models.CharField("自评说明", max_length=300, blank=True)
    committee_note = models.CharField("评估委员会意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "评估得分"
        verbose_name_plural = "评估得分"
        constraints = [models.UniqueConstraint(fields=("evaluation", "indicator"), name="score_unique_per_indicator")]

    def __str__(self):
        return f"{self.evaluation_id}/{self.indicator_id}"
