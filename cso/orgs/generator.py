"""Demo and scale data: plausible organizations on the real divisions, from one seed.

``generate(prefixes, per_urban=10, per_rural=5, seed=1, scale=1.0)`` fills every community
(level-5 division) under the prefixes with organizations whose names are built from the
community's real name and real kinds of groups (兴宁社区广场舞队, 官桥村种养殖技术协会), adds a few
street- and county-level registered organizations (兴宁区民生街道社会工作服务中心), a street
federation (社区社会组织联合会, a hub with at least 30 member organizations) where a street has
enough organizations, and a few foundations per city and province (never community social
organizations). The policy targets drive the mix: about ``per_urban`` organizations in each
residents' committee and ``per_rural`` in each villagers' committee, about one in five
registered (社会团体 / 民办非企业单位), the rest filed.

Every organization gets its leaders (valid, fake resident ID numbers and mobile numbers), its
categories and service targets (matching the kind of group), a venue shared with its neighbours,
sometimes an incubation base, a party-building situation, and a life: founded 2015–2025, some
became abnormal, came back, were suspended, deregistered, cleared or revoked, some filed groups
later registered. Each life is written as ``StatusChange`` rows and as the span table
(``OrgStateSpan``), so "as of date D" queries have history; the open span always equals the
current record.

Determinism: each division draws from its own ``random.Random(f"{seed}:{code}")``, so the result
does not depend on batch sizes or on which other divisions are generated in the same run; uids
and credit codes are derived from the division code and a counter (unique without a lookup).

Speed: rows are written with ``COPY`` on PostgreSQL (psycopg 3 ``cursor.copy``) and one prepared
``INSERT`` through ``executemany`` elsewhere, in batches of ``batch_size`` organizations, each batch
one transaction. No per-row ``save()`` runs, so **generated rows carry no field history**
(django-simple-history): their ``StatusChange`` rows and spans are their history. Name search keys
(pinyin, initials) are computed per name part (community, kind) and joined.

Idempotent: a division that already holds organizations is skipped (its community, street, county,
city or province extras are not generated again).
"""

from __future__ import annotations

import random
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.db import connection, transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from cso.regions import codes
from cso.regions.authorities import ensure_authorities
from cso.regions.models import Authority, Division

from .choices import LeaderRole, OrgType, PartyBuilding, Status, Tier, Track
from .models import (
    Category,
    HubMembership,
    IncubationBase,
    Leader,
    Organization,
    OrgStateSpan,
    ServiceTarget,
    StatusChange,
    Venue,
)
from .search import pinyin_keys
from .validators import UID_ALPHABET

Progress = Callable[[dict], None]

START = date(2015, 1, 1)
LATEST_START = date(2025, 9, 30)
FED_MIN_MEMBERS = 30
MAX_PER_DIVISION = 120  # uid/credit-code counters per division (see _uid)

# --- vocabularies ----------------------------------------------------------------------------
# Category codes (migration 0002): life_service, charity, mutual_aid, culture_sports,
# rural_production, consultation, safety_mediation, hub_support.
# Target codes: elderly, women, children, disabled, unemployed, migrant_workers,
# children_of_detained, poor_families, severe_mental_illness, troubled_youth,
# community_corrections, left_behind.
U, R, B = "urban", "rural", "both"
TEAM, GROUP = OrgType.ACTIVITY_TEAM, OrgType.ACTIVITY_GROUP
SG, SS = OrgType.SOCIAL_GROUP, OrgType.SOCIAL_SERVICE


@dataclass(frozen=True, slots=True)
class Kind:
    suffix: str
    org_type: str
    categories: tuple[str, ...]
    targets: tuple[str, ...]
    where: str
    weight: int


# Filed groups (备案): names seen in public filing lists (二里半社区党员志愿者先锋队, 夏洲路社区瑜伽队 …).
FILED_KINDS = [
    Kind("广场舞队", TEAM, ("culture_sports",), ("elderly", "women"), B, 10),
    Kind("夕阳红文艺队", TEAM, ("culture_sports",), ("elderly",), B, 6),
    Kind("太极拳队", TEAM, ("culture_sports",), ("elderly",), U, 5),
    Kind("合唱团", TEAM, ("culture_sports",), ("elderly",), U, 4),
    Kind("腰鼓队", TEAM, ("culture_sports",), ("elderly", "women"), B, 4),
    Kind("秧歌队", TEAM, ("culture_sports",), ("elderly",), B, 2),
    Kind("健身气功队", TEAM, ("culture_sports",), ("elderly",), U, 2),
    Kind("瑜伽队", TEAM, ("culture_sports",), ("women",), U, 1),
    Kind("山歌队", TEAM, ("culture_sports",), (), R, 3),
    Kind("龙狮队", TEAM, ("culture_sports",), (), R, 2),
    Kind("书画协会", GROUP, ("culture_sports",), ("elderly",), U, 3),
    Kind("象棋协会", GROUP, ("culture_sports",), ("elderly",), B, 2),
    Kind("读书会", GROUP, ("culture_sports",), ("children",), U, 3),
    Kind("志愿服务队", TEAM, ("charity",), ("elderly", "disabled", "poor_families", "empty_nest_elderly",
                                                "subsistence_allowance"), B, 8),
    Kind("党员志愿服务队", TEAM, ("charity",), ("elderly",), B, 3),
    Kind("环保志愿队", TEAM, ("charity",), (), U, 1),
    Kind("邻里互助会", TEAM, ("mutual_aid",), ("elderly", "poor_families", "empty_nest_elderly"), U, 5),
    Kind("老年协会", TEAM, ("mutual_aid", "culture_sports"), ("elderly",), B, 6),
    Kind("互助养老服务队", TEAM, ("mutual_aid", "life_service"), ("elderly", "rural_left_behind_elderly",
                                                                  "empty_nest_elderly"), R, 3),
    Kind("残疾人互助小组", GROUP, ("mutual_aid",), ("disabled",), B, 2),
    Kind("心理健康互助小组", GROUP, ("mutual_aid",), ("severe_mental_illness",), U, 1),
    Kind("失业人员互助小组", GROUP, ("mutual_aid",), ("unemployed",), U, 1),
    Kind("农民工之家", GROUP, ("mutual_aid", "life_service"), ("migrant_workers", "floating_population"), U, 1),
    Kind("便民服务队", TEAM, ("life_service",), ("elderly",), B, 3),
    Kind("妇女儿童之家", GROUP, ("life_service",), ("women", "children"), B, 3),
    Kind("四点半课堂", GROUP, ("life_service", "charity"), ("children",), U, 4),
    Kind("留守儿童关爱小组", GROUP, ("charity",), ("children", "left_behind", "rural_left_behind",
                                             "children_in_difficulty"), R, 3),
    Kind("红白理事会", TEAM, ("consultation",), (), R, 5),
    Kind("居民议事会", TEAM, ("consultation",), (), U, 4),
    Kind("村民议事会", TEAM, ("consultation",), (), R, 4),
    Kind("乡贤参事会", TEAM, ("consultation",), (), R, 3),
    Kind("平安巡逻队", TEAM, ("safety_mediation",), (), B, 4),
    Kind("矛盾纠纷调解小组", GROUP, ("safety_mediation",), (), B, 3),
    Kind("禁毒宣传队", TEAM, ("safety_mediation",), ("troubled_youth", "drug_users"), U, 1),
    Kind("社区矫正帮教小组", GROUP, ("safety_mediation",), ("community_corrections", "released_prisoners"), B, 1),
    Kind("种养殖技术协会", TEAM, ("rural_production",), (), R, 5),
    Kind("农技服务队", TEAM, ("rural_production", "life_service"), (), R, 4),
]

# Registered organizations rooted in a community (county registration authority).
REGISTERED_KINDS = [
    Kind("养老服务中心", SS, ("life_service",), ("elderly",), B, 4),
    Kind("居家养老服务中心", SS, ("life_service",), ("elderly",), U, 3),
    Kind("社会工作服务站", SS, ("life_service", "charity"), ("poor_families", "elderly", "subsistence_allowance",
                                                             "extreme_poverty", "special_groups"), U, 3),
    Kind("托育服务中心", SS, ("life_service",), ("children",), U, 2),
    Kind("残疾人康复服务站", SS, ("life_service",), ("disabled",), U, 1),
    Kind("公益服务中心", SS, ("charity",), ("poor_families", "people_in_difficulty", "extreme_poverty"), B, 2),
    Kind("矛盾纠纷调解服务中心", SS, ("safety_mediation",), (), B, 1),
    Kind("老年人协会", SG, ("mutual_aid", "culture_sports"), ("elderly",), B, 5),
    Kind("志愿者协会", SG, ("charity",), ("elderly", "disabled"), B, 3),
    Kind("文体协会", SG, ("culture_sports",), (), B, 3),
    Kind("邻里互助协会", SG, ("mutual_aid",), ("elderly",), U, 2),
    Kind("种植养殖协会", SG, ("rural_production",), (), R, 3),
    Kind("农业技术推广协会", SG, ("rural_production",), (), R, 2),
]

STREET_KINDS = [
    Kind("社会工作服务中心", SS, ("life_service", "charity"), ("elderly", "children", "poor_families",
                                                                "floating_population", "special_groups"), B, 1),
    Kind("社区社会组织服务中心", SS, ("hub_support",), (), B, 1),
]
FEDERATION = Kind("社区社会组织联合会", SG, ("hub_support",), (), B, 1)
COUNTY_KINDS = [
    Kind("老年人协会", SG, ("mutual_aid", "culture_sports"), ("elderly",), B, 1),
    Kind("志愿者协会", SG, ("charity",), ("elderly", "disabled"), B, 1),
    Kind("慈善会", SG, ("charity",), ("poor_families", "subsistence_allowance", "extreme_poverty"), B, 1),
    Kind("社会工作者协会", SG, ("hub_support",), (), B, 1),
]
FOUNDATION_THEMES = [
    ("慈善基金会", ("charity",), ("poor_families",)),
    ("教育发展基金会", ("charity",), ("children",)),
    ("见义勇为基金会", ("charity", "safety_mediation"), ()),
    ("老年事业发展基金会", ("charity",), ("elderly",)),
    ("青少年发展基金会", ("charity",), ("children", "troubled_youth")),
    ("残疾人福利基金会", ("charity",), ("disabled",)),
    ("乡村振兴基金会", ("charity", "rural_production"), ("poor_families",)),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱覃莫蒙农"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉海燕春梅德林凤云文金荣新晓丹宁辉波成"
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                   "156", "158", "159", "177", "180", "181", "186", "187", "188", "189", "199")
VENUE_AREAS = (120, 150, 200, 260, 300, 350, 420, 500, 600, 800)
CAPITALS = (3000, 5000, 10000, 20000, 30000, 50000, 100000)

REASONS = {
    Status.ABNORMAL: "未按规定报送年度报告，列入活动异常名录",
    Status.ACTIVE: "已补报年度报告，移出活动异常名录",
    Status.SUSPENDED: "负责人变动，暂停活动",
    Status.DEREGISTERED: "组织自行解散，办理注销",
    Status.CLEARED: "长期未开展活动，经核查予以清理",
    Status.REVOKED: "严重违法失信，撤销登记",
}

_NAME_SUFFIXES = ("居民委员会", "村民委员会", "社区居委会", "居委会", "村委会", "委员会")
_PROVINCE_SUFFIX = re.compile(r"(壮族自治区|回族自治区|维吾尔自治区|自治区|省|市)$")


def community_base_name(name: str, urban: bool) -> str:
    """兴宁社区居委会 → 兴宁社区; 官桥村委会 → 官桥村; 东风村民委员会 → 东风村."""
    base = name.strip()
    for suffix in _NAME_SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            base = base[: -len(suffix)]
            if suffix == "社区居委会":
                base += "社区"
            break
    if not base.endswith(("社区", "村", "屯", "居", "区", "场", "队")):
        base += "社区" if urban else "村"
    return base


def province_short_name(name: str) -> str:
    return _PROVINCE_SUFFIX.sub("", name) or name


@lru_cache(maxsize=8192)
def _kind_keys(text: str) -> tuple[str, str]:
    return pinyin_keys(text)


def name_keys(*parts: str) -> tuple[str, str]:
    """pinyin_keys of a name made of parts, computed part by part (parts repeat a lot)."""
    full, initials = [], []
    for part in parts:
        f, i = _kind_keys(part) if len(part) <= 12 else pinyin_keys(part)
        full.append(f)
        initials.append(i)
    return "".join(full)[:600], "".join(initials)[:200]


# --- deterministic identifiers ---------------------------------------------------------------
_UID_MASK = (1 << 50) - 1
_UID_MULT = 0x2545F4914F6CDD1D & _UID_MASK | 1  # odd: multiplication mod 2**50 is a bijection


def _uid(code: str, n: int, year: int) -> str:
    """A registry uid unique per (division code, counter): ZZ + year + 10 base-32 characters."""
    value = ((int(code) * 128 + n) * _UID_MULT) & _UID_MASK
    chars = []
    for _ in range(10):
        chars.append(UID_ALPHABET[value & 31])
        value >>= 5
    return f"ZZ{year:04d}" + "".join(chars)


_BODY_ALPHABET = "ABCDEFGHJKLMNPQRTUWXY0123456789"


def credit_code(type_digit: str, region: str, code: str, n: int) -> str:
    """A civil-affairs credit code (GB 32100) with a correct check character.

    Body (positions 9–17): "MJ" + the division's street and community digits + a counter
    character, so codes are unique per division without a lookup.
    """
    body = f"M{code[6:9]}{code[9:12]}{_BODY_ALPHABET[n // 31 % 31]}{_BODY_ALPHABET[n % 31]}"
    partial = f"5{type_digit}{region}{body}"
    return partial + uscc.calc_check_digit(partial)


@lru_cache(maxsize=4096)
def _id_place(county: str) -> str:
    """A birth-place code stdnum knows for people born 1945–2005 (the county, else nearby)."""
    candidates = [county, county[:4] + "01", county[:4] + "02", county[:4] + "03", county[:4] + "21",
                  county[:2] + "0102", county[:2] + "0103", county[:2] + "0104", county[:2] + "0101",
                  "110101"]
    for place in candidates:
        try:
            for born in ("19450101", "20051231"):
                partial = place + born + "001"
                ric.validate(partial + ric.calc_check_digit(partial + "0"))
            return place
        except Exception:  # unknown place (stdnum's table): try the next candidate
            continue
    return "110101"


def id_number(rng: random.Random, county: str) -> str:
    born = date(1945, 1, 1) + timedelta(days=rng.randrange(0, 60 * 365))
    partial = f"{_id_place(county)}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return partial + ric.calc_check_digit(partial + "0")


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(0, 100_000_000):08d}"


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _day(rng: random.Random, low: date, high: date) -> date:
    span = (high - low).days
    return low + timedelta(days=rng.randrange(0, span + 1)) if span > 0 else low


def _pick(rng: random.Random, kinds: list[Kind], urban: bool) -> list[Kind]:
    return [k for k in kinds if k.where == B or (k.where == U) == urban]


# --- result ----------------------------------------------------------------------------------
@dataclass
class GenerateResult:
    communities: int = 0
    skipped_divisions: int = 0
    organizations: int = 0
    registered: int = 0
    filed: int = 0
    foundations: int = 0
    hubs: int = 0
    spans: int = 0
    status_changes: int = 0
    leaders: int = 0
    memberships: int = 0
    venues: int = 0
    bases: int = 0
    by_status: dict = field(default_factory=lambda: defaultdict(int))
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.organizations / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        labels = dict(Status.choices)
        statuses = "，".join(f"{labels[k]} {v:,}" for k, v in sorted(self.by_status.items(), key=lambda kv: -kv[1]))
        return (
            f"社区（村）{self.communities:,} 个，新建组织 {self.organizations:,} 个"
            f"（登记 {self.registered:,}，其中基金会 {self.foundations:,}；备案 {self.filed:,}；"
            f"联合会 {self.hubs:,}）；"
            f"状态：{statuses or '无'}；状态区间 {self.spans:,} 条，状态变更 {self.status_changes:,} 条，"
            f"负责人 {self.leaders:,} 人，联合会会员 {self.memberships:,} 条，活动场所 {self.venues:,} 处，"
            f"孵化基地 {self.bases:,} 个；跳过已有组织的区划 {self.skipped_divisions:,} 个；"
            f"用时 {self.seconds:.1f} 秒（{self.rows_per_second:,.0f} 个组织/秒）"
        )


# --- id allocation and writing ---------------------------------------------------------------
class _Ids:
    """Primary keys handed out before rows are written (children reference them)."""

    def __init__(self, model, block: int = 20_000):
        self.table = model._meta.db_table
        self.block = block
        self.pool: list[int] = []
        self.next_local = None

    def take(self) -> int:
        if not self.pool:
            self._refill()
        return self.pool.pop()

    def _refill(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, self.block],
                )
                self.pool = sorted((r[0] for r in cursor.fetchall()), reverse=True)
                return
            if self.next_local is None:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(self.table)}")
                self.next_local = cursor.fetchone()[0] + 1
        self.pool = list(range(self.next_local + self.block - 1, self.next_local - 1, -1))
        self.next_local += self.block


def _columns(model, wanted: tuple[str, ...]) -> tuple[tuple[str, ...], tuple]:
    """``wanted`` plus any other concrete column (e.g. added by a later migration) at its default."""
    extra_cols, extra_vals = [], []
    for f in model._meta.concrete_fields:
        if f.column in wanted or f.column == "id":
            continue
        if not f.has_default() and not f.null:
            raise RuntimeError(f"生成器不认识 {model._meta.db_table}.{f.column}，且该列没有默认值。")
        extra_cols.append(f.column)
        extra_vals.append(f.get_db_prep_save(f.get_default(), connection) if f.has_default() else None)
    return wanted + tuple(extra_cols), tuple(extra_vals)


def write_rows(model_or_table, columns: tuple[str, ...], rows: list[tuple], extra: tuple = ()) -> None:
    """Insert rows fast: COPY on PostgreSQL, a prepared INSERT with executemany elsewhere."""
    if not rows:
        return
    table = model_or_table if isinstance(model_or_table, str) else model_or_table._meta.db_table
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    if extra:
        rows = [r + extra for r in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks})"
            for start in range(0, len(rows), 20_000):
                cursor.executemany(sql, rows[start:start + 20_000])


ORG_COLUMNS = (
    "id", "uid", "name", "name_pinyin", "name_initials", "track", "org_type", "tier", "credit_code",
    "registration_authority_id", "registration_authority_division_id", "division_id", "address", "founded_on",
    "registered_on", "filed_on", "member_count", "registered_capital", "financial_custody", "venue_id",
    "contact_name", "contact_phone", "party_building", "incubated_by_id", "is_hub", "tags", "status",
    "is_community_org", "created_by_id", "created_at", "updated_at", "supervising_unit", "business_scope",
)
# 业务范围 of the generated organizations, from their categories
SCOPE_PHRASES = {
    "life_service": "为社区居民提供生活服务", "charity": "开展公益慈善和志愿服务", "mutual_aid": "组织居民互助",
    "culture_sports": "组织文体娱乐活动", "rural_production": "提供农业生产技术服务",
    "consultation": "组织居民议事协商", "safety_mediation": "协助平安建设和矛盾纠纷调解",
    "hub_support": "为社区社会组织提供孵化培育、能力建设和支持服务",
}


def business_scope(categories) -> str:
    phrases = [SCOPE_PHRASES[c] for c in categories if c in SCOPE_PHRASES]
    return "；".join(phrases) + "。" if phrases else ""
SPAN_COLUMNS = ("organization_id", "valid_from", "valid_to", "status", "division_id", "track", "org_type", "tier",
                "is_community_org", "party_building", "is_incubated", "is_hub", "categories_mask", "targets_mask")
LEADER_COLUMNS = ("organization_id", "name", "role", "id_number", "phone", "is_party_member", "order")
CHANGE_COLUMNS = ("organization_id", "from_status", "to_status", "effective_date", "reason", "recorded_by_id",
                  "recorded_at")
MEMBER_COLUMNS = ("hub_id", "member_id", "joined_on", "left_on")
VENUE_COLUMNS = ("id", "name", "address", "division_id", "area", "notes")
BASE_COLUMNS = ("id", "name", "division_id", "level", "address", "opened_on")


# --- the generator ---------------------------------------------------------------------------
@dataclass(slots=True)
class _Place:
    code: str
    name: str
    level: int
    parent: str | None


class Generator:
    def __init__(self, *, per_urban: float = 10, per_rural: float = 5, seed: int = 1, scale: float = 1.0,
                 spread: float = 0.5, registered_share: float = 0.2, batch_size: int = 50_000,
                 today: date | None = None, latest_start: date | None = None, progress: Progress | None = None,
                 defer_indexes: bool = False):
        self.per_urban = per_urban * scale
        self.per_rural = per_rural * scale
        self.scale = scale
        self.seed = seed
        self.spread = spread
        self.registered_share = registered_share
        self.batch_size = batch_size
        self.today = today or timezone.localdate()
        # The last day an organization may start: fixed by default, so that generated data (and the
        # benchmarks on it) do not depend on the day they are made; the demo moves it up to last month.
        self.latest_start = min(latest_start or LATEST_START, self.today - timedelta(days=30))
        self.progress = progress
        self.defer_indexes = defer_indexes
        self.result = GenerateResult()
        self.cats = {c.code: (c.pk, c.bit) for c in Category.objects.all()}
        self.tgts = {t.code: (t.pk, t.bit) for t in ServiceTarget.objects.all()}
        self.now = timezone.now()
        self._reset()

    def _reset(self) -> None:
        self.orgs: list[tuple] = []
        self.spans: list[tuple] = []
        self.leaders: list[tuple] = []
        self.changes: list[tuple] = []
        self.org_cats: list[tuple] = []
        self.org_tgts: list[tuple] = []
        self.members: list[tuple] = []
        self.venues: list[tuple] = []
        self.bases: list[tuple] = []

    # ----- entry point
    def run(self, prefixes: Iterable[str]) -> GenerateResult:
        started = time.perf_counter()
        self.org_ids = _Ids(Organization)
        self.venue_ids = _Ids(Venue, 2_000)
        self.base_ids = _Ids(IncubationBase, 500)
        self.now_db = self.now if connection.vendor == "postgresql" else str(self.now.replace(tzinfo=None))
        self.org_cols, self.org_extra = _columns(Organization, ORG_COLUMNS)
        self.cat_table = Organization.categories.through._meta.db_table
        self.tgt_table = Organization.service_targets.through._meta.db_table
        dropped = self._drop_indexes() if self.defer_indexes and connection.vendor == "postgresql" else []
        try:
            for prefix in sorted(set(prefixes)):
                self._run_prefix(prefix)
            self._flush(final=True)
        finally:
            self._restore_indexes(dropped)
        if connection.vendor == "postgresql" and self.result.organizations >= 10_000:
            with connection.cursor() as cursor:
                # Every table written in bulk: a table never analysed (hub memberships) once made
                # the detail page plan parallel scans for zero rows.
                for model in (Organization, OrgStateSpan, Leader, StatusChange, HubMembership, Venue, IncubationBase):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
                for table in (self.cat_table, self.tgt_table):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        self.result.seconds = time.perf_counter() - started
        return self.result

    BULK_TABLES = (Organization, OrgStateSpan, Leader, StatusChange)

    def _drop_indexes(self) -> list[tuple[str, str]]:
        """PostgreSQL, large loads: drop the non-unique secondary indexes of the big tables (the
        trigram GIN indexes above all) and build them once at the end — far faster than
        maintaining them row by row. Unique indexes and constraints stay."""
        tables = [m._meta.db_table for m in self.BULK_TABLES] + [
            Organization.categories.through._meta.db_table, Organization.service_targets.through._meta.db_table,
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "JOIN pg_class c ON c.relname = i.indexname AND c.relkind = 'i' "
                "JOIN pg_index x ON x.indexrelid = c.oid "
                "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
                "AND NOT x.indisunique AND NOT x.indisprimary",
                [tables],
            )
            found = cursor.fetchall()
            for name, _definition in found:
                cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
        return found

    def _restore_indexes(self, dropped: list[tuple[str, str]]) -> None:
        if not dropped:
            return
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            if connection.in_atomic_block:  # pending deferred FK checks would block CREATE INDEX
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for _name, definition in dropped:
                if self.progress:
                    self.progress({"organizations": self.result.organizations,
                                   "communities": self.result.communities, "index": _name})
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")

    def _run_prefix(self, prefix: str) -> None:
        low, high = codes.subtree_bounds(prefix)
        rows = (
            Division.objects.filter(code__gte=low, code__lte=high, abolished_in__isnull=True)
            .order_by("code").values_list("code", "name", "level", "parent_id", "urban_rural_code")
        )
        places: dict[str, _Place] = {}
        communities_by_county: dict[str, list[tuple]] = defaultdict(list)
        for code, name, level, parent, ur in rows.iterator(chunk_size=20_000):
            places[code] = _Place(code, name, level, parent)
            if level == codes.COMMUNITY:
                communities_by_county[code[:6]].append((code, name, parent, ur))
        # Ancestors above the prefix (names for addresses and authorities).
        missing = {codes.pad_code(prefix[:n]) for n in (2, 4, 6, 9) if n < len(prefix)} - places.keys()
        for d in Division.objects.filter(code__in=missing):
            places[d.code] = _Place(d.code, d.name, d.level, d.parent_id)
        self.places = places
        # the registering bodies: 民政部 and the civil-affairs body of every province, city, county
        ensure_authorities(prefix)
        self.bodies: dict[str, int] = {}
        for division_id, pk in (
            Authority.objects.active().filter(division_id__gte=low, division_id__lte=high)
            .order_by("-registers", "order", "pk").values_list("division_id", "pk")
        ):
            self.bodies.setdefault(division_id, pk)
        occupied = set(
            Organization.objects.filter(division_id__gte=low, division_id__lte=high)
            .values_list("division_id", flat=True).distinct()
        )
        self.occupied = occupied
        self.result.skipped_divisions += len(occupied)
        self.taken_names: dict[str, set[str]] = defaultdict(set)
        for authority, name in Organization.objects.live().filter(
            track=Track.REGISTERED, registration_authority_division_id__gte=low,
            registration_authority_division_id__lte=high,
        ).values_list("registration_authority_division_id", "name"):
            self.taken_names[authority].add(name)
        # Foundations: provinces and cities wholly inside the prefix.
        for code in sorted(places):
            p = places[code]
            if p.level in (codes.PROVINCE, codes.CITY) and len(prefix) <= codes.PREFIX_LENGTH[p.level] \
                    and code.startswith(prefix[: codes.PREFIX_LENGTH[p.level]]):
                self._foundations(p)
        for county_code in sorted(communities_by_county):
            self._county(county_code, communities_by_county[county_code], prefix)
            if len(self.orgs) >= self.batch_size:
                self._flush()

    # ----- helpers for names and places
    def _city_county(self, code: str) -> tuple[str, str]:
        city = self.places.get(codes.pad_code(code[:4]))
        county = self.places.get(codes.pad_code(code[:6]))
        city_name = city.name if city and "直辖" not in city.name else ""
        county_name = county.name if county and "直辖" not in county.name else ""
        if city_name == county_name:
            county_name = ""
        return city_name, county_name

    def _unique_name(self, authority: str, candidates: list[tuple[str, ...]]) -> tuple[str, tuple[str, ...]]:
        """The first candidate (a name in parts) not yet used under the authority; else numbered."""
        taken = self.taken_names[authority]
        for parts in candidates:
            name = "".join(parts)
            if name not in taken:
                taken.add(name)
                return name, parts
        parts = candidates[-1]
        n = 2
        while "".join(parts) + str(n) in taken:
            n += 1
        parts = (*parts, str(n))
        taken.add("".join(parts))
        return "".join(parts), parts

    # ----- one county
    def _county(self, county_code: str, communities: list[tuple], prefix: str) -> None:
        county_div = codes.pad_code(county_code)
        county = self.places.get(county_div)
        city_name, county_name = self._city_county(county_div)
        rng = random.Random(f"{self.seed}:{county_div}")
        base_id = None
        base_opened = None
        county_in_scope = len(prefix) <= 6 and county is not None and county.level == codes.COUNTY
        if county_in_scope and county_div not in self.occupied and rng.random() < min(1.0, 0.6 + self.scale):
            base_id = self.base_ids.take()
            base_opened = _day(rng, date(2016, 1, 1), date(2021, 12, 31))
            self.bases.append((base_id, f"{county_name or city_name}社会组织孵化基地", county_div, codes.COUNTY,
                               f"{city_name}{county_name}", base_opened.isoformat()))
            self.result.bases += 1
        if county_in_scope and county_div not in self.occupied:
            n = sum(1 for _ in range(len(COUNTY_KINDS)) if rng.random() < min(1.0, 0.5 * max(self.scale, 0.2)))
            for i, kind in enumerate(rng.sample(COUNTY_KINDS, n)):
                name, parts = self._unique_name(county_div, [(city_name, county_name, kind.suffix)])
                self._registered(rng, kind, name, county_div, county_div, county_div, i, city_name, county_name,
                                 address=f"{city_name}{county_name}", base=(None, None), parts=parts)
        by_street: dict[str, list[tuple]] = defaultdict(list)
        for row in communities:
            by_street[row[2]].append(row)
        for street_code, rows in by_street.items():
            street = self.places.get(street_code)
            street_orgs: list[tuple[int, date]] = []  # (org id, start) of live orgs for the federation
            for code, name, _parent, ur in rows:
                self.result.communities += 1
                if code in self.occupied:
                    continue
                street_orgs.extend(self._community(code, name, ur, street, city_name, county_name, county_div,
                                                   (base_id, base_opened)))
            if street is not None and street_code not in self.occupied and street.level == codes.STREET:
                self._street(street, street_orgs, city_name, county_name, county_div, (base_id, base_opened))

    def _community(self, code, name, ur, street, city_name, county_name, county_div, base) -> list[tuple[int, date]]:
        rng = random.Random(f"{self.seed}:{code}")
        urban = codes.is_urban_by_committee(code)
        if urban is None:
            urban = (ur or "").startswith("1")
        mean = self.per_urban if urban else self.per_rural
        if self.spread:
            mean *= 1 + self.spread * (2 * rng.random() - 1)
        count = min(int(mean + rng.random()) if mean % 1 or self.spread else int(mean), MAX_PER_DIVISION - 1)
        if count <= 0:
            return []
        base_name = community_base_name(name, urban)
        street_name = street.name if street else ""
        address = f"{city_name}{county_name}{street_name}{base_name}"
        venue_id = None
        if rng.random() < 0.85:
            venue_id = self.venue_ids.take()
            self.venues.append((venue_id, f"{base_name}党群服务中心", address, code,
                                rng.choice(VENUE_AREAS), ""))
            self.result.venues += 1
        filed_kinds = _pick(rng, FILED_KINDS, urban)
        reg_kinds = _pick(rng, REGISTERED_KINDS, urban)
        used: set[str] = set()
        live: list[tuple[int, date]] = []
        authority_street = street.code if street else county_div
        for i in range(count):
            org_venue = venue_id if venue_id and rng.random() < 0.6 else None
            if rng.random() < self.registered_share:
                kind = rng.choices(reg_kinds, weights=[k.weight for k in reg_kinds])[0]
                head = county_name or city_name
                name_, parts = self._unique_name(county_div, [(head, base_name, kind.suffix),
                                                              (head, street_name, base_name, kind.suffix)])
                info = self._registered(rng, kind, name_, code, county_div, county_div, i, city_name, county_name,
                                        address=address, base=base, venue=org_venue, parts=parts,
                                        street=authority_street)
            else:
                kind = None
                for _ in range(6):
                    k = rng.choices(filed_kinds, weights=[k.weight for k in filed_kinds])[0]
                    if k.suffix not in used:
                        kind = k
                        break
                if kind is None:
                    kind = next((k for k in filed_kinds if k.suffix not in used), None)
                if kind is None:  # more groups than kinds: numbered teams
                    k = rng.choice(filed_kinds)
                    n = 2
                    while f"第{n}{k.suffix}" in used:
                        n += 1
                    kind = Kind(f"第{n}{k.suffix}", k.org_type, k.categories, k.targets, k.where, k.weight)
                used.add(kind.suffix)
                info = self._filed(rng, kind, base_name, code, i, authority_street, address, base, org_venue)
            if info is not None:
                live.append(info)
        return live

    # ----- one organization
    def _life(self, rng: random.Random, start: date, registered: bool) -> list[tuple[date, str, str]]:
        """Status changes after ``start``: (date, from, to)."""
        u = rng.random()
        end = self.today - timedelta(days=1)
        if (end - start).days < 60:
            return []
        if u < 0.83:
            return []
        d1 = _day(rng, start + timedelta(days=30), end - timedelta(days=20))
        if u < 0.88:
            return [(d1, Status.ACTIVE, Status.ABNORMAL)]
        if u < 0.91:
            d2 = _day(rng, d1 + timedelta(days=1), end)
            return [(d1, Status.ACTIVE, Status.ABNORMAL), (d2, Status.ABNORMAL, Status.ACTIVE)]
        if u < 0.92:
            return [(d1, Status.ACTIVE, Status.SUSPENDED)]
        if u < 0.96:
            return [(d1, Status.ACTIVE, Status.DEREGISTERED)]
        final = Status.REVOKED if registered else Status.CLEARED
        d2 = _day(rng, d1 + timedelta(days=1), end)
        return [(d1, Status.ACTIVE, Status.ABNORMAL), (d2, Status.ABNORMAL, final)]

    def _start(self, rng: random.Random, earliest: date = START) -> date:
        # More organizations in later years (the policies of 2017 and 2020 pushed growth).
        span = (self.latest_start - earliest).days
        return earliest + timedelta(days=int(span * (rng.random() ** 0.7)))

    def _masks(self, categories, targets) -> tuple[int, int, list, list]:
        cm = tm = 0
        cat_ids, tgt_ids = [], []
        for c in categories:
            if c in self.cats:
                pk, bit = self.cats[c]
                cm |= 1 << bit
                cat_ids.append(pk)
        for t in targets:
            if t in self.tgts:
                pk, bit = self.tgts[t]
                tm |= 1 << bit
                tgt_ids.append(pk)
        return cm, tm, cat_ids, tgt_ids

    def _leaders(self, rng, org_id, county_div, registered, party) -> tuple[str, str]:
        roles = [LeaderRole.LEGAL_REPRESENTATIVE, LeaderRole.SECRETARY_GENERAL] if registered else [LeaderRole.HEAD]
        if registered and rng.random() < 0.4:
            roles.append(LeaderRole.VICE_CHAIR)
        if not registered and rng.random() < 0.3:
            roles.append(LeaderRole.OTHER)
        first = None
        for order, role in enumerate(roles):
            name, phone = person_name(rng), mobile(rng)
            member = (order == 0 and party in (PartyBuilding.INDEPENDENT, PartyBuilding.JOINT)) or rng.random() < 0.25
            self.leaders.append((org_id, name, role, id_number(rng, county_div[:6]), phone, member, order))
            first = first or (name, phone)
        self.result.leaders += len(roles)
        return first

    def _emit(self, rng, *, org_id, uid, name, keys, track, org_type, tier, credit, authority, authority_div,
              division, address, founded, registered_on, filed_on, members, capital, venue, party, base_id,
              is_hub, is_community, categories, targets, history, first_facts=None, supervising="") -> str:
        """Append the organization, its spans, status changes, leaders and terms; return its status."""
        registered = track == Track.REGISTERED
        contact = self._leaders(rng, org_id, division, registered, party)
        start = min(d for d in (filed_on, registered_on) if d)
        status = history[-1][2] if history else Status.ACTIVE
        self.orgs.append((
            org_id, uid, name, keys[0], keys[1], track, org_type, tier, credit, authority, authority_div, division,
            address, founded.isoformat(), registered_on.isoformat() if registered_on else None,
            filed_on.isoformat() if filed_on else None, members, capital, capital is not None and rng.random() < 0.2,
            venue, contact[0], contact[1], party, base_id, is_hub, "[]", status, is_community, None,
            self.now_db, self.now_db, supervising, business_scope(categories),
        ))
        cm, tm, cat_ids, tgt_ids = self._masks(categories, targets)
        self.org_cats.extend((org_id, c) for c in cat_ids)
        self.org_tgts.extend((org_id, t) for t in tgt_ids)
        facts = {
            "status": Status.ACTIVE, "division_id": division, "track": track, "org_type": org_type, "tier": tier,
            "is_community_org": is_community, "party_building": party, "is_incubated": base_id is not None,
            "is_hub": is_hub or "联合会" in name, "categories_mask": cm, "targets_mask": tm,
        }
        # Events: the filed → registered conversion and the status changes, in date order.
        events: list[tuple[date, dict]] = []
        if first_facts:
            events.append((registered_on, {k: facts[k] for k in first_facts}))
            facts = {**facts, **first_facts}
        for day, _old, new in history:
            events.append((day, {"status": new}))
        events.sort(key=lambda e: e[0])
        begin = start
        for day, change in events:
            if day <= begin:  # same day as the previous boundary: merge into it
                facts.update(change)
                continue
            self.spans.append(self._span(org_id, begin, day, facts))
            facts = {**facts, **change}
            begin = day
        self.spans.append(self._span(org_id, begin, None, facts))
        recorded = self.now_db
        self.changes.append((org_id, "", Status.ACTIVE, start.isoformat(), "登记成立" if registered and not first_facts
                             else "备案", None, recorded))
        for day, old, new in history:
            self.changes.append((org_id, old, new, day.isoformat(), REASONS[new], None, recorded))
        r = self.result
        r.organizations += 1
        r.status_changes += 1 + len(history)
        r.by_status[status] += 1
        if registered:
            r.registered += 1
        else:
            r.filed += 1
        return status

    def _span(self, org_id, begin: date, end: date | None, f: dict) -> tuple:
        self.result.spans += 1
        return (org_id, begin.isoformat(), end.isoformat() if end else None, f["status"], f["division_id"],
                f["track"], f["org_type"], f["tier"], f["is_community_org"], f["party_building"],
                f["is_incubated"], f["is_hub"], f["categories_mask"], f["targets_mask"])

    def _party(self, rng, registered: bool) -> str:
        u = rng.random()
        if registered:
            table = ((0.10, PartyBuilding.INDEPENDENT), (0.35, PartyBuilding.JOINT), (0.65, PartyBuilding.INSTRUCTOR),
                     (0.80, PartyBuilding.LIAISON))
        else:
            table = ((0.0, PartyBuilding.INDEPENDENT), (0.05, PartyBuilding.JOINT), (0.25, PartyBuilding.INSTRUCTOR),
                     (0.45, PartyBuilding.LIAISON))
        for limit, value in table:
            if u < limit:
                return value
        return PartyBuilding.NONE

    def _incubated(self, rng, base, start: date):
        base_id, opened = base
        if base_id is not None and opened and start > opened and rng.random() < 0.12:
            return base_id
        return None

    def _filed(self, rng, kind, base_name, code, i, authority_div, address, base, venue):
        org_id = self.org_ids.take()
        start = self._start(rng)
        founded = start - timedelta(days=rng.randrange(0, 400))
        founded = max(founded, date(2005, 1, 1))
        members = rng.randrange(10, 61)
        tier = Tier.STREET if members >= 35 else Tier.COMMUNITY
        history = self._life(rng, start, registered=False)
        name = f"{base_name}{kind.suffix}"
        status = self._emit(
            rng, org_id=org_id, uid=_uid(code, i, start.year), name=name, keys=name_keys(base_name, kind.suffix),
            track=Track.FILED, org_type=kind.org_type, tier=tier, credit=None, authority=None,
            authority_div=authority_div, division=code, address=address, founded=founded, registered_on=None,
            filed_on=start, members=members, capital=None, venue=venue, party=self._party(rng, False),
            base_id=self._incubated(rng, base, start), is_hub=False, is_community=True,
            categories=kind.categories, targets=kind.targets, history=history,
        )
        return (org_id, start) if status in (Status.ACTIVE, Status.ABNORMAL) else None

    def _registered(self, rng, kind, name, division, authority_div, region_div, i, city_name, county_name, *,
                    address, base, venue=None, parts=None, street=None, start=None):
        org_id = self.org_ids.take()
        start = start or self._start(rng)
        founded = max(start - timedelta(days=rng.randrange(0, 200)), date(2005, 1, 1))
        type_digit = "1" if kind.org_type == SG else "2"
        filed_first = None
        filed_on = None
        registered_on = start
        # About a third of the community-level ones began as a filed group and registered later.
        if street and rng.random() < 0.3 and (self.latest_start - start).days > 400:
            filed_on = start
            registered_on = _day(rng, start + timedelta(days=180), self.latest_start)
            filed_first = {"track": Track.FILED, "org_type": TEAM, "tier": Tier.STREET}
        history = self._life(rng, registered_on, registered=True)
        status = self._emit(
            rng, org_id=org_id, uid=_uid(division, i, start.year), name=name,
            keys=name_keys(*(parts or (name,))), track=Track.REGISTERED, org_type=kind.org_type,
            tier=Tier.REGISTERED,
            credit=credit_code(type_digit, region_div[:6], division, i),
            authority=self.bodies.get(authority_div), authority_div=authority_div, division=division,
            address=address, founded=founded, registered_on=registered_on, filed_on=filed_on,
            members=rng.randrange(20, 301), capital=rng.choice(CAPITALS), venue=venue,
            party=self._party(rng, True), base_id=self._incubated(rng, base, start), is_hub=False,
            is_community=True, categories=kind.categories, targets=kind.targets, history=history,
            first_facts=filed_first,
        )
        return (org_id, start) if status in (Status.ACTIVE, Status.ABNORMAL) else None

    def _street(self, street: _Place, street_orgs, city_name, county_name, county_div, base) -> None:
        rng = random.Random(f"{self.seed}:{street.code}")
        address = f"{city_name}{county_name}{street.name}"
        n = 0
        for kind in STREET_KINDS:
            if rng.random() < min(1.0, 0.5 * max(self.scale, 0.1)):
                name, parts = self._unique_name(county_div, [(county_name or city_name, street.name, kind.suffix)])
                self._registered(rng, kind, name, street.code, county_div, county_div, n, city_name, county_name,
                                 address=address, base=base, parts=parts)
                n += 1
        if len(street_orgs) >= FED_MIN_MEMBERS and rng.random() < 0.7:
            members = rng.sample(street_orgs, min(len(street_orgs), rng.randrange(FED_MIN_MEMBERS, 61)))
            latest = max(s for _, s in members)
            start = min(latest + timedelta(days=rng.randrange(1, 200)), self.latest_start)
            start = max(start, latest)
            name, parts = self._unique_name(county_div, [(county_name or city_name, street.name, FEDERATION.suffix)])
            self.result.hubs += 1
            # The hub itself stays active (a federation's life is not simulated).
            rng_state = rng.getstate()
            info_rng = random.Random(f"{self.seed}:{street.code}:hub")
            org_id = self.org_ids.take()
            self._emit(
                info_rng, org_id=org_id, uid=_uid(street.code, 100, start.year), name=name, keys=name_keys(*parts),
                track=Track.REGISTERED, org_type=SG, tier=Tier.REGISTERED,
                credit=credit_code("1", county_div[:6], street.code, 100), authority=self.bodies.get(county_div),
                authority_div=county_div, division=street.code, address=address,
                founded=start, registered_on=start, filed_on=None, members=len(members),
                capital=rng.choice(CAPITALS), venue=None, party=PartyBuilding.JOINT, base_id=None, is_hub=True,
                is_community=True, categories=FEDERATION.categories, targets=(), history=[],
                supervising=street.name + ("办事处" if street.name.endswith("街道") else "人民政府"),
            )
            rng.setstate(rng_state)
            for member_id, member_start in members:
                self.members.append((org_id, member_id, max(start, member_start).isoformat(), None))
            self.result.memberships += len(members)

    def _foundations(self, place: _Place) -> None:
        if place.code in self.occupied or "直辖" in place.name:
            return
        rng = random.Random(f"{self.seed}:{place.code}:foundations")
        count = (rng.randrange(2, 5) if place.level == codes.PROVINCE else rng.randrange(1, 4))
        count = max(1 if self.scale >= 0.05 else 0, round(count * min(1.0, self.scale * 2)))
        label = province_short_name(place.name) if place.level == codes.PROVINCE else place.name
        authority = self.bodies.get(place.code)
        region = place.code[:6]
        for i, (theme, cats, tgts) in enumerate(rng.sample(FOUNDATION_THEMES, min(count, len(FOUNDATION_THEMES)))):
            name, parts = self._unique_name(place.code, [(label, theme)])
            org_id = self.org_ids.take()
            start = _day(rng, date(2015, 1, 1), self.latest_start)
            history = [] if rng.random() < 0.9 else [(_day(rng, start + timedelta(days=60),
                                                           self.today - timedelta(days=1)),
                                                      Status.ACTIVE, Status.ABNORMAL)]
            if history and history[0][0] <= start:
                history = []
            self._emit(
                rng, org_id=org_id, uid=_uid(place.code, i, start.year), name=name, keys=name_keys(*parts),
                track=Track.REGISTERED, org_type=OrgType.FOUNDATION, tier=Tier.REGISTERED,
                credit=credit_code("3", region, place.code, i), authority=authority, authority_div=place.code,
                division=place.code, address=place.name, founded=start, registered_on=start, filed_on=None,
                members=None, capital=rng.choice((2_000_000, 4_000_000, 8_000_000)), venue=None,
                party=self._party(rng, True), base_id=None, is_hub=False, is_community=False,
                categories=cats, targets=tgts, history=history,
            )
            self.result.foundations += 1

    # ----- writing
    def _flush(self, final: bool = False) -> None:
        if not (self.orgs or self.venues or self.bases):
            return
        with transaction.atomic():
            write_rows(IncubationBase, BASE_COLUMNS, self.bases)
            write_rows(Venue, VENUE_COLUMNS, self.venues)
            write_rows(Organization, self.org_cols, self.orgs, self.org_extra)
            write_rows(OrgStateSpan, SPAN_COLUMNS, self.spans)
            write_rows(StatusChange, CHANGE_COLUMNS, self.changes)
            write_rows(Leader, LEADER_COLUMNS, self.leaders)
            write_rows(self.cat_table, ("organization_id", "category_id"), self.org_cats)
            write_rows(self.tgt_table, ("organization_id", "servicetarget_id"), self.org_tgts)
            write_rows(HubMembership, MEMBER_COLUMNS, self.members)
        self._reset()
        if self.progress:
            self.progress({"organizations": self.result.organizations, "communities": self.result.communities})


def generate(prefixes: Iterable[str], **options) -> GenerateResult:
    """Fill the communities under ``prefixes`` (e.g. ``["45"]``; ``[""]`` for the whole country)."""
    return Generator(**options).run(prefixes)


def national_prefixes() -> list[str]:
    return sorted(c[:2] for c in Division.objects.filter(level=codes.PROVINCE).values_list("code", flat=True))
