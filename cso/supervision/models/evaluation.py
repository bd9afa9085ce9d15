"""Grade evaluation (等级评估; 民政部令第39号): indicator trees per track and province, evaluations with self,
evaluator and committee scores per leaf indicator (RULES.md "What a real indicator tree looks like")."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cso.core.scoping import ScopedModel


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
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_field = "organization__division"

    class Meta:
        verbose_name = "等级评估"
        verbose_name_plural = "等级评估"

    def __str__(self):
        return f"{self.organization} {self.year} {self.grade or self.get_state_display()}"


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, verbose_name="评估", on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT)
    self_score = models.DecimalField("自评分", max_digits=7, decimal_places=1, null=True, blank=True)
    evaluator_score = models.DecimalField("评估机构评分", max_digits=7, decimal_places=1, null=True, blank=True)
    committee_score = models.DecimalField("评估委员会审定分", max_digits=7, decimal_places=1, null=True, blank=True)
    note = models.CharField("扣分理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "评估得分"
        verbose_name_plural = "评估得分"
        constraints = [models.UniqueConstraint(fields=("evaluation", "indicator"), name="score_unique_per_indicator")]

    def __str__(self):
        return f"{self.evaluation_id}/{self.indicator_id}"
