"""The organization registry: organizations on two tracks, their leaders, venues, incubation
bases and hub memberships, status changes as domain rows, and a span table (SCD type 2) that
answers "what was true on date D" with one indexed query.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from cso.core.scoping import VIEW, ScopedManager, ScopedModel, ScopedQuerySet
from cso.regions import codes

from . import validators
from .choices import (
    FILED_TYPES,
    LIVE_STATUSES,
    REGISTERED_TYPES,
    BaseLevel,
    LeaderRole,
    OrgType,
    PartyBuilding,
    Status,
    Tier,
    Track,
)
from .search import pinyin_keys

MAX_BIT = 62  # masks are signed 64-bit integers: bits 0–62


def _province_code(division) -> str | None:
    code = getattr(division, "code", division)
    if not code:
        return None
    return codes.pad_code(str(code)[:2])


class RegistryRules(models.Model):
    """Registry rules that differ between provinces (RULES.md: "where a rule differs between places it
    must be a setting"). A province without a row has no capital floor, no federation minimum, and the
    county civil-affairs bureau files groups below the registration bar."""

    province = models.OneToOneField(
        "regions.Division", verbose_name="省级区划", on_delete=models.CASCADE, related_name="+",
        limit_choices_to={"level": codes.PROVINCE},
    )
    min_registered_capital = models.DecimalField(
        "注册资金下限（元）", max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text="社区社会组织（基金会除外）登记时注册资金不得低于此数；空为不设下限（广西：2000元，种子文件001）。",
    )
    federation_min_members = models.PositiveIntegerField(
        "街道（乡镇）联合会会员数下限", null=True, blank=True,
        help_text="登记街道（乡镇）社区社会组织联合会时会员组织不得少于此数；空为不设（广西：30个，种子文件001）。",
    )
    filing_level = models.PositiveSmallIntegerField(
        "备案机关", choices=[(codes.COUNTY, "县级民政局"), (codes.STREET, "街道办事处（乡镇人民政府）")],
        default=codes.COUNTY,
        help_text="未达到登记条件的社区社会组织向谁备案（RULES.md：上海为街道，其他地方多为县级民政局）。",
    )
    simplified_deregistration = models.BooleanField(
        "允许简易注销", default=False,
        help_text="没有剩余财产、没有债权债务的社区社会组织可简易注销，少交材料（种子文件002：鼓励探索注销登记简化办理程序）。",
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "登记规则（省级设置）"
        verbose_name_plural = "登记规则（省级设置）"

    def __str__(self):
        return f"{self.province}登记规则"

    @classmethod
    def for_division(cls, division) -> RegistryRules:
        """The rules of the division's province (an unsaved default when none are set); read once
        per province inside ``remembered_rules()`` (the import checks thousands of rows)."""
        code = _province_code(division)
        memo = _RULES_MEMO.get()
        if memo is not None and code in memo:
            return memo[code]
        rules = cls.objects.filter(province_id=code).first() if code else None
        rules = rules or cls(province_id=code, filing_level=codes.COUNTY)
        if memo is not None:
            memo[code] = rules
        return rules


_RULES_MEMO: ContextVar[dict | None] = ContextVar("registry_rules_memo", default=None)


@contextmanager
def remembered_rules():
    """Within this block each province's registry rules are read from the database once."""
    token = _RULES_MEMO.set({})
    try:
        yield
    finally:
        _RULES_MEMO.reset(token)


def min_registered_capital(division=None):
    """Registered capital floor in yuan for the division's province, or None (seed 001 sets 2000 in 广西)."""
    return RegistryRules.for_division(division).min_registered_capital


def federation_min_members(division=None):
    """Members a street/township federation needs in the division's province, or None (seed 001: 广西 30)."""
    return RegistryRules.for_division(division).federation_min_members


def filing_authority_level(division=None):
    """Level of the division that files groups below the registration bar (the province's setting)."""
    return RegistryRules.for_division(division).filing_level


# --- vocabularies that administrators extend -------------------------------------------------
class BitTermQuerySet(models.QuerySet):
    def mask(self) -> int:
        """The bitmask of these terms (for the span table)."""
        return sum(1 << bit for bit in set(self.values_list("bit", flat=True)))


class BitTerm(models.Model):
    """A term with a stable bit (0–62) so that a set of terms fits one bigint column."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60, unique=True)
    bit = models.PositiveSmallIntegerField(
        "位序", unique=True, validators=[MaxValueValidator(MAX_BIT)], editable=False,
        help_text="统计用的固定位序，分配后不再改变。",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    description = models.CharField("说明", max_length=200, blank=True)

    objects = BitTermQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "bit"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.bit is None:
            used = set(type(self).objects.values_list("bit", flat=True))
            free = [b for b in range(MAX_BIT + 1) if b not in used]
            if not free:
                raise ValidationError(f"{self._meta.verbose_name}已达上限{MAX_BIT + 1}项，请停用旧项而非新增。")
            self.bit = free[0]
        super().save(*args, **kwargs)

    @property
    def flag(self) -> int:
        return 1 << self.bit


class Category(BitTerm):
    class Meta(BitTerm.Meta):
        verbose_name = "组织类别"
        verbose_name_plural = "组织类别"
        constraints = [
            models.CheckConstraint(condition=Q(bit__lte=MAX_BIT), name="orgs_category_bit_range"),
        ]


class ServiceTarget(BitTerm):
    class Meta(BitTerm.Meta):
        verbose_name = "服务对象"
        verbose_name_plural = "服务对象"
        constraints = [
            models.CheckConstraint(condition=Q(bit__lte=MAX_BIT), name="orgs_target_bit_range"),
        ]


# --- venues and incubation bases -------------------------------------------------------------
class Venue(ScopedModel):
    """A registered place of activity; several organizations may share one (seed 001)."""

    name = models.CharField("场所名称", max_length=200)
    address = models.CharField("地址", max_length=300, blank=True)
    division = models.ForeignKey(
        "regions.Division", verbose_name="所在区划", on_delete=models.PROTECT, related_name="+"
    )
    area = models.DecimalField("面积（㎡）", max_digits=10, decimal_places=2, null=True, blank=True,
                               validators=[MinValueValidator(0)])
    notes = models.CharField("备注", max_length=300, blank=True)

    history = HistoricalRecords()
    scope_field = "division"

    class Meta:
        verbose_name = "活动场所"
        verbose_name_plural = "活动场所"
        ordering = ["division_id", "name"]

    def __str__(self):
        return self.name


class IncubationBase(ScopedModel):
    """A 孵化基地 (seed 000: 1–2 per county; seed 003: county, town and village levels)."""

    name = models.CharField("基地名称", max_length=200)
    division = models.ForeignKey(
        "regions.Division", verbose_name="所在区划", on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField("层级", choices=BaseLevel.choices)
    address = models.CharField("地址", max_length=300, blank=True)
    opened_on = models.DateField("建成日期", null=True, blank=True)

    history = HistoricalRecords()
    scope_field = "division"

    class Meta:
        verbose_name = "孵化基地"
        verbose_name_plural = "孵化基地"
        ordering = ["division_id", "name"]

    def __str__(self):
        return self.name

    def responsibility_facts(self):
        from cso.accounts.responsibilities import Facts

        pk = self.pk
        return Facts(division=self.division_id,
                     linked=lambda user: AccountLink.objects.filter(user=user, base_id=pk).exists())


# --- organizations ---------------------------------------------------------------------------
class OrganizationQuerySet(ScopedQuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)


class OrganizationManager(ScopedManager.from_queryset(OrganizationQuerySet)):
    pass


class CreationAwareHistoricalRecords(HistoricalRecords):
    """simple-history, minus the m2m history of a creation record: the "+" record is written by ``post_save``
    right after the INSERT, when the new row cannot have any m2m link yet, so its m2m history is always empty;
    reading it cost four queries per new organization (the links and the excluded fields, per m2m field).
    Setting the m2m afterwards writes its own "~" record with the links, as before."""

    def create_historical_record_m2ms(self, history_instance, instance):
        if history_instance.history_type == "+":
            return
        super().create_historical_record_m2ms(history_instance, instance)


class Organization(ScopedModel):
    """One social organization, registered (legal person) or filed, for its whole life.

    ``uid`` is the registry's own identifier: filed groups have no credit code, and a filed group
    that later registers keeps its record, its uid and its history.
    """

    uid = models.CharField("组织标识", max_length=16, unique=True, editable=False,
                           default=validators.generate_uid)
    # Indexed by Meta.indexes ("org_name", for the sort by name): a field-level index would add a
    # varchar_pattern_ops twin on PostgreSQL that no query uses (the name is searched by trigram).
    name = models.CharField("名称", max_length=200)
    # Search keys derived from the name (cso.orgs.search.pinyin_keys); kept in step by save() and
    # by every bulk loader.
    name_pinyin = models.CharField("名称拼音", max_length=600, blank=True, editable=False)
    name_initials = models.CharField("名称拼音首字母", max_length=200, blank=True, editable=False)
    track = models.CharField("管理方式", max_length=12, choices=Track.choices)
    org_type = models.CharField("组织类型", max_length=20, choices=OrgType.choices)
    tier = models.CharField("管理层级", max_length=12, choices=Tier.choices)
    credit_code = models.CharField("统一社会信用代码", max_length=18, null=True, blank=True)
    # The registering body (登记管理机关), one of a list of real bodies; empty for filed groups
    # (their filing division is ``registration_authority_division``). Indexed with the name by the
    # constraint "orgs_live_name_per_national_authority".
    registration_authority = models.ForeignKey(
        "regions.Authority", verbose_name="登记管理机关", null=True, blank=True, on_delete=models.PROTECT,
        related_name="organizations", db_index=False,
    )
    # Division codes are filtered by range or equality, never by LIKE: their indexes are explicit
    # (Meta.indexes), without the varchar_pattern_ops twin a field-level index adds on PostgreSQL;
    # ``division`` needs no index of its own, the composite indexes below lead with it.
    # Always the registering body's division (empty for 民政部); for a filed group the division that
    # files it. Constraints, statistics and the REGISTERED_HERE reach read it.
    registration_authority_division = models.ForeignKey(
        "regions.Division", verbose_name="登记（备案）机关所在区划", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", db_index=False,
    )
    division = models.ForeignKey(
        "regions.Division", verbose_name="所在社区（区划）", on_delete=models.PROTECT,
        related_name="organizations", db_index=False,
    )
    # As on the registration certificate (登记证书): the supervising unit where one exists — the
    # kinds that register directly (直接登记: 行业协会商会, 科技类, 公益慈善类, 城乡社区服务类; RULES.md)
    # have none — and the business scope.
    supervising_unit = models.CharField(
        "业务主管单位", max_length=200, blank=True, default="",
        help_text="直接登记的组织（行业协会商会类、科技类、公益慈善类、城乡社区服务类）没有业务主管单位，留空。",
    )
    business_scope = models.TextField("业务范围", blank=True, default="", help_text="按登记证书填写。")
    address = models.CharField("住所（活动地址）", max_length=300, blank=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    registered_on = models.DateField("登记日期", null=True, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    categories = models.ManyToManyField(Category, verbose_name="类别", blank=True, related_name="organizations")
    service_targets = models.ManyToManyField(
        ServiceTarget, verbose_name="服务对象", blank=True, related_name="organizations"
    )
    member_count = models.PositiveIntegerField("成员数", null=True, blank=True)
    registered_capital = models.DecimalField(
        "注册资金（元）", max_digits=16, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    financial_custody = models.BooleanField("财务托管（代管）", default=False)
    venue = models.ForeignKey(
        Venue, verbose_name="活动场所", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="organizations",
    )
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    # Kept by the organization's own account (the portal's contact page), not registered facts.
    # (a database default too: the bulk loaders — import, demo generator — insert named columns only)
    activity_schedule = models.CharField("活动时间", max_length=200, blank=True, default="", db_default="",
                                         help_text="如“每周三下午3点至5点”。")
    activity_place = models.CharField("活动地点", max_length=300, blank=True, default="", db_default="")
    description = models.TextField("组织简介", blank=True, default="", db_default="", max_length=2000)
    party_building = models.CharField(
        "党建情况", max_length=12, choices=PartyBuilding.choices, default=PartyBuilding.NONE
    )
    incubated_by = models.ForeignKey(
        IncubationBase, verbose_name="孵化基地", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="organizations",
    )
    is_hub = models.BooleanField(
        "枢纽型组织", default=False, help_text="联合会、促进会等枢纽型社会组织"
    )
    tags = models.JSONField("标签", default=list, blank=True)
    status = models.CharField("状态", max_length=14, choices=Status.choices, default=Status.ACTIVE)
    is_community_org = models.BooleanField(
        "社区社会组织", default=True,
        help_text="县级及以下登记且扎根社区的社会团体、社会服务机构，以及全部备案组织；基金会不是。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    import_job = models.ForeignKey(
        "core.ImportJob", verbose_name="导入任务", null=True, blank=True, editable=False, db_index=False,
        on_delete=models.SET_NULL, related_name="+", help_text="批量导入时创建该组织的导入任务；手工录入的为空。",
    )

    # The history is read per organization (its ``id``) and by date; the indexes simple-history
    # would copy from the model's fields serve no query and slow every write (the import's most).
    history = CreationAwareHistoricalRecords(
        excluded_fields=["updated_at", "created_at", "name_pinyin", "name_initials", "import_job"],
        m2m_fields=[categories, service_targets],
        cascade_delete_history=False,
        # (the same list applies to the m2m history tables: organization, category, servicetarget;
        # they are read by history_id)
        no_db_index=["uid", "name", "registration_authority", "registration_authority_division", "division", "venue",
                     "incubated_by", "created_by", "organization", "category", "servicetarget"],
    )

    objects = OrganizationManager()
    scope_field = "division"

    class Meta:
        verbose_name = "社会组织"
        verbose_name_plural = "社会组织"
        ordering = ["division_id", "name", "id"]
        indexes = [
            models.Index(fields=["division", "status"], name="org_division_status"),
            models.Index(fields=["name"], name="org_name"),
            models.Index(fields=["registration_authority_division"], name="org_authority_division"),
            # Equality and prefix (LIKE 'x%') lookups of the code; on PostgreSQL one pattern-ops B-tree
            # serves both (migration 0017: the plain twin it had was written by every insert and read by
            # nothing), elsewhere the opclass is ignored and the index is a plain one.
            models.Index(fields=["credit_code"], name="org_credit_code", opclasses=["varchar_pattern_ops"]),
            # The list's default order inside a division subtree (keyset and OFFSET pages); on
            # PostgreSQL the common list filters ride along, so that filtered deep pages stay
            # index-only scans.
            models.Index(fields=["division", "name", "id"], name="org_division_name_cover",
                         include=["status", "track", "org_type", "tier", "party_building", "is_community_org"]),
            # "the organizations of this import" (the list after an import); generated and hand-entered
            # organizations have none, so the index holds imported ones only.
            models.Index(fields=["import_job"], name="org_import_job", condition=Q(import_job__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=Q(credit_code__isnull=False, status__in=LIVE_STATUSES),
                name="orgs_live_credit_code_unique",
                violation_error_message="已有同一统一社会信用代码的存续组织。",
            ),
            models.UniqueConstraint(
                fields=["registration_authority_division", "name"],
                condition=Q(
                    track=Track.REGISTERED, status__in=LIVE_STATUSES,
                    registration_authority_division__isnull=False,
                ),
                name="orgs_live_name_per_authority_unique",
                violation_error_message="同一登记机关下已有同名的存续组织。",
            ),
            # organizations registered by 民政部 (no division): one live name per body
            models.UniqueConstraint(
                fields=["registration_authority", "name"],
                condition=Q(
                    track=Track.REGISTERED, status__in=LIVE_STATUSES,
                    registration_authority_division__isnull=True, registration_authority__isnull=False,
                ),
                name="orgs_live_name_per_national_authority",
                violation_error_message="同一登记管理机关下已有同名的存续组织。",
            ),
            models.CheckConstraint(
                condition=Q(track=Track.FILED, credit_code__isnull=True) | Q(track=Track.REGISTERED),
                name="orgs_filed_has_no_credit_code",
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # the registering body as stored (a body may stop registering; its organizations stay valid)
        instance._loaded_authority_id = instance.__dict__.get("registration_authority_id")
        return instance

    def save(self, *args, **kwargs):
        self.name_pinyin, self.name_initials = pinyin_keys(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_pinyin", "name_initials"}
        super().save(*args, **kwargs)

    # --- derived facts -------------------------------------------------------------------
    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def is_federation(self) -> bool:
        """A 联合会 (by name) or an organization flagged as a hub: needs enough members."""
        return self.is_hub or "联合会" in (self.name or "")

    @property
    def is_street_federation(self) -> bool:
        """A 街道（乡镇）社区社会组织联合会: the one kind seed 001 gives a member minimum."""
        name = self.name or ""
        if "联合会" not in name or self.division_id is None:
            return False
        level = codes.level_of(self.division_id)
        return level == codes.STREET or (level == codes.COMMUNITY and any(w in name for w in ("街道", "乡", "镇")))

    @property
    def responsibility_track(self) -> str:
        """The track the responsibilities table reads: registered, filed, or a community's small group."""
        from cso.accounts import responsibilities as r

        if self.track == Track.REGISTERED:
            return r.REGISTERED
        return r.COMMUNITY_GROUP if self.tier == Tier.COMMUNITY else r.FILED

    def responsibility_facts(self):
        from cso.accounts.responsibilities import Facts

        pk = self.pk
        base_id = self.incubated_by_id

        def linked(user) -> bool:
            if pk is None:
                return False
            links = AccountLink.objects.filter(user=user)
            if links.filter(Q(organization_id=pk) | (Q(base_id=base_id) if base_id else Q(pk__in=[]))).exists():
                return True
            return is_operator(user) and HubMembership.objects.filter(
                member_id=pk, left_on__isnull=True, hub__is_hub=True, hub__account_links__user=user).exists()

        return Facts(division=self.division_id, authority_division=self.registration_authority_division_id,
                     track=self.responsibility_track, linked=linked)

    @property
    def started_on(self) -> date | None:
        """The day the organization enters the registry's statistics."""
        if self.track == Track.REGISTERED:
            candidates = [d for d in (self.filed_on, self.registered_on) if d]
            return min(candidates) if candidates else None
        return self.filed_on

    @property
    def urban_by_committee(self):
        return self.division.urban_by_committee

    @property
    def urban_by_code(self):
        return self.division.urban_by_code

    def current_members(self):
        return Organization.objects.filter(hub_links__hub=self, hub_links__left_on__isnull=True)

    def span_facts(self, masks: tuple[int, int] | None = None) -> dict:
        """The denormalised facts the span table stores, from the current record. ``masks``: the categories' and
        service targets' bitmasks when the caller already knows them (a new organization), else they are read."""
        if masks is None:
            masks = (self.categories.all().mask(), self.service_targets.all().mask()) if self.pk else (0, 0)
        return {
            "status": self.status,
            "division_id": self.division_id,
            "track": self.track,
            "org_type": self.org_type,
            "tier": self.tier,
            "is_community_org": self.is_community_org,
            "party_building": self.party_building,
            "is_incubated": self.incubated_by_id is not None,
            "is_hub": self.is_federation,
            "categories_mask": masks[0],
            "targets_mask": masks[1],
        }

    def authority_problem(self) -> str | None:
        """Why the chosen registering body cannot have registered this organization, or None.

        A body may register an organization sitting in its own county when it is the county's
        registering body (``Authority.registers``); a city or provincial body or 民政部 may
        register organizations anywhere below it (organizations registered above the county keep
        their real authority and their location)."""
        authority = self.registration_authority
        if authority is None:
            return None
        # A body that stopped registering (or was retired) still registered the organizations it
        # did: only a newly chosen body must be active and register here.
        chosen_now = self.registration_authority_id != getattr(self, "_loaded_authority_id", None)
        if chosen_now and not authority.is_active:
            return f"登记管理机关“{authority.name}”已停用。"
        if not self.division_id or authority.division_id is None:
            return None
        division = authority.division
        if not self.division_id.startswith(division.prefix):
            return (f"登记管理机关“{authority.name}”不在组织所在区划（{self.division.name}）的上级，"
                    "请选择组织所在县（区）的登记管理机关或其上级机关。")
        if chosen_now and division.level >= codes.COUNTY and not authority.registers:
            return (f"“{authority.name}”在本县（区）不负责社会组织登记（只负责监管），"
                    "请选择本县（区）的登记管理机关。")
        return None

    def credit_code_warning(self) -> str | None:
        """A warning (not an error) when characters 3–8 of the credit code are not the region code
        of the chosen registering body (RULES.md, GB 32100-2015). Division codes change over
        time, so a code issued before a re-division may legitimately differ."""
        if not self.credit_code or self.registration_authority is None:
            return None
        return validators.credit_code_region_warning(self.credit_code, self.registration_authority)

    # --- rules ---------------------------------------------------------------------------
    def clean(self):
        super().clean()
        errors: dict[str, list[str]] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        today = date.today()
        registered = self.track == Track.REGISTERED
        if self.name:
            self.name = self.name.strip()
        self.supervising_unit = (self.supervising_unit or "").strip()
        self.business_scope = (self.business_scope or "").strip()
        # type, tier and track belong together
        if registered and self.org_type and self.org_type not in REGISTERED_TYPES:
            add("org_type", f"登记类组织的类型应为社会团体、民办非企业单位（社会服务机构）或基金会，"
                            f"不能是“{OrgType(self.org_type).label}”。")
        if self.track == Track.FILED and self.org_type and self.org_type not in FILED_TYPES:
            add("org_type", f"备案类组织的类型应为群众活动团队或社区活动小组，不能是“{OrgType(self.org_type).label}”。")
        if registered and self.tier and self.tier != Tier.REGISTERED:
            add("tier", "登记类组织的管理层级应为“依法登记”。")
        if self.track == Track.FILED and self.tier == Tier.REGISTERED:
            add("tier", "备案类组织应由街道（乡镇）管理或由居（村）委会指导，不能是“依法登记”。")

        # credit code
        self.credit_code = validators.normalize_credit_code(self.credit_code) or None
        if registered:
            if not self.credit_code:
                add("credit_code", "登记类组织须填写统一社会信用代码。")
            else:
                try:
                    self.credit_code = validators.validate_credit_code(
                        self.credit_code, self.org_type if self.org_type in REGISTERED_TYPES else None
                    )
                except ValidationError as exc:
                    add("credit_code", exc.messages[0])
            if not self.registration_authority_id:
                add("registration_authority", "登记类组织须选择登记管理机关。")
            else:
                problem = self.authority_problem()
                if problem:
                    add("registration_authority", problem)
                # the authority's division is the one the constraints and statistics read
                self.registration_authority_division_id = self.registration_authority.division_id
            if not self.registered_on:
                add("registered_on", "登记类组织须填写登记日期。")
            if self.org_type != OrgType.FOUNDATION:
                floor = min_registered_capital(self.division_id) if self.is_community_org else None
                if self.registered_capital is None:
                    add("registered_capital", "登记类社会团体、社会服务机构须填写注册资金。")
                elif floor is not None and self.registered_capital < floor:
                    add("registered_capital",
                        f"注册资金不得低于{floor.normalize():f}元（本省登记规则，基金会除外），"
                        f"当前为{self.registered_capital}元。")
        elif self.track == Track.FILED:
            if self.supervising_unit:
                add("supervising_unit", "备案类组织未经登记，没有业务主管单位；请留空。")
            if self.registration_authority_id:
                add("registration_authority", "备案类组织由所在街道（乡镇）备案，没有登记管理机关；请留空。")
            if self.credit_code:
                add("credit_code", "备案类组织不是法人，没有统一社会信用代码；取得登记后请办理“登记转换”。")
            if not self.filed_on:
                add("filed_on", "备案类组织须填写备案日期。")

        # where it sits
        if self.division_id:
            level = self.division.level
            if self.track == Track.FILED and level != codes.COMMUNITY:
                add("division", "备案类组织须归属于一个社区（村），请选择社区（村）一级的区划。")
            if registered and self.is_community_org and level < codes.COUNTY:
                add("division", "社区社会组织应在县级及以下登记，所在区划应为县（区）、街道（乡镇）或社区（村）。")
        if self.org_type == OrgType.FOUNDATION and self.is_community_org:
            add("is_community_org", "基金会不属于社区社会组织。")
        if self.track == Track.FILED and not self.is_community_org:
            add("is_community_org", "备案类组织都是社区社会组织。")

        # dates
        for field in ("founded_on", "registered_on", "filed_on"):
            value = getattr(self, field)
            if value and value > today:
                add(field, f"{self._meta.get_field(field).verbose_name}不能晚于今天。")
        later = [d for d in (self.registered_on, self.filed_on) if d]
        if self.founded_on and later and self.founded_on > min(later):
            add("founded_on", "成立日期不能晚于登记（备案）日期。")

        # contact
        if self.contact_phone:
            try:
                self.contact_phone = validators.validate_phone(self.contact_phone)
            except ValidationError as exc:
                add("contact_phone", exc.messages[0])
        if not isinstance(self.tags, list) or not all(isinstance(t, str) for t in self.tags):
            add("tags", "标签应为文字列表。")
        else:
            self.tags = sorted({t.strip() for t in self.tags if t and t.strip()})

        # uniqueness among live organizations
        if self.status in LIVE_STATUSES:
            others = Organization.objects.live().exclude(pk=self.pk)
            if self.credit_code and "credit_code" not in errors:
                clash = others.filter(credit_code=self.credit_code).first()
                if clash:
                    add("credit_code",
                        f"统一社会信用代码{self.credit_code}已被存续组织“{clash.name}”（{clash.uid}）使用。")
            if registered and self.name and (self.registration_authority_division_id
                                             or self.registration_authority_id):
                same_body = (
                    Q(registration_authority_division_id=self.registration_authority_division_id)
                    if self.registration_authority_division_id
                    else Q(registration_authority_division__isnull=True,
                           registration_authority_id=self.registration_authority_id)
                )
                clash = others.filter(same_body, track=Track.REGISTERED, name=self.name).first()
                if clash:
                    add("name", f"同一登记管理机关下已有同名的存续组织“{clash.name}”（{clash.uid}）。")
            if self.track == Track.FILED and self.name and self.division_id:
                clash = others.filter(track=Track.FILED, name=self.name, division_id=self.division_id).first()
                if clash:
                    add("name", f"本社区已有同名的存续备案组织“{clash.name}”（{clash.uid}）。")
        if errors:
            raise ValidationError(errors)

    # --- scoping ---------------------------------------------------------------------------
    @classmethod
    def scope_extra_q(cls, user, action):
        """Staff read their subtree; an organization's or an operator's account only what is linked to it.
        What each may change is the responsibilities table's to say (``cso.accounts.responsibilities``)."""
        if user.is_superuser or getattr(user, "is_staff_role", False):
            return Q()
        if action == VIEW:
            return linked_q(user)
        return None


def is_operator(user) -> bool:
    return getattr(user, "role", None) == "operator"  # cso.accounts.choices.Role.OPERATOR


def linked_q(user, prefix: str = "") -> Q:
    """Organizations linked to this account: directly, or incubated by a base linked to it; for an operator's
    account also the live members of the hub organizations (枢纽型组织) linked to it."""
    links = AccountLink.objects.filter(user=user)
    q = (Q(**{f"{prefix}pk__in": links.filter(organization__isnull=False).values("organization")})
         | Q(**{f"{prefix}incubated_by__in": links.filter(base__isnull=False).values("base")}))
    if is_operator(user):
        hubs = links.filter(organization__isnull=False, organization__is_hub=True).values("organization")
        members = HubMembership.objects.filter(hub__in=hubs, left_on__isnull=True).values("member")
        q |= Q(**{f"{prefix}pk__in": members})
    return q


class AccountLink(ScopedModel):
    """An organization's or an incubation base operator's account, linked by staff to what it may read
    (sign-up and invitations come with online handling)."""

    class LinkRole(models.TextChoices):
        HEAD = "head", "负责人"
        LIAISON = "liaison", "联络员"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE,
                             related_name="links")
    organization = models.ForeignKey(Organization, verbose_name="组织", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="account_links")
    base = models.ForeignKey(IncubationBase, verbose_name="孵化基地", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="account_links")
    role = models.CharField("身份", max_length=10, choices=LinkRole.choices, default=LinkRole.LIAISON)
    division = models.ForeignKey("regions.Division", verbose_name="所在区划", on_delete=models.PROTECT,
                                 related_name="+", help_text="所关联组织（基地）所在的区划")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设置人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    history = HistoricalRecords()
    scope_field = "division"

    class Meta:
        verbose_name = "账号关联"
        verbose_name_plural = "账号关联"
        ordering = ["division_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False, base__isnull=True)
                | Q(organization__isnull=True, base__isnull=False),
                name="orgs_link_one_target",
            ),
            models.UniqueConstraint(fields=["user", "organization"], name="orgs_link_user_org_unique",
                                    condition=Q(organization__isnull=False)),
            models.UniqueConstraint(fields=["user", "base"], name="orgs_link_user_base_unique",
                                    condition=Q(base__isnull=False)),
        ]

    def __str__(self):
        return f"{self.user} → {self.organization or self.base}（{self.get_role_display()}）"

    @property
    def target(self):
        return self.organization or self.base

    @classmethod
    def scope_extra_q(cls, user, action):
        if user.is_superuser or getattr(user, "is_staff_role", False):
            return Q()
        if action == VIEW:
            return Q(user=user)
        return None


class Leader(ScopedModel):
    """A leader (负责人, 法定代表人, …) of one organization."""

    organization = models.ForeignKey(Organization, verbose_name="组织", on_delete=models.CASCADE,
                                     related_name="leaders")
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("职务", max_length=20, choices=LeaderRole.choices, default=LeaderRole.HEAD)
    id_number = models.CharField("身份证号码", max_length=18, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_party_member = models.BooleanField("中共党员", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)

    # Leader history is read per leader (its ``id``) and per organization: the zombie scan's "no change of
    # leaders" signal takes each organization's last history date (an index scan, not a scan of the table).
    history = HistoricalRecords()
    scope_field = "organization__division"

    class Meta:
        verbose_name = "负责人"
        verbose_name_plural = "负责人"
        ordering = ["organization_id", "order", "id"]
        # prefix search on leaders' names (LIKE 'x%'; nothing sorts or matches the whole table by it):
        # one pattern-ops B-tree on PostgreSQL (migration 0017), a plain index elsewhere
        indexes = [models.Index(fields=["name"], name="orgs_leader_name", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"

    @property
    def masked_id_number(self) -> str:
        return validators.mask_id_number(self.id_number)

    def id_number_for(self, user) -> str:
        """The full number for staff who may change the organization; masked for everyone else."""
        from cso.accounts.responsibilities import can

        if self.id_number and can(user, "orgs.change", self.organization):
            return self.id_number
        return self.masked_id_number

    def clean(self):
        super().clean()
        errors = {}
        if self.id_number:
            try:
                self.id_number = validators.validate_id_number(self.id_number)
            except ValidationError as exc:
                errors["id_number"] = exc.messages
        if self.phone:
            try:
                self.phone = validators.validate_phone(self.phone)
            except ValidationError as exc:
                errors["phone"] = exc.messages
        if errors:
            raise ValidationError(errors)


class HubMembership(ScopedModel):
    """An organization's membership in a hub (联合会 / 促进会), with the dates it held."""

    hub = models.ForeignKey(Organization, verbose_name="枢纽组织", on_delete=models.CASCADE,
                            related_name="member_links")
    member = models.ForeignKey(Organization, verbose_name="成员组织", on_delete=models.CASCADE,
                               related_name="hub_links")
    joined_on = models.DateField("加入日期")
    left_on = models.DateField("退出日期", null=True, blank=True)

    history = HistoricalRecords()
    scope_field = "hub__division"

    class Meta:
        verbose_name = "枢纽组织成员"
        verbose_name_plural = "枢纽组织成员"
        ordering = ["hub_id", "joined_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(hub=F("member")), name="orgs_hub_not_own_member"),
            models.UniqueConstraint(
                fields=["hub", "member"], condition=Q(left_on__isnull=True), name="orgs_one_open_membership",
                violation_error_message="该组织已是此枢纽组织的成员。",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="orgs_membership_dates",
                violation_error_message="退出日期不能早于加入日期。",
            ),
        ]

    def __str__(self):
        return f"{self.member} ∈ {self.hub}"

    def responsibility_facts(self):
        """Placed at the hub; "linked" is an account linked to the hub or to the member (either may end it)."""
        from cso.accounts.responsibilities import Facts

        hub_id, member_id = self.hub_id, self.member_id
        return Facts(division=self.hub.division_id, track=self.hub.responsibility_track,
                     linked=lambda user: AccountLink.objects.filter(
                         user=user, organization_id__in=[hub_id, member_id]).exists())


# --- history: status changes and state spans -------------------------------------------------
class StatusChange(ScopedModel):
    """A change of status: a domain row with who, when, why and the date it took effect."""

    # Indexed by "orgs_statuschange_org_date", which leads with it.
    organization = models.ForeignKey(Organization, verbose_name="组织", on_delete=models.CASCADE,
                                     related_name="status_changes", db_index=False)
    from_status = models.CharField("原状态", max_length=14, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=14, choices=Status.choices)
    effective_date = models.DateField("生效日期")
    reason = models.TextField("原因")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    corrects = models.ForeignKey(
        "self", verbose_name="更正的状态变更", null=True, blank=True, on_delete=models.PROTECT,
        related_name="corrections", help_text="更正：撤回一次错误的状态变更；错误的一步仍留在记录中。",
    )

    scope_field = "organization__division"

    class Meta:
        verbose_name = "状态变更"
        verbose_name_plural = "状态变更"
        ordering = ["organization_id", "effective_date", "id"]
        indexes = [
            models.Index(fields=["organization", "effective_date"], name="orgs_statuschange_org_date"),
            models.Index(fields=["to_status", "effective_date"], name="orgs_statuschange_to_date"),
        ]

    def __str__(self):
        return f"{self.organization}：{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def is_corrected(self) -> bool:
        return any(True for _ in self.corrections.all())

    @classmethod
    def scope_extra_q(cls, user, action):
        return Q() if action == VIEW else None


class OrgStateSpanQuerySet(ScopedQuerySet):
    def as_of(self, day: date):
        """The one span of each organization that holds on ``day`` (organizations not yet
        started on that day have none)."""
        return self.filter(valid_from__lte=day).filter(Q(valid_to__gt=day) | Q(valid_to__isnull=True))

    def with_category(self, category: Category):
        return self.alias(_cat=F("categories_mask").bitand(1 << category.bit)).filter(_cat__gt=0)

    def with_target(self, target: ServiceTarget):
        return self.alias(_tgt=F("targets_mask").bitand(1 << target.bit)).filter(_tgt__gt=0)


class OrgStateSpanManager(ScopedManager.from_queryset(OrgStateSpanQuerySet)):
    pass


class OrgStateSpan(ScopedModel):
    """What was true of one organization from ``valid_from`` (inclusive) to ``valid_to``
    (exclusive; empty = still true). The spans of one organization never overlap and leave no
    gap from the day it started. Written only by ``cso.orgs.services``.
    """

    # Neither foreign key needs an index of its own: "orgs_span_one_per_start" leads with the
    # organization and "orgs_span_division_from" with the division (filtered by code range).
    organization = models.ForeignKey(Organization, verbose_name="组织", on_delete=models.CASCADE,
                                     related_name="spans", db_index=False)
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期（不含）", null=True, blank=True)
    status = models.CharField("状态", max_length=14, choices=Status.choices)
    division = models.ForeignKey(
        "regions.Division", verbose_name="所在区划", on_delete=models.PROTECT, related_name="+",
        db_constraint=True, db_index=False,
    )
    track = models.CharField("管理方式", max_length=12, choices=Track.choices)
    org_type = models.CharField("组织类型", max_length=20, choices=OrgType.choices)
    tier = models.CharField("管理层级", max_length=12, choices=Tier.choices)
    is_community_org = models.BooleanField("社区社会组织")
    party_building = models.CharField("党建情况", max_length=12, choices=PartyBuilding.choices)
    is_incubated = models.BooleanField("经孵化", default=False)
    is_hub = models.BooleanField("枢纽型组织", default=False)
    categories_mask = models.BigIntegerField("类别位图", default=0)
    targets_mask = models.BigIntegerField("服务对象位图", default=0)

    objects = OrgStateSpanManager()
    scope_field = "division"

    FACTS = (
        "status", "division_id", "track", "org_type", "tier", "is_community_org", "party_building",
        "is_incubated", "is_hub", "categories_mask", "targets_mask",
    )

    class Meta:
        verbose_name = "组织状态区间"
        verbose_name_plural = "组织状态区间"
        ordering = ["organization_id", "valid_from"]
        indexes = [
            models.Index(fields=["valid_from", "valid_to"], name="orgs_span_validity"),
            models.Index(fields=["division", "valid_from"], name="orgs_span_division_from"),
            models.Index(fields=["status", "valid_from"], name="orgs_span_status_from"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "valid_from"], name="orgs_span_one_per_start"),
            models.UniqueConstraint(
                fields=["organization"], condition=Q(valid_to__isnull=True), name="orgs_span_one_open",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="orgs_span_not_empty",
            ),
        ]

    def __str__(self):
        return f"{self.organization_id} {self.valid_from}–{self.valid_to or '至今'} {self.status}"

    def facts(self) -> dict:
        return {name: getattr(self, name) for name in self.FACTS}

    @classmethod
    def scope_extra_q(cls, user, action):
        return Q() if action == VIEW else None


class RegistryDecision(ScopedModel):
    """One decision of the registry (registration, filing, change, status, correction): who, when, why.

    Placed at the organization's division, so the audit log of every division above lists it
    (``cso.orgs.audit``), not only the organization's page."""

    class Kind(models.TextChoices):
        REGISTER = "register", "登记成立"
        FILE = "file", "备案"
        CONVERT = "convert", "备案转登记"
        CHANGE = "change", "变更"
        STATUS = "status", "状态变更"
        CORRECT = "correct", "更正"

    organization = models.ForeignKey(Organization, verbose_name="组织", on_delete=models.CASCADE,
                                     related_name="decisions")
    kind = models.CharField("事项", max_length=10, choices=Kind.choices)
    summary = models.CharField("内容", max_length=300)
    reason = models.TextField("原因", blank=True)
    effective_date = models.DateField("生效日期", null=True, blank=True)
    division = models.ForeignKey("regions.Division", verbose_name="组织所在区划", on_delete=models.PROTECT,
                                 related_name="+", db_index=False)
    authority_division = models.ForeignKey("regions.Division", verbose_name="决定机关所在区划", null=True,
                                           blank=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True, db_index=True)

    scope_field = "division"

    class Meta:
        verbose_name = "登记决定"
        verbose_name_plural = "登记决定"
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["division", "recorded_at"], name="orgs_decision_division_at")]

    def __str__(self):
        return f"{self.organization}：{self.get_kind_display()}"

    @classmethod
    def scope_extra_q(cls, user, action):
        if action == VIEW and (user.is_superuser or getattr(user, "is_staff_role", False)):
            return Q()
        return None


class Guidance(ScopedModel):
    """An opinion or guidance the street, the community or the supervising bureau gives an organization
    (seed 001: 双重负责 — the street guides and gives opinions; the registering body decides)."""

    organization = models.ForeignKey(Organization, verbose_name="组织", on_delete=models.CASCADE,
                                     related_name="guidance")
    text = models.TextField("意见")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", null=True,
                               on_delete=models.SET_NULL, related_name="+")
    author_division = models.ForeignKey("regions.Division", verbose_name="提出单位所在区划", null=True,
                                        on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    scope_field = "organization__division"

    class Meta:
        verbose_name = "指导意见"
        verbose_name_plural = "指导意见"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.organization}：{self.text[:20]}"

    @classmethod
    def scope_extra_q(cls, user, action):
        if action == VIEW and (user.is_superuser or getattr(user, "is_staff_role", False)):
            return Q()
        return None


class MembershipInvitation(ScopedModel):
    """A hub's invitation to an organization to join it (入会邀请); the member's own account accepts or declines.
    An accepted invitation opens a ``HubMembership`` from the day it was accepted (``cso.orgs.hubs``)."""

    class Answer(models.TextChoices):
        PENDING = "", "待答复"
        ACCEPTED = "accepted", "已接受"
        DECLINED = "declined", "已谢绝"

    hub = models.ForeignKey(Organization, verbose_name="枢纽组织", on_delete=models.CASCADE,
                            related_name="sent_invitations")
    member = models.ForeignKey(Organization, verbose_name="受邀组织", on_delete=models.CASCADE,
                               related_name="hub_invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="邀请人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    note = models.TextField("附言", blank=True, default="")
    created_at = models.DateTimeField("邀请时间", auto_now_add=True)
    answer = models.CharField("答复", max_length=10, choices=Answer.choices, default=Answer.PENDING, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    membership = models.ForeignKey(HubMembership, verbose_name="入会记录", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="invitations")

    history = HistoricalRecords()
    scope_field = "member__division"

    class Meta:
        verbose_name = "入会邀请"
        verbose_name_plural = "入会邀请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "member"], condition=Q(answer=""),
                                    name="orgs_one_pending_invitation",
                                    violation_error_message="已向该组织发出入会邀请，尚待答复。"),
            models.CheckConstraint(condition=~Q(hub=F("member")), name="orgs_invitation_not_own_hub"),
        ]

    def __str__(self):
        return f"{self.hub} → {self.member}（{self.get_answer_display()}）"

    @property
    def is_pending(self) -> bool:
        return self.answer == self.Answer.PENDING

    def responsibility_facts(self):
        """Placed at the invited organization; "linked" is an account linked to it (only it answers)."""
        from cso.accounts.responsibilities import Facts

        member = self.member
        return Facts(division=member.division_id, authority_division=member.registration_authority_division_id,
                     track=member.responsibility_track,
                     linked=lambda user: AccountLink.objects.filter(user=user, organization_id=member.pk).exists())

    @classmethod
    def scope_extra_q(cls, user, action):
        if user.is_superuser or getattr(user, "is_staff_role", False):
            return Q() if action == VIEW else None
        if action == VIEW:
            return linked_q(user, "member__") | linked_q(user, "hub__")
        return None


# --- account invitations ---------------------------------------------------------------------
class AccountInvitation(ScopedModel):
    """The street (or the body that registered / files the organization) invites a person, by mobile number,
    to use the platform as the organization's 负责人 or 联络员: an SMS with a link; accepted by an
    organization's account that verified the same number, which is then linked (``AccountLink``)."""

    organization = models.ForeignKey(Organization, verbose_name="组织", on_delete=models.CASCADE,
                                     related_name="account_invitations")
    phone = models.CharField("手机号码", max_length=11)
    role = models.CharField("身份", max_length=10, choices=AccountLink.LinkRole.choices,
                            default=AccountLink.LinkRole.LIAISON)
    token = models.CharField("邀请码", max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="邀请人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("邀请时间", auto_now_add=True)
    expires = models.DateTimeField("有效期至")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接受账号", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField("接受时间", null=True, blank=True)
    revoked = models.BooleanField("已撤销", default=False)

    history = HistoricalRecords(excluded_fields=["token"])
    scope_field = "organization__division"

    class Meta:
        verbose_name = "账号邀请"
        verbose_name_plural = "账号邀请"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.organization} ← {self.phone[:3]}****{self.phone[7:]}（{self.get_role_display()}）"

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expires <= timezone.now()

    @property
    def is_pending(self) -> bool:
        return not self.revoked and self.accepted_at is None and not self.is_expired

    @property
    def state_label(self) -> str:
        if self.accepted_at:
            return "已接受"
        if self.revoked:
            return "已撤销"
        if self.is_expired:
            return "已过期"
        return "待接受"

    def responsibility_facts(self):
        """The organization's place, track and deciding body; "linked" is the account that verified the
        invited number (the one who may accept)."""
        facts = self.organization.responsibility_facts()
        phone = self.phone
        from dataclasses import replace

        return replace(facts, linked=lambda user: bool(getattr(user, "phone_verified_at", None))
                       and getattr(user, "phone", "") == phone)
