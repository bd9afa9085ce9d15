from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cso.core.scoping import CHANGE, VIEW, ScopedManager, ScopedModel, ScopedQuerySet

from . import codes
from .choices import AuthorityKind, FiguresSource, Level, UnitType


class DivisionQuerySet(ScopedQuerySet):
    def current(self):
        """Divisions listed in the latest imported code table (not abolished)."""
        return self.filter(abolished_in__isnull=True)

    def subtree_of(self, division, include_self: bool = True):
        qs = self.within(division.prefix)
        if not include_self:
            qs = qs.exclude(pk=division.pk)
        return qs


class DivisionManager(ScopedManager.from_queryset(DivisionQuerySet)):
    pass


class Division(ScopedModel):
    """One unit of the five-level administrative hierarchy, keyed by its statistical code.

    The 12-digit code is the primary key, so every table that points at a division stores the
    code itself and can be filtered by subtree (code range) without a join.
    """

    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    unit_type = models.CharField("单位类型", max_length=12, choices=UnitType.choices, blank=True)
    urban_rural_code = models.CharField("城乡分类代码", max_length=3, blank=True)
    urban_rural_edition = models.PositiveSmallIntegerField(
        "城乡分类代码版本（年）", null=True, blank=True,
        help_text="城乡分类代码取自哪一年的区划代码表；早于区划代码版本时为代用数据。",
    )
    edition = models.PositiveSmallIntegerField("区划代码表版本（年）", help_text="最近一次出现该代码的年度代码表")
    first_edition = models.PositiveSmallIntegerField("首次出现年度")
    abolished_in = models.PositiveSmallIntegerField(
        "撤销年度", null=True, blank=True, help_text="不再出现在该年度代码表中（撤并、撤销）"
    )
    successor = models.ForeignKey(
        "self", verbose_name="承继单位", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    population = models.PositiveIntegerField("常住人口（人）", null=True, blank=True)
    households = models.PositiveIntegerField("户数（户）", null=True, blank=True)
    figures_source = models.CharField(
        "人口户数来源", max_length=10, choices=FiguresSource.choices, default=FiguresSource.NONE,
        blank=True,
    )
    figures_year = models.PositiveSmallIntegerField("人口户数年度", null=True, blank=True)
    facility_area = models.DecimalField(
        "社区综合服务设施面积（㎡）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    facility_area_estimated = models.BooleanField("设施面积为估算", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], cascade_delete_history=False)

    objects = DivisionManager()
    scope_field = "code"

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        indexes = [
            models.Index(fields=["level", "code"], name="division_level_code"),
            models.Index(fields=["parent", "code"], name="division_parent_code"),
        ]

    def __str__(self):
        return self.name

    # --- derived facts -------------------------------------------------------------------
    @property
    def prefix(self) -> str:
        return codes.prefix_of(self.code, self.level)

    @property
    def is_abolished(self) -> bool:
        return self.abolished_in is not None

    @property
    def urban_by_committee(self) -> bool | None:
        """Urban by committee type (居委会) — one of the two readings the policies use."""
        if self.level != codes.COMMUNITY:
            return None
        return codes.is_urban_by_committee(self.code)

    @property
    def urban_by_code(self) -> bool | None:
        """Urban by 城乡分类代码 (1xx) — the other reading."""
        return codes.is_urban_by_urban_rural_code(self.urban_rural_code)

    @property
    def urban_rural_label(self) -> str:
        return codes.URBAN_RURAL_CODES.get(self.urban_rural_code, "")

    @property
    def urban_rural_is_proxy(self) -> bool:
        return bool(
            self.urban_rural_code and self.urban_rural_edition and self.urban_rural_edition < self.edition
        )

    @property
    def figures_estimated(self) -> bool:
        return self.figures_source == FiguresSource.ESTIMATE

    @property
    def facility_area_per_100_households(self):
        if self.facility_area is None or not self.households:
            return None
        return round(float(self.facility_area) * 100 / self.households, 1)

    def ancestors(self) -> list["Division"]:
        """Ancestors from the province down (excluding self), in one query."""
        ancestor_codes: list[str] = []
        for n in (2, 4, 6, 9):
            if n < len(self.prefix):
                candidate = codes.pad_code(self.code[:n])
                if candidate not in ancestor_codes:
                    ancestor_codes.append(candidate)
        found = {d.code: d for d in Division.objects.filter(code__in=ancestor_codes)}
        return [found[c] for c in ancestor_codes if c in found and c != self.code]

    def save(self, *args, **kwargs):
        self.unit_type = codes.unit_type_of(self.code, self.level)
        if not self.first_edition:
            self.first_edition = self.edition
        super().save(*args, **kwargs)

    # --- scoping ---------------------------------------------------------------------------
    @classmethod
    def scope_extra_q(cls, user, action):
        if action == VIEW:
            return Q()
        if action == CHANGE and (user.is_superuser or getattr(user, "is_staff_role", False)):
            return Q()
        return None


class AuthorityQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def above(self, division: Division | None):
        """The bodies of the divisions above ``division`` (its city and province) and 民政部."""
        if division is None:
            return self.filter(division__isnull=True)
        above = [a.code for a in division.ancestors() if a.level < codes.COUNTY]
        if division.level < codes.COUNTY:
            above.append(division.code)
        return self.filter(Q(division__isnull=True) | Q(division__in=above))

    def may_register_for(self, division: Division | None):
        """The bodies that may register an organization sitting in ``division``: those of its
        county that register (``registers``), plus the city and province bodies above it and
        民政部 (organizations registered above the county keep their real authority)."""
        if division is None:
            return self.active().filter(division__isnull=True)
        county = next((d for d in [division, *division.ancestors()] if d.level == codes.COUNTY), None)
        q = Q(pk__in=self.above(division).values("pk"))
        if county is not None:
            q |= Q(division=county, registers=True)
        return self.active().filter(q)


class Authority(models.Model):
    """A body that registers (登记管理机关) or supervises social organizations: 民政部, a provincial
    民政厅, a city or county 民政局, or a county's 行政审批服务管理局 (seed 000: where the approval
    bureau registers, the 民政局 supervises after registration).

    ``registers`` is the per-county setting of which body registers; ``division`` is empty only
    for 民政部. Organizations point at their registering body; their
    ``registration_authority_division`` is always this body's division.
    """

    MINISTRY_NAME = "民政部"
    MINISTRY_REGION_CODE = "100000"  # the region code 民政部 gives in credit codes (GB 32100)

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=20, choices=AuthorityKind.choices)
    division = models.ForeignKey(
        Division, verbose_name="所在区划", null=True, blank=True, on_delete=models.PROTECT,
        related_name="authorities", help_text="民政部为空。",
    )
    registers = models.BooleanField(
        "负责登记", default=True,
        help_text="本机关登记本区划的社会组织；县（区）由行政审批服务管理局登记时，民政局不勾选（只负责监管）。",
    )
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0, help_text="同一区划内的排列顺序。")

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        verbose_name = "登记管理机关"
        verbose_name_plural = "登记管理机关"
        ordering = ["division_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["division", "name"], name="regions_authority_name_per_division",
                                    violation_error_message="同一区划内已有同名机关。"),
            models.UniqueConstraint(fields=["name"], condition=Q(division__isnull=True),
                                    name="regions_authority_national_name",
                                    violation_error_message="已有同名的全国性机关。"),
            models.CheckConstraint(
                condition=Q(kind=AuthorityKind.MINISTRY, division__isnull=True)
                | (~Q(kind=AuthorityKind.MINISTRY) & Q(division__isnull=False)),
                name="regions_authority_division_by_kind",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def level(self) -> int | None:
        """The level of the authority's division (None for 民政部)."""
        return self.division.level if self.division_id else None

    @property
    def region_code(self) -> str:
        """The 6-digit region code (GB/T 2260) this body writes into characters 3–8 of the credit
        codes it issues: its division's first six digits, ``100000`` for 民政部."""
        if not self.division_id:
            return self.MINISTRY_REGION_CODE
        return self.division_id[:6]

    def clean(self):
        super().clean()
        if self.kind == AuthorityKind.MINISTRY and self.division_id:
            raise ValidationError({"division": "民政部不属于任何区划，所在区划应为空。"})
        if self.kind != AuthorityKind.MINISTRY:
            if not self.division_id:
                raise ValidationError({"division": "请选择机关所在的区划。"})
            expected = AUTHORITY_KIND_LEVELS.get(self.kind)
            if expected and self.division.level not in expected:
                levels = "或".join(codes.LEVEL_NAMES[x] for x in expected)
                raise ValidationError({"division": f"{self.get_kind_display()}应设在{levels}区划。"})


AUTHORITY_KIND_LEVELS = {
    AuthorityKind.PROVINCE_BUREAU: (codes.PROVINCE,),
    AuthorityKind.CITY_BUREAU: (codes.CITY,),
    AuthorityKind.COUNTY_BUREAU: (codes.COUNTY,),
    AuthorityKind.APPROVAL_BUREAU: (codes.COUNTY, codes.CITY),
}


class ImportRun(models.Model):
    """One run of a division data import: who, what file, what happened. Kept for the audit."""

    KIND_CHOICES = [
        ("divisions", "区划代码"),
        ("population", "人口户数"),
        ("urban_rural", "城乡分类代码"),
        ("estimate", "估算人口户数"),
    ]
    kind = models.CharField("类型", max_length=20, choices=KIND_CHOICES)
    source = models.CharField("数据文件", max_length=500)
    edition = models.PositiveSmallIntegerField("版本（年）", null=True, blank=True)
    scope_prefix = models.CharField("范围（代码前缀）", max_length=12, blank=True)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    applied = models.BooleanField("已写入", default=False)
    dry_run = models.BooleanField("仅校验", default=False)
    rows_read = models.PositiveIntegerField("读取行数", default=0)
    added = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    abolished = models.PositiveIntegerField("标记撤销", default=0)
    rejected = models.PositiveIntegerField("拒绝", default=0)
    report = models.TextField("报告", blank=True)
    user = models.ForeignKey(
        "accounts.User", verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = "区划数据导入记录"
        verbose_name_plural = "区划数据导入记录"
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.source} {self.started_at:%Y-%m-%d %H:%M}"
