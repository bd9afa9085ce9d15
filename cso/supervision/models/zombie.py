"""Zombie detection (seed 002 第三条: 常态化开展“僵尸型”社区社会组织清理整治;
街(镇)定期对不开展活动的群众活动团队进行清理).

``ActivityRecord``: one activity of an organization, recorded by a street or the organization (the registry has no
activity dates of its own). ``ZombieScan``: one run of the scan (``cso.supervision.zombie.scan``). ``ZombieScore``:
the latest explainable score of one organization — the sum of the weights of the signals that fired, each reason
kept with its facts so that the page can show why. ``Campaign`` / ``CampaignCase``: a clean-up campaign and its cases,
each placed at the street it is assigned to (承办街道); ``CaseReassignment``: one move of a case to another street.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db import models
from django.db.models import Q

from cso.core.attachments import PrivateFile
from cso.core.hierarchy import PREFIX_LENGTH
from cso.core.scoping import VIEW, Scope, ScopedManager, ScopedQuerySet
from cso.regions import codes

from .credit import _OrgScoped


class ActivityRecord(_OrgScoped):
    organization = models.ForeignKey("orgs.Organization", verbose_name="组织", on_delete=models.CASCADE,
                                     related_name="activity_records", db_index=False)
    date = models.DateField("活动日期")
    what = models.CharField("活动名称", max_length=300)
    place = models.CharField("活动地点", max_length=200, blank=True)
    participants = models.PositiveIntegerField("参加人数", null=True, blank=True)
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


class ActivityPhoto(PrivateFile):
    """The photo of an activity record: checked by its content, stored outside the web root and served by the
    record's photo view only (``cso.core.attachments``)."""

    AREA = "activities"

    record = models.OneToOneField(ActivityRecord, verbose_name="活动记录", on_delete=models.CASCADE,
                                  related_name="photo")

    class Meta:
        verbose_name = "活动记录照片"
        verbose_name_plural = "活动记录照片"

    def responsibility_facts(self):
        return self.record.organization.responsibility_facts()


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


class CampaignState(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class Outcome(models.TextChoices):
    RESUMED = "resumed", "恢复活动"
    DEREGISTERED = "deregistered", "注销"
    REVOKED = "revoked", "撤销"
    FILING_CANCELLED = "filing_cancelled", "备案注销"
    CLEARED = "cleared", "清理"


class CaseState(models.TextChoices):
    OPEN = "open", "待处理"
    PROPOSED = "proposed", "已提出（待机关确认）"
    DECIDED = "decided", "已办结"


class Campaign(models.Model):
    """A clean-up campaign (清理整治) of a civil-affairs body over a list of organizations."""

    division = models.ForeignKey("regions.Division", verbose_name="发起机关所在区划", on_delete=models.PROTECT,
                                 related_name="+")
    title = models.CharField("名称", max_length=200)
    basis = models.TextField("依据", blank=True)
    started_on = models.DateField("开始日期")
    ends_on = models.DateField("截止日期", null=True, blank=True)
    state = models.CharField("状态", max_length=10, choices=CampaignState.choices, default=CampaignState.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "清理整治行动"
        verbose_name_plural = "清理整治行动"
        ordering = ["-started_on", "-id"]

    def __str__(self):
        return self.title

    def responsibility_facts(self):
        from cso.accounts.responsibilities import Facts

        return Facts(division=self.division_id)


class CampaignCaseQuerySet(ScopedQuerySet):
    def visible_to(self, user, action: str = VIEW):
        """A case is placed at its 承办街道 (the organization's street, or the one it was reassigned to), a case without
        a street at its organization: a street reads the cases assigned to it, not those moved away. Accounts below
        the street (communities, organizations' accounts) read by the organization, as before."""
        scope = Scope.for_user(user)
        if scope.nothing:
            return self.none()
        if scope.prefix is not None and len(scope.prefix) > PREFIX_LENGTH[codes.STREET]:
            return super().visible_to(user, action)
        extra = self.model.scope_extra_q(user, action)
        if extra is None:
            return self.none()
        placed = scope.q("street") | (Q(street__isnull=True) & scope.q("organization__division"))
        return self.filter(placed).filter(extra)


class CampaignCase(_OrgScoped):
    """One organization of a campaign, assigned to its street, with the outcome recorded."""

    campaign = models.ForeignKey(Campaign, verbose_name="清理整治行动", on_delete=models.CASCADE, related_name="cases")
    organization = models.ForeignKey("orgs.Organization", verbose_name="组织", on_delete=models.PROTECT,
                                     related_name="campaign_cases")
    street = models.ForeignKey("regions.Division", verbose_name="承办街道（乡镇）", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField("列入时疑似分值", default=0)
    reasons = models.JSONField("列入理由", default=list)
    state = models.CharField("状态", max_length=10, choices=CaseState.choices, default=CaseState.OPEN)
    outcome = models.CharField("处理结果", max_length=18, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField("处理日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager.from_queryset(CampaignCaseQuerySet)()

    class Meta:
        verbose_name = "清理整治对象"
        verbose_name_plural = "清理整治对象"
        ordering = ["campaign_id", "street_id", "organization_id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "organization"],
                                               name="supervision_campaign_case_unique")]

    def __str__(self):
        return f"{self.campaign}：{self.organization}"

    def responsibility_facts(self):
        """The organization's facts, placed at the assigned street (the street that handles the case)."""
        facts = super().responsibility_facts()
        return dataclasses.replace(facts, division=self.street_id or facts.division)


class CaseReassignment(models.Model):
    """One move of a campaign case to another street (改派), by the body that launched the campaign, with why."""

    case = models.ForeignKey(CampaignCase, verbose_name="清理整治对象", on_delete=models.CASCADE,
                             related_name="reassignments")
    from_street = models.ForeignKey("regions.Division", verbose_name="原承办街道（乡镇）", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    to_street = models.ForeignKey("regions.Division", verbose_name="新承办街道（乡镇）", on_delete=models.PROTECT,
                                  related_name="+")
    reason = models.TextField("改派理由", max_length=1000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="改派人", null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("改派时间", auto_now_add=True)

    class Meta:
        verbose_name = "清理整治对象改派记录"
        verbose_name_plural = "清理整治对象改派记录"
        ordering = ["case_id", "at", "id"]

    def __str__(self):
        return f"{self.case}：{self.from_street} → {self.to_street}"
