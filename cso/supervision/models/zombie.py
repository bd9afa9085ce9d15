"""Zombie detection (seed 002 第三条: 常态化开展“僵尸型”社区社会组织清理整治;
街(镇)定期对不开展活动的群众活动团队进行清理).

``ActivityRecord``: one activity of an organization, recorded by a street or the organization (the registry has no
activity dates of its own). ``ZombieScan``: one run of the scan (``cso.supervision.zombie.scan``). ``ZombieScore``:
the latest explainable score of one organization — the sum of the weights of the signals that fired, each reason
kept with its facts so that the page can show why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .credit import _OrgScoped


class ActivityRecord(_OrgScoped):
    organization = models.ForeignKey("orgs.Organization", verbose_name="组织", on_delete=models.CASCADE,
                                     related_name="activity_records", db_index=False)
    date = models.DateField("活动日期")
    what = models.CharField("活动内容", max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "活动记录"
        verbose_name_plural = "活动记录"
        ordering = ["organization_id", "-date", "-id"]
        indexes = [models.Index(fields=["organization", "date"], name="supervision_activity_org_date")]

    def __str__(self):
        return f"{self.organization}：{self.what}（{self.date}）"


class ZombieScan(models.Model):
    as_of = models.DateField("扫描日期")
    division_prefix = models.CharField("区划范围", max_length=12, blank=True)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, default="running")
    organizations = models.PositiveIntegerField("扫描的组织数", default=0)
    flagged = models.PositiveIntegerField("有疑似信号的组织数", default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "僵尸型组织扫描"
        verbose_name_plural = "僵尸型组织扫描"
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.as_of} {self.division_prefix or '全国'}"


class ZombieScore(_OrgScoped):
    organization = models.OneToOneField("orgs.Organization", verbose_name="组织", on_delete=models.CASCADE,
                                        related_name="zombie_score")
    scan = models.ForeignKey(ZombieScan, verbose_name="扫描", on_delete=models.CASCADE, related_name="scores",
                             db_index=False)
    score = models.PositiveSmallIntegerField("疑似分值")
    reasons = models.JSONField("理由", default=list)  # [{code, text, weight, facts}]
    scanned_on = models.DateField("扫描日期")

    class Meta:
        verbose_name = "僵尸型组织疑似分值"
        verbose_name_plural = "僵尸型组织疑似分值"
        ordering = ["-score", "organization_id"]
        indexes = [models.Index(fields=["-score"], name="supervision_zombie_score")]

    def __str__(self):
        return f"{self.organization}：{self.score}"
