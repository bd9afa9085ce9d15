"""Random inspections (双随机一公开; 社会组织抽查暂行办法, 民发〔2017〕45号; RULES.md "Random inspection").

A plan belongs to the civil-affairs body of one level (its ``division``); its seed is made with ``secrets`` when the
plan is created and published with it, and the draw (cso.supervision.draw) is a pure function of the seed and of the
inputs frozen on the plan when it is drawn (``draw_input``), so that anyone may re-run it.
"""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from cso.core.scoping import ScopedModel
from cso.regions import codes

DEFAULT_MIN_RATES = {"province": 5, "city": 4, "county": 3}
LEVEL_KEYS = {codes.PROVINCE: "province", codes.CITY: "city", codes.COUNTY: "county"}
INSPECTOR_ROLES = ("admin", "civil_affairs", "registrar")  # government staff of a body (province/city/county)
LEGAL_BASIS = "《社会组织抽查暂行办法》（民发〔2017〕45号）"


def min_rate(level: int, code: str = "") -> Decimal:
    """The minimum share (percent) of the organizations registered at ``level`` drawn each year (a setting:
    ``CSO_INSPECTION_MIN_RATES``, by level, optionally overridden per province by its 2-digit code, e.g.
    ``{"county": 3, "45": {"county": 5}}``)."""
    configured = getattr(settings, "CSO_INSPECTION_MIN_RATES", {})
    rates = {**DEFAULT_MIN_RATES, **{k: v for k, v in configured.items() if not isinstance(v, dict)}}
    rates.update(configured.get(code[:2], {}) if code else {})
    return Decimal(str(rates.get(LEVEL_KEYS.get(level, ""), 0)))


def new_seed() -> str:
    return secrets.token_hex(16)


def commitment_of(seed: str) -> str:
    """The commitment published when a plan is made: SHA-256 of the seed (hexadecimal). The seed itself is revealed
    at the draw, so that nobody — not the body either — can steer the pool or the filters towards a known sample,
    and anyone can check afterwards that the revealed seed is the committed one."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


class InspectionPlan(ScopedModel):
    class Kind(models.TextChoices):
        YEARLY = "yearly", "年度抽查"
        AD_HOC = "ad_hoc", "不定向抽查（专项）"

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        DRAWN = "drawn", "已抽取"
        PUBLISHED = "published", "已公开"
        CLOSED = "closed", "已结束"

    division = models.ForeignKey("regions.Division", verbose_name="抽查机关所在区划", on_delete=models.PROTECT,
                                 related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices, default=Kind.YEARLY)
    title = models.CharField("计划名称", max_length=200)
    org_type = models.CharField("组织类型（筛选）", max_length=20, blank=True,
                                help_text="不选则为本级登记的全部组织类型。")
    categories = models.ManyToManyField("orgs.Category", verbose_name="类别（筛选）", blank=True, related_name="+",
                                        help_text="选择后只抽取属于其中任一类别的组织。")
    matter = models.CharField("抽查事项", max_length=300, blank=True,
                              help_text="如：年度报告、财务管理、按章程开展活动情况。")
    rate = models.DecimalField("抽查比例（%）", max_digits=5, decimal_places=2)
    site_share = models.DecimalField("实地检查比例（抽中组织的%）", max_digits=5, decimal_places=2,
                                     default=Decimal("50"),
                                     help_text="本平台建议：排序靠前的抽中组织实地检查，其余书面检查。")
    inspectors_per_visit = models.PositiveSmallIntegerField("每次实地检查的检查人员数", default=2)
    seed = models.CharField("随机种子", max_length=64, default=new_seed, editable=False)
    seed_commitment = models.CharField("随机种子的承诺值（SHA-256）", max_length=64, blank=True, editable=False,
                                       help_text="制定计划时公开；种子于抽取时公开，"
                                                 "任何人可核对 SHA-256(种子) = 承诺值。")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    draw_input = models.JSONField("抽取时的名单", default=dict, blank=True, editable=False,
                                  help_text="抽取时冻结的组织标识、检查人员和回避申报，供重新计算核对。")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="制定人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("制定时间", auto_now_add=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="抽取人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="公开人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="结束人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    close_note = models.TextField("结束说明", blank=True)

    scope_field = "division"

    class Meta:
        verbose_name = "抽查计划"
        verbose_name_plural = "抽查计划"
        ordering = ["-year", "-created_at", "-id"]

    def __str__(self):
        return self.title

    def responsibility_facts(self):
        from cso.accounts.responsibilities import Facts

        return Facts(division=self.division_id)

    def save(self, *args, **kwargs):
        if not self.seed_commitment:
            self.seed_commitment = commitment_of(self.seed)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "seed_commitment"}
        super().save(*args, **kwargs)

    @property
    def seed_revealed(self) -> bool:
        """The seed is shown from the draw on (before, only its commitment)."""
        return self.state != self.State.DRAFT

    @property
    def commitment_holds(self) -> bool:
        return bool(self.seed_commitment) and commitment_of(self.seed) == self.seed_commitment

    @property
    def min_rate(self) -> Decimal:
        return min_rate(self.division.level, self.division_id)

    @property
    def org_type_label(self) -> str:
        from cso.orgs.choices import OrgType

        return OrgType(self.org_type).label if self.org_type in OrgType.values else "全部组织类型"

    def clean(self):
        super().clean()
        if self.division_id and self.division.level not in LEVEL_KEYS:
            raise ValidationError({"division": "抽查计划由省、市、县（区）民政部门制定。"})
        if self.rate is not None:
            if self.rate <= 0 or self.rate > 100:
                raise ValidationError({"rate": "抽查比例须大于0且不超过100。"})
            if self.division_id and self.rate < self.min_rate:
                raise ValidationError({"rate": f"抽查比例不得低于本级的最低比例{self.min_rate}%。"})
        if self.site_share is not None and not (0 <= self.site_share <= 100):
            raise ValidationError({"site_share": "实地检查比例须在0到100之间。"})
        if self.inspectors_per_visit is not None and self.inspectors_per_visit < 2:
            raise ValidationError({"inspectors_per_visit": "实地检查的检查人员不得少于2名。"})


class Inspector(ScopedModel):
    """An account of a body's staff in its pool of inspectors (检查人员名录)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.PROTECT,
                                related_name="inspector")
    division = models.ForeignKey("regions.Division", verbose_name="所在机关区划", on_delete=models.PROTECT,
                                 related_name="+")
    badge = models.CharField("执法证件号", max_length=40, blank=True)
    active = models.BooleanField("在名录中", default=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="列入人", null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField("列入时间", auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最近调整人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField("最近调整时间", null=True, blank=True)
    change_reason = models.CharField("调整原因", max_length=300, blank=True)

    scope_field = "division"

    class Meta:
        verbose_name = "检查人员"
        verbose_name_plural = "检查人员"
        ordering = ["division_id", "user__username"]

    def __str__(self):
        return self.user.display_name

    @property
    def key(self) -> str:
        """The inspector's identifier in the draw (the account's user name: stable on every database)."""
        return self.user.username

    def responsibility_facts(self):
        from cso.accounts.responsibilities import Facts

        user_id = self.user_id
        return Facts(division=self.division_id, linked=lambda user: user.pk == user_id)


class InspectorConflict(ScopedModel):
    """A conflict of interest an inspector declares with an organization: never drawn for it (回避)."""

    inspector = models.ForeignKey(Inspector, verbose_name="检查人员", on_delete=models.CASCADE,
                                  related_name="conflicts")
    organization = models.ForeignKey("orgs.Organization", verbose_name="组织", on_delete=models.CASCADE,
                                     related_name="+")
    reason = models.CharField("回避原因", max_length=300)
    declared_at = models.DateTimeField("申报时间", auto_now_add=True)

    scope_field = "inspector__division"

    class Meta:
        verbose_name = "回避申报"
        verbose_name_plural = "回避申报"
        ordering = ["-declared_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["inspector", "organization"],
                                               name="supervision_conflict_once")]

    def __str__(self):
        return f"{self.inspector} 回避 {self.organization}"


class InspectionTarget(ScopedModel):
    class Method(models.TextChoices):
        DESK = "desk", "书面检查"
        SITE = "site", "实地检查"

    plan = models.ForeignKey(InspectionPlan, verbose_name="抽查计划", on_delete=models.CASCADE,
                             related_name="targets")
    organization = models.ForeignKey("orgs.Organization", verbose_name="组织", on_delete=models.PROTECT,
                                     related_name="+")
    org_uid = models.CharField("组织标识（抽取时）", max_length=16)
    rank = models.PositiveIntegerField("抽取顺序")
    score = models.CharField("抽取分值", max_length=64)
    method = models.CharField("检查方式", max_length=6, choices=Method.choices)
    inspectors = models.ManyToManyField(Inspector, verbose_name="检查人员", through="TargetInspector",
                                        related_name="targets", blank=True)
    visit_on = models.DateField("实地检查日期", null=True, blank=True)
    notice_number = models.CharField("检查通知书编号", max_length=60, blank=True)

    scope_field = "plan__division"

    class Meta:
        verbose_name = "抽查对象"
        verbose_name_plural = "抽查对象"
        ordering = ["plan_id", "rank"]
        constraints = [models.UniqueConstraint(fields=["plan", "organization"], name="supervision_target_once")]

    def __str__(self):
        return f"{self.plan} · {self.organization}"

    def responsibility_facts(self):
        from cso.accounts.responsibilities import Facts

        pk = self.pk

        def linked(user) -> bool:
            return TargetInspector.objects.filter(target_id=pk, inspector__user=user,
                                                  status=TargetInspector.Status.ASSIGNED).exists()

        return Facts(division=self.plan.division_id, linked=linked)

    @property
    def assigned(self) -> list[TargetInspector]:
        return [row for row in self.inspector_rows.all() if row.status == TargetInspector.Status.ASSIGNED]

    @property
    def skipped(self) -> list[TargetInspector]:
        return [row for row in self.inspector_rows.all() if row.status == TargetInspector.Status.SKIPPED]


class TargetInspector(models.Model):
    """One inspector considered for a site visit: assigned, or skipped because of a declared conflict."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "选派"
        SKIPPED = "skipped", "回避（跳过）"

    target = models.ForeignKey(InspectionTarget, verbose_name="抽查对象", on_delete=models.CASCADE,
                               related_name="inspector_rows")
    inspector = models.ForeignKey(Inspector, verbose_name="检查人员", on_delete=models.PROTECT,
                                  related_name="target_rows")
    status = models.CharField("结果", max_length=8, choices=Status.choices)
    reason = models.CharField("原因", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("顺序")

    class Meta:
        verbose_name = "检查人员抽取记录"
        verbose_name_plural = "检查人员抽取记录"
        ordering = ["target_id", "order"]
        constraints = [models.UniqueConstraint(fields=["target", "inspector"], name="supervision_target_inspector")]

    def __str__(self):
        return f"{self.inspector} {self.get_status_display()}"


class InspectionResult(ScopedModel):
    class Conclusion(models.TextChoices):
        # 本平台建议的结论分类
        NO_PROBLEM = "ok", "未发现问题"
        TO_FIX = "fix", "发现问题，责令限期整改"
        REFERRED = "refer", "发现违法线索，移交执法"
        NOT_FOUND = "absent", "通过登记的住所无法联系"

    target = models.OneToOneField(InspectionTarget, verbose_name="抽查对象", on_delete=models.CASCADE,
                                  related_name="result")
    method = models.CharField("实际检查方式", max_length=6, choices=InspectionTarget.Method.choices)
    inspected_on = models.DateField("检查日期")
    findings = models.TextField("检查发现")
    conclusion = models.CharField("结论", max_length=8, choices=Conclusion.choices)
    fix_by = models.DateField("整改期限", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    follow_up = models.TextField("整改情况（跟进）", blank=True)
    follow_up_on = models.DateField("跟进日期", null=True, blank=True)
    follow_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="跟进记录人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="公开人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    scope_field = "target__plan__division"

    class Meta:
        verbose_name = "抽查结果"
        verbose_name_plural = "抽查结果"
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["published_at"], name="sv_result_published",
                                condition=Q(published_at__isnull=False))]

    def __str__(self):
        return f"{self.target.organization} {self.get_conclusion_display()}"

    def clean(self):
        super().clean()
        if self.conclusion == self.Conclusion.TO_FIX and not self.fix_by:
            raise ValidationError({"fix_by": "结论为责令限期整改时，请填写整改期限。"})
