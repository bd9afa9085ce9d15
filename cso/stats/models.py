"""Targets per division and year, and the per-province setting of which communities count as urban.

Seed defaults live in code (``cso.stats.targets.DEFAULTS``); a ``Target`` row overrides them for a
division and its whole subtree, unless a lower division sets its own.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cso.accounts.responsibilities import Facts
from cso.core.scoping import VIEW, ScopedModel
from cso.regions import codes

from .choices import BaseLevels, TargetKey, UrbanRule


def _staff_change_q(user, action):
    if action == VIEW:
        return Q()
    if user.is_superuser or getattr(user, "role", None) in ("admin", "civil_affairs"):
        return Q()
    return None


class Target(ScopedModel):
    """One target value for a division (and its subtree) in one year."""

    division = models.ForeignKey(
        "regions.Division", verbose_name="区划", on_delete=models.PROTECT, related_name="+",
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    key = models.CharField("指标", max_length=24, choices=TargetKey.choices)
    value = models.DecimalField("目标值", max_digits=10, decimal_places=2,
                                validators=[MinValueValidator(0)])
    note = models.CharField("说明（依据）", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设置人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    scope_field = "division"

    class Meta:
        verbose_name = "目标值"
        verbose_name_plural = "目标值"
        ordering = ["division_id", "year", "key"]
        constraints = [
            models.UniqueConstraint(fields=["division", "year", "key"], name="stats_target_unique",
                                    violation_error_message="该区划该年度已设置此项目标。"),
            models.CheckConstraint(condition=Q(value__gte=0), name="stats_target_value_nonnegative"),
        ]

    def __str__(self):
        return f"{self.division_id} {self.year} {self.get_key_display()} = {self.value}"

    @classmethod
    def scope_extra_q(cls, user, action):
        return _staff_change_q(user, action)

    def responsibility_facts(self) -> Facts:
        return Facts(division=self.division_id)


class ProvinceSetting(ScopedModel):
    """Per-province settings of the statistics: which communities count as urban, which incubation bases count."""

    division = models.OneToOneField(
        "regions.Division", verbose_name="省级区划", on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"level": codes.PROVINCE},
    )
    urban_rule = models.CharField("城市社区口径", max_length=20, choices=UrbanRule.choices,
                                  default=UrbanRule.COMMITTEE)
    base_levels = models.CharField("孵化基地计数口径", max_length=20, choices=BaseLevels.choices,
                                   default=BaseLevels.COUNTY,
                                   help_text="“每县建立1-2个孵化基地”按哪些层级的基地计数；其余层级的基地在旁列出。")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设置人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    scope_field = "division"

    class Meta:
        verbose_name = "省级统计设置"
        verbose_name_plural = "省级统计设置"
        ordering = ["division_id"]

    def __str__(self):
        return f"{self.division_id} {self.get_urban_rule_display()}"

    @classmethod
    def scope_extra_q(cls, user, action):
        return _staff_change_q(user, action)

    def responsibility_facts(self) -> Facts:
        return Facts(division=self.division_id)

class RollUp(models.Model):
    """A national or provincial roll-up (the indicators of ``indicators.compute``, or another kind
    registered with ``rollups.computer``) computed by the task worker, kept for every web process
    to serve (``cso.stats.rollups``). Not scoped by itself:
    it is read only after the reader's scope has been checked against its division."""

    key = models.CharField("键", max_length=120, unique=True)
    kind = models.CharField("类型", max_length=40, default="indicators")
    parent_code = models.CharField("区划代码", max_length=12, blank=True, help_text="空：全国。")
    day = models.DateField("截至日期")
    period_start = models.DateField("本期起始日期")
    payload = models.BinaryField("计算结果", null=True, editable=False)
    computed_at = models.DateTimeField("计算完成时间", null=True, blank=True)
    requested_at = models.DateTimeField("最近一次请求计算的时间", null=True, blank=True)

    class Meta:
        verbose_name = "全国/省级汇总结果"
        verbose_name_plural = "全国/省级汇总结果"

    def __str__(self):
        return self.key
