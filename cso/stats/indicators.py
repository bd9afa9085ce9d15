"""The statistics engine: indicator definitions (written once) and the one way to compute them.

Tables, dashboards, exports and the API all call ``compute`` / ``community_stats`` and read the
definitions from ``INDICATORS``; nothing else re-implements a formula.

Aggregation happens in the database: one grouped query over the span table as of the day (grouped
by the child's code prefix), one over the communities joined with their per-community organization
counts, and one over incubation bases — a handful of queries whatever the size of the subtree.

Rows: one per child division in code order. Organizations (or incubation bases) placed on the parent
division itself — a county-level registered organization, a county incubation base — are shown in a
row of their own, ``<parent>本级`` (``is_direct``), placed first, so that every count of the total row
is the sum of the rows. Ratios are never summed: each row's ratio is recomputed from its own parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Substr
from django.http import Http404
from django.urls import reverse

from cso.core.scoping import Scope, subtree_q
from cso.orgs.choices import FINAL_STATUSES, LIVE_STATUSES, PartyBuilding, Status, Tier, Track
from cso.orgs.models import Category, IncubationBase, OrgStateSpan, ServiceTarget
from cso.regions import codes
from cso.regions.models import Division

from . import rollups
from . import targets as targets_mod
from .choices import TargetKey
from .rollups import BIG_TODAY_SECONDS  # noqa: F401 - the dashboards read it here

COUNT = "count"
RATIO = "ratio"


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    meaning: str
    formula: str
    kind: str  # "count" sums over children; "ratio" is recomputed from its parts, never summed
    target_key: str | None = None
    group: str = ""


GROUPS = {
    "base": "区划与人口",
    "total": "组织总量",
    "tier": "管理层级",
    "status": "状态",
    "change": "本期增减",
    "target": "目标指标",
    "party": "党建",
    "category": "类别构成",
    "service": "服务对象构成",
}


def _i(key, label, unit, meaning, formula, kind=COUNT, target_key=None, group=""):
    return Indicator(key, label, unit, meaning, formula, kind, target_key, group)


LIVE_TEXT = "状态为正常、活动异常或停止活动"
# The per-community view of seed 000's averages is this product's derived reference, not the seed's target.
DERIVED_LABEL = "本平台派生的参考口径"
_STATUS_LABELS = dict(Status.choices)

INDICATORS: dict[str, Indicator] = {i.key: i for i in [
    _i("communities", "社区（村）数", "个", "截至统计日仍在区划代码表中的社区（村）级单位数。",
       "计数（村级区划，未撤销）", group="base"),
    _i("communities_urban", "城市社区数", "个", "按本省城市社区口径划为城市社区的社区数。",
       "计数（村级区划中的城市社区）", group="base"),
    _i("communities_rural", "农村社区数", "个", "按本省城市社区口径划为农村社区（村）的数量。",
       "计数（村级区划中的农村社区）", group="base"),
    _i("population", "常住人口", "人", "辖区内各社区（村）常住人口之和。", "Σ 社区常住人口", group="base"),
    _i("households", "户数", "户", "辖区内各社区（村）户数之和。", "Σ 社区户数", group="base"),
    _i("orgs_live", "社会组织总数（存续）", "个", f"统计日{LIVE_TEXT}的社会组织（含登记和备案）。",
       "计数（存续组织）", group="total"),
    _i("orgs_registered", "登记社会组织数", "个", "存续组织中依法登记的（法人类）。",
       "计数（存续且管理方式为登记）", group="total"),
    _i("orgs_filed", "备案社区社会组织数", "个", "存续组织中备案管理的（非法人类）。",
       "计数（存续且管理方式为备案）", group="total"),
    _i("cso_live", "社区社会组织数", "个", "存续组织中属于社区社会组织的。",
       "计数（存续且为社区社会组织）", group="total"),
    _i("orgs_incubated", "经孵化的组织数", "个", "存续组织中由孵化基地孵化的。", "计数（存续且经孵化）", group="total"),
    _i("orgs_hub", "枢纽型组织数", "个", "存续组织中的联合会、促进会等枢纽型组织。", "计数（存续且为枢纽型）",
       group="total"),
    _i("tier_registered", "依法登记管理", "个", "存续组织中管理层级为“依法登记”的。", "计数（存续，按管理层级）",
       group="tier"),
    _i("tier_street", "街道（乡镇）管理", "个", "存续组织中由街道（乡镇）管理的。", "计数（存续，按管理层级）",
       group="tier"),
    _i("tier_community", "居（村）委会指导", "个", "存续组织中由社区党组织领导、居（村）委会指导的。",
       "计数（存续，按管理层级）", group="tier"),
    *[
        _i(f"status_{s.value}", str(s.label), "个", f"统计日状态为“{s.label}”的组织。", "计数（按统计日状态）",
           group="status")
        for s in Status
    ],
    _i("new_in_period", "本期新增", "个", "首次登记或备案日期在本期（期初至统计日）内的组织。",
       "计数（首个状态区间起始日 ∈ [期初, 统计日]，即（上期截至日, 本期截至日]）", group="change"),
    _i("deregistered_in_period", "本期注销、撤销", "个", "本期内注销或被撤销登记的组织。",
       "计数（注销、撤销登记生效日 ∈ [期初, 统计日]）", group="change"),
    _i("cleared_in_period", "本期清理", "个", "本期内被清理（不再活动、从名录中清理）的组织。",
       "计数（清理生效日 ∈ [期初, 统计日]）", group="change"),
    _i("ended_in_period", "本期注销、撤销和清理合计", "个", "本期内状态变为注销、撤销登记或清理的组织。",
       "本期注销、撤销 + 本期清理", group="change"),
    _i("per_10k", "每万人拥有社会组织数", "个/万人", "每一万常住人口拥有的存续登记社会组织数。",
       "登记社会组织数 × 10000 ÷ 常住人口", RATIO, TargetKey.PER_10K, group="target"),
    _i("cso_urban", "城市社区的社区社会组织数", "个", "位于城市社区的存续社区社会组织。",
       "计数（存续社区社会组织，所在社区为城市社区）", group="target"),
    _i("cso_rural", "农村社区的社区社会组织数", "个", "位于农村社区（村）的存续社区社会组织。",
       "计数（存续社区社会组织，所在社区为农村社区）", group="target"),
    _i("avg_urban", "城市社区平均社区社会组织数", "个/社区", "平均每个城市社区拥有的社区社会组织数。",
       "城市社区的社区社会组织数 ÷ 城市社区数", RATIO, TargetKey.AVG_URBAN, group="target"),
    _i("avg_rural", "农村社区平均社区社会组织数", "个/村", "平均每个农村社区（村）拥有的社区社会组织数。",
       "农村社区的社区社会组织数 ÷ 农村社区数", RATIO, TargetKey.AVG_RURAL, group="target"),
    _i("communities_at_target", "组织数不低于参考值的社区数（派生参考）", "个",
       f"{DERIVED_LABEL}：文件的目标（城市社区平均不少于10个、农村社区平均不少于5个）是一个地区的平均数；"
       "这里逐个社区比较其自身存续社区社会组织数与该平均目标（或上级设定值），不是文件规定的目标。",
       "计数（社区自身社区社会组织数 ≥ 该社区参考值）", group="target"),
    _i("communities_at_target_share", "组织数不低于参考值的社区占比（派生参考）", "%",
       f"{DERIVED_LABEL}：组织数不低于参考值的社区占已划分城乡的社区总数的比例；文件的目标是地区平均数。",
       "不低于参考值的社区数 ÷ （城市社区数 + 农村社区数）× 100%", RATIO, group="target"),
    _i("incubation_bases", "孵化基地数（按本省口径）", "个",
       "截至统计日已建成（或建成日期未填）、按本省孵化基地计数口径计入的孵化基地（默认只计县级基地：文件000"
       "要求县级民政部门在每县建立1-2个孵化基地）。",
       "计数（建成日期 ≤ 统计日或未填，层级在本省口径内）", COUNT, TargetKey.INCUBATION_BASES_MIN, group="target"),
    _i("incubation_bases_county", "县（区）级孵化基地数", "个", "截至统计日已建成的县（区）级孵化基地。",
       "计数（层级为县级）", group="target"),
    _i("incubation_bases_street", "街道（乡镇）级孵化基地数", "个", "截至统计日已建成的街道（乡镇）级孵化基地。",
       "计数（层级为街道级）", group="target"),
    _i("incubation_bases_community", "社区（村）级孵化基地数", "个", "截至统计日已建成的社区（村）级孵化基地。",
       "计数（层级为社区级）", group="target"),
    _i("facility_ok", "设施面积达标社区数", "个",
       "社区综合服务设施面积每百户不低于目标值（默认30㎡）的社区数；面积或户数未填的不计入达标。",
       "计数（设施面积 × 100 ÷ 户数 ≥ 目标值）", group="target"),
    _i("facility_share", "设施面积达标社区占比", "%", "设施面积达标的社区占全部社区的比例。",
       "设施面积达标社区数 ÷ 社区数 × 100%", RATIO, TargetKey.FACILITY_SHARE, group="target"),
    _i("party_covered", "党的工作覆盖组织数", "个", "存续组织中建立党组织或有党建指导员、联络员的。",
       "计数（存续且党建情况不为“无”）", group="party"),
    _i("party_coverage", "党的工作覆盖率", "%", "党的工作覆盖组织占存续组织的比例。",
       "党的工作覆盖组织数 ÷ 社会组织总数（存续） × 100%", RATIO, group="party"),
]}

# Ratios and their parts (numerator, denominator, multiplier, decimal places).
RATIOS = {
    "per_10k": ("orgs_registered", "population", 10000, 2),
    "avg_urban": ("cso_urban", "communities_urban", 1, 2),
    "avg_rural": ("cso_rural", "communities_rural", 1, 2),
    "communities_at_target_share": ("communities_at_target", "communities_classified", 100, 1),
    "facility_share": ("facility_ok", "communities", 100, 1),
    "party_coverage": ("party_covered", "orgs_live", 100, 1),
}

# Count keys that are helpers of a ratio, computed but not listed among the indicators.
HELPER_KEYS = ("communities_classified",)


def category_key(code: str) -> str:
    return f"category:{code}"


def service_key(code: str) -> str:
    return f"target:{code}"


def dynamic_indicators(categories=None, services=None) -> list[Indicator]:
    """One count per category and per service target (terms administrators can extend)."""
    categories = Category.objects.all() if categories is None else categories
    services = ServiceTarget.objects.all() if services is None else services
    found = []
    for term in categories:
        found.append(_i(category_key(term.code), term.name, "个", f"存续组织中类别包括“{term.name}”的。",
                        "计数（存续，按类别；一个组织可属多个类别）", group="category"))
    for term in services:
        found.append(_i(service_key(term.code), term.name, "个", f"存续组织中服务对象包括“{term.name}”的。",
                        "计数（存续，按服务对象；一个组织可有多个服务对象）", group="service"))
    return found


def get_indicator(key: str) -> Indicator | None:
    if key in INDICATORS:
        return INDICATORS[key]
    if key.startswith(("category:", "target:")):
        return next((i for i in dynamic_indicators() if i.key == key), None)
    return None


# --- results ---------------------------------------------------------------------------------
@dataclass
class DivisionStats:
    code: str
    name: str
    level: int
    values: dict[str, int | Decimal | None]
    targets: dict[str, Decimal] = field(default_factory=dict)
    is_direct: bool = False  # the organizations placed on the parent division itself

    def gap(self, key: str) -> Decimal | None:
        """How far the value is below its target (0 when reached); None without a target."""
        indicator = INDICATORS.get(key)
        if indicator is None or indicator.target_key is None:
            return None
        target = self.targets.get(indicator.target_key)
        value = self.values.get(key)
        if target is None or value is None:
            return None
        return max(Decimal(target) - Decimal(value), Decimal(0))

    def meets(self, key: str) -> bool | None:
        gap = self.gap(key)
        return None if gap is None else gap == 0


@dataclass
class StatsResult:
    parent: DivisionStats
    rows: list[DivisionStats]
    day: date
    period_start: date
    targets: dict[str, Decimal]
    urban_rule: str
    urban_rule_label: str
    dynamic: list[Indicator] = field(default_factory=list)
    bases_rule_label: str = ""

    @property
    def keys(self) -> list[str]:
        return [*INDICATORS, *(i.key for i in self.dynamic)]


# --- dates -----------------------------------------------------------------------------------
def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1–4")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year, 3 * quarter, 31 if quarter in (1, 4) else 30)
    return start, end


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_start(day: date) -> date:
    return quarter_bounds(*quarter_of(day))[0]


# --- helpers ---------------------------------------------------------------------------------
def _prefix(code: str) -> str:
    code = targets_mod.normalise_code(code)
    return codes.prefix_of(code, codes.level_of(code)) if code else ""


def resolve_parent(parent_code: str, user=None) -> Division | None:
    """The parent division (None = national), checked against the user's scope (404 outside)."""
    code = targets_mod.normalise_code(parent_code)
    if user is not None:
        scope = Scope.for_user(user)
        if not code:
            if not scope.is_national:
                raise Http404("全国数据仅限全国范围的账号查看。")
            return None
        division = Division.objects.visible_to(user).filter(code=code).first()
        if division is None:
            raise Http404("区划不存在，或不在您账号所属区划的范围内。")
        return division
    if not code:
        return None
    division = Division.objects.filter(code=code).first()
    if division is None:
        raise Http404("区划不存在。")
    return division


def _ratio(values: dict, key: str) -> Decimal | None:
    numerator, denominator, multiplier, places = RATIOS[key]
    num, den = values.get(numerator), values.get(denominator)
    if num is None or not den:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(num) * multiplier / Decimal(den)).quantize(quantum, rounding=ROUND_HALF_UP)


def _finish(values: dict) -> dict:
    for key in RATIOS:
        values[key] = _ratio(values, key)
    return values


def finish_ratios(counts: dict) -> dict:
    """Recompute every ratio of ``RATIOS`` from the counts in ``counts`` (in place, returned) — for
    roll-ups that sum rows of count indicators (include the helper counts of ``HELPER_KEYS``)."""
    return _finish(counts)


# The span table is rolled up by a few low-cardinality facts packed into one small integer (one
# COUNT per combination), and the combinations are then summed into the indicators: far cheaper for
# the database than one filtered aggregate per indicator (and one packed key lets PostgreSQL hash the
# groups instead of sorting the rows), and still no loop over organizations — a county has a few
# dozen combinations, the country a few thousand.
STATUS_CODES = [s.value for s in Status]
TRACK_CODES = [t.value for t in Track]
TIER_CODES = [t.value for t in Tier]
URBAN, RURAL = 1, 2
# (name, width in bits)
PACKING = (("status", 3), ("track", 1), ("tier", 2), ("cso", 1), ("incubated", 1), ("hub", 1), ("party", 1),
           ("urban", 2), ("ended", 1))


def _packed_key(prefix: str, period_start: date, provinces: list[str]):
    urban = _span_urban_q(prefix, provinces, rural=False)
    rural = _span_urban_q(prefix, provinces, rural=True)

    def choice(field_name, values):
        return Case(*[When(**{field_name: v}, then=Value(i)) for i, v in enumerate(values)], default=Value(0),
                    output_field=IntegerField())

    def flag(q):
        return Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())

    parts = {
        "status": choice("status", STATUS_CODES),
        "track": choice("track", TRACK_CODES),
        "tier": choice("tier", TIER_CODES),
        "cso": flag(Q(is_community_org=True)),
        "incubated": flag(Q(is_incubated=True)),
        "hub": flag(Q(is_hub=True)),
        "party": flag(~Q(party_building=PartyBuilding.NONE)),
        "urban": Case(When(urban, then=Value(URBAN)), When(rural, then=Value(RURAL)), default=Value(0),
                      output_field=IntegerField()),
        "ended": flag(ended_in_period_q(period_start)),
    }
    expression, shift = None, 0
    for name, width in PACKING:
        term = parts[name] if shift == 0 else parts[name] * Value(1 << shift)
        expression = term if expression is None else expression + term
        shift += width
    return ExpressionWrapper(expression, output_field=IntegerField())


def _unpack(key: int) -> dict:
    found, shift = {}, 0
    for name, width in PACKING:
        found[name] = (key >> shift) & ((1 << width) - 1)
        shift += width
    return found


def _add_dimension_row(bucket: dict, key: int, n: int) -> None:
    row = _unpack(key)
    status = STATUS_CODES[row["status"]]

    def add(name):
        bucket[name] = bucket.get(name, 0) + n

    add(f"status_{status}")
    if row["ended"]:
        add("ended_in_period")
        add("cleared_in_period" if status == Status.CLEARED else "deregistered_in_period")
    if status not in LIVE_STATUSES:
        return
    add("orgs_live")
    add("orgs_registered" if TRACK_CODES[row["track"]] == Track.REGISTERED else "orgs_filed")
    add(f"tier_{TIER_CODES[row['tier']]}")
    if row["incubated"]:
        add("orgs_incubated")
    if row["hub"]:
        add("orgs_hub")
    if row["party"]:
        add("party_covered")
    if row["cso"]:
        add("cso_live")
        if row["urban"] == URBAN:
            add("cso_urban")
        elif row["urban"] == RURAL:
            add("cso_rural")


def new_in_period_q(period_start: date) -> Q:
    """Spans (as of the day) of organizations whose first span starts in the period."""
    started_before = OrgStateSpan.objects.filter(organization_id=OuterRef("organization_id"),
                                                 valid_from__lt=period_start)
    return Q(valid_from__gte=period_start) & ~Q(Exists(started_before))


def ended_in_period_q(period_start: date) -> Q:
    """Spans (as of the day) whose final status (deregistered, revoked, cleared) began in the period."""
    return Q(status__in=FINAL_STATUSES) & Q(valid_from__gte=period_start)


def change_spans(kind: str, parent_code: str, day: date, period_start: date, user=None, *, own: bool = False):
    """The spans behind ``new_in_period`` / ``ended_in_period`` under a division — the list the
    numbers link to (``/stats/changes/``). With ``own``, only those placed on the division itself
    (its "本级" row)."""
    parent = resolve_parent(parent_code, user)
    spans = _span_queryset(parent.prefix if parent else "", day)
    if own and parent is not None:
        spans = spans.filter(division_id=parent.code)
    condition = new_in_period_q(period_start) if kind == "new" else ended_in_period_q(period_start)
    if kind == "deregistered":
        condition &= ~Q(status=Status.CLEARED)
    elif kind == "cleared":
        condition &= Q(status=Status.CLEARED)
    return spans.filter(condition)


def bases_queryset(prefix: str, day: date):
    """The incubation bases of every level under ``prefix``, opened by ``day`` (or with no opening date):
    ``incubation_bases`` counts those at the levels the province chose, the per-level indicators all;
    ``/stats/bases/`` lists them."""
    bases = IncubationBase.objects.filter(Q(opened_on__lte=day) | Q(opened_on__isnull=True))
    if prefix:
        bases = bases.filter(subtree_q("division_id", prefix))
    return bases


def _span_queryset(prefix: str, day: date):
    qs = OrgStateSpan.objects.as_of(day)
    if prefix:
        qs = qs.filter(subtree_q("division_id", prefix))
    return qs.alias(_unit=Substr("division_id", 10, 3))


def _span_urban_q(prefix: str, provinces: list[str], *, rural: bool) -> Q:
    low, high = ("200", "399") if rural else ("001", "199")
    committee = Q(_unit__gte=low, _unit__lte=high)
    by_code = Q(division__urban_rural_code__startswith="2" if rural else "1") & ~Q(_unit="000")
    return targets_mod.urban_condition(prefix, "division_id", committee=committee, by_code=by_code,
                                       provinces=provinces)


def _division_urban_q(prefix: str, provinces: list[str], *, rural: bool) -> Q:
    committee = Q(unit_type=codes.UNIT_VILLAGERS if rural else codes.UNIT_RESIDENTS)
    by_code = Q(urban_rural_code__startswith="2" if rural else "1")
    return targets_mod.urban_condition(prefix, "code", committee=committee, by_code=by_code, provinces=provinces)


def _communities_queryset(prefix: str, year: int, provinces: list[str]):
    """Current communities under ``prefix`` with their urban/rural class, own targets and facility
    check, as SQL annotations."""

    qs = Division.objects.filter(level=codes.COMMUNITY, abolished_in__isnull=True)
    if prefix:
        qs = qs.filter(subtree_q("code", prefix))
    urban = _division_urban_q(prefix, provinces, rural=False)
    rural = _division_urban_q(prefix, provinces, rural=True)
    keys = (TargetKey.AVG_URBAN, TargetKey.AVG_RURAL, TargetKey.FACILITY_AREA)
    rules = targets_mod.overrides_in(prefix, year, keys)
    urban_target, rural_target, facility_target = (
        targets_mod.target_case("code", rules[key], year, key) for key in keys
    )
    dec = DecimalField(max_digits=14, decimal_places=2)
    return qs.annotate(
        is_urban=Case(When(urban, then=Value(1)), default=Value(0), output_field=IntegerField()),
        is_rural=Case(When(rural, then=Value(1)), default=Value(0), output_field=IntegerField()),
        own_target=Case(When(urban, then=urban_target), When(rural, then=rural_target),
                        default=Value(None, output_field=dec), output_field=dec),
        _fac_have=ExpressionWrapper(F("facility_area") * Value(100), output_field=dec),
        _fac_need=ExpressionWrapper(facility_target * F("households"), output_field=dec),
    ).annotate(
        fac_ok=Case(
            When(Q(households__gt=0, facility_area__isnull=False, _fac_have__gte=F("_fac_need")), then=Value(1)),
            default=Value(0), output_field=IntegerField(),
        ),
    )


def _cso_counts_queryset(prefix: str, day: date):
    """Live community organizations per division (as of ``day``)."""
    qs = OrgStateSpan.objects.as_of(day).filter(status__in=LIVE_STATUSES, is_community_org=True)
    if prefix:
        qs = qs.filter(subtree_q("division_id", prefix))
    return qs.values("division_id").annotate(n=Count("id")).order_by()


def _community_sql(prefix: str, day: date, provinces: list[str]):
    """SQL (and params) of the communities left-joined with their own organization counts:
    columns code, name, population, households, facility_area, is_urban, is_rural, own_target,
    fac_ok, n."""
    communities = _communities_queryset(prefix, day.year, provinces)
    communities = communities.values(
        "code", "name", "population", "households", "facility_area", "is_urban", "is_rural", "own_target",
        "fac_ok",
    ).order_by()
    d_sql, d_params = communities.query.sql_with_params()
    s_sql, s_params = _cso_counts_queryset(prefix, day).query.sql_with_params()
    sql = (
        "SELECT d.code AS code, d.name AS name, d.population AS population, d.households AS households, "
        "d.facility_area AS facility_area, d.is_urban AS is_urban, d.is_rural AS is_rural, "
        "d.own_target AS own_target, d.fac_ok AS fac_ok, COALESCE(s.n, 0) AS n "
        f"FROM ({d_sql}) d LEFT JOIN ({s_sql}) s ON s.division_id = d.code"
    )
    return sql, (*d_params, *s_params)


def _group_rows(rows: dict[str, dict], children: list[Division]) -> tuple[dict[str, dict], dict]:
    """Map grouped values (by code prefix) to child rows, the direct row and the total."""
    lengths = sorted({codes.PREFIX_LENGTH[c.level] for c in children}, reverse=True)
    by_prefix = {codes.prefix_of(c.code, c.level): c for c in children}
    per_child: dict[str, dict] = {}
    direct: dict = {}
    for key, values in rows.items():
        child = None
        for n in lengths:
            child = by_prefix.get(key[:n])
            if child is not None:
                break
        target = per_child.setdefault(child.code, {}) if child is not None else direct
        for k, v in values.items():
            target[k] = (target.get(k) or 0) + (v or 0)
    return per_child, direct


def _roomy_session() -> None:
    """On PostgreSQL, give this transaction's grouping room in memory (``work_mem``), so that the
    planner hashes the groups instead of sorting millions of rows on disk (national and province
    roll-ups: about 40 % faster). ``SET LOCAL`` ends with the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = %s", [getattr(settings, "CSO_STATS_WORK_MEM", "64MB")])


def compute(parent_code: str, day: date, *, period_start: date | None = None, user=None) -> StatsResult:
    """Every indicator for each child of ``parent_code`` ("" = national) and the total, as of ``day``."""
    code = targets_mod.normalise_code(parent_code)
    large = not code or (codes.is_valid_code(code) and len(_prefix(code)) < codes.PREFIX_LENGTH[codes.COUNTY])
    if not large or connection.vendor != "postgresql":
        return _compute(parent_code, day, period_start=period_start, user=user)
    if connection.in_atomic_block:
        _roomy_session()
        return _compute(parent_code, day, period_start=period_start, user=user)
    with transaction.atomic():
        _roomy_session()
        return _compute(parent_code, day, period_start=period_start, user=user)


def compute_cached(parent_code: str, day: date, *, period_start: date | None = None,
                   user=None) -> tuple[StatsResult, datetime | None]:
    """``compute`` for pages. National and provincial results take seconds over millions of
    organizations: they are roll-ups computed by the task worker and kept for a while (five minutes
    when the day is today, else ``CSO_DASHBOARD_CACHE_SECONDS``; ``cso.stats.rollups``), returned
    with the time they were computed; ``rollups.RollUpPending`` is raised while the first one is
    being computed. Below the province the result is computed now (None: computed now). The scope
    check runs on every call; the result itself does not depend on who asks."""
    code = targets_mod.normalise_code(parent_code)
    parent = resolve_parent(code, user)
    if parent is not None and parent.level > codes.PROVINCE:
        return compute(code, day, period_start=period_start, user=user), None
    return rollups.cached(code, day, period_start or quarter_start(day))


def _compute(parent_code: str, day: date, *, period_start: date | None, user) -> StatsResult:
    parent = resolve_parent(parent_code, user)
    prefix = parent.prefix if parent else ""
    period_start = period_start or quarter_start(day)
    if period_start > day:
        raise ValueError("period_start after day")
    year = day.year
    categories = list(Category.objects.all())
    services = list(ServiceTarget.objects.all())
    dynamic = dynamic_indicators(categories, services)
    provinces = targets_mod.code_rule_provinces(prefix)

    if parent is None:
        children = list(Division.objects.filter(level=codes.PROVINCE).order_by("code"))
    else:
        children = list(Division.objects.filter(parent_id=parent.code).order_by("code"))
    length = max((codes.PREFIX_LENGTH[c.level] for c in children), default=codes.CODE_LENGTH)

    grouped: dict[str, dict] = {}

    def add(key, values):
        bucket = grouped.setdefault(key, {})
        for k, v in values.items():
            bucket[k] = (bucket.get(k) or 0) + (v or 0)

    # 1. organizations (span table as of the day), grouped by the child prefix and a few facts
    spans = _span_queryset(prefix, day).annotate(_k=Substr("division_id", 1, length))
    packed = spans.annotate(_f=_packed_key(prefix, period_start, provinces))
    for row in packed.values("_k", "_f").annotate(n=Count("*")).order_by():
        _add_dimension_row(grouped.setdefault(row["_k"], {}), row["_f"], row["n"])
    # ... the new ones: spans that start in the period (an index range) of organizations with no
    # earlier span (kept out of the query above, whose scan the correlated probe would serialise)
    new = spans.filter(new_in_period_q(period_start))
    for row in new.values("_k").annotate(n=Count("*")).order_by():
        bucket = grouped.setdefault(row["_k"], {})
        bucket["new_in_period"] = bucket.get("new_in_period", 0) + row["n"]
    # ... and the live ones by their sets of categories and service targets (few distinct masks)
    live = spans.filter(status__in=LIVE_STATUSES)
    for row in live.values("_k", "categories_mask", "targets_mask").annotate(n=Count("*")).order_by():
        bucket = grouped.setdefault(row["_k"], {})
        for term in categories:
            if row["categories_mask"] & term.flag:
                bucket[category_key(term.code)] = bucket.get(category_key(term.code), 0) + row["n"]
        for term in services:
            if row["targets_mask"] & term.flag:
                bucket[service_key(term.code)] = bucket.get(service_key(term.code), 0) + row["n"]

    # 2. communities with their own counts and targets, grouped by the child prefix
    sql, params = _community_sql(prefix, day, provinces)
    outer = (
        f"SELECT SUBSTR(c.code, 1, {int(length)}) AS k, COUNT(*) AS communities, "
        "SUM(c.is_urban) AS communities_urban, SUM(c.is_rural) AS communities_rural, "
        "SUM(c.population) AS population, SUM(c.households) AS households, SUM(c.fac_ok) AS facility_ok, "
        "SUM(CASE WHEN c.own_target IS NOT NULL AND c.n >= c.own_target THEN 1 ELSE 0 END) "
        "AS communities_at_target "
        f"FROM ({sql}) c GROUP BY SUBSTR(c.code, 1, {int(length)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        names = [col[0] for col in cursor.description]
        for record in cursor.fetchall():
            row = dict(zip(names, record, strict=True))
            key = row.pop("k")
            row["communities_classified"] = (row["communities_urban"] or 0) + (row["communities_rural"] or 0)
            add(key, {k: int(v) if v is not None else 0 for k, v in row.items()})

    # 3. incubation bases opened by the day, by level; those at the levels the province counts make the total
    bases = bases_queryset(prefix, day)
    counted = targets_mod.base_levels_by_province(prefix)
    default_levels = targets_mod.BASE_LEVEL_SETS[targets_mod.BaseLevels.COUNTY]
    level_keys = {codes.COUNTY: "incubation_bases_county", codes.STREET: "incubation_bases_street",
                  codes.COMMUNITY: "incubation_bases_community"}
    rows = bases.annotate(_k=Substr("division_id", 1, length), _p=Substr("division_id", 1, 2)).values(
        "_k", "_p", "level").annotate(n=Count("id")).order_by()
    for row in rows:
        values = {level_keys[row["level"]]: row["n"]} if row["level"] in level_keys else {}
        if row["level"] in counted.get(row["_p"], default_levels):
            values["incubation_bases"] = row["n"]
        add(row["_k"], values)

    per_child, direct = _group_rows(grouped, children)

    count_keys = [k for k, i in INDICATORS.items() if i.kind == COUNT] + list(HELPER_KEYS) + [
        i.key for i in dynamic]

    def values_of(raw: dict) -> dict:
        # communities without figures add nothing to population and households; ratios over a
        # zero population or no communities are None ("—" on the pages)
        values = {k: int(raw.get(k) or 0) for k in count_keys}
        return _finish(values)

    child_targets = _targets_by_division([c.code for c in children] + ([parent.code] if parent else []), year)
    rows: list[DivisionStats] = []
    parent_name = parent.name if parent else targets_mod.NATIONAL_NAME
    parent_targets = child_targets[parent.code] if parent else targets_mod.defaults(year)
    if direct and any(direct.get(k) for k in count_keys):
        rows.append(DivisionStats(parent.code if parent else "", f"{parent_name}本级",
                                  parent.level if parent else 0, values_of(direct), parent_targets, True))
    for child in children:
        raw = per_child.get(child.code)
        if child.abolished_in is not None and not raw:
            continue
        rows.append(DivisionStats(child.code, child.name, child.level, values_of(raw or {}),
                                  child_targets.get(child.code, {})))

    total: dict = {}
    for values in grouped.values():
        for k, v in values.items():
            total[k] = (total.get(k) or 0) + (v or 0)
    parent_row = DivisionStats(parent.code if parent else "", parent_name, parent.level if parent else 0,
                               values_of(total), parent_targets)
    rule, rule_label = targets_mod.rule_for_prefix(prefix, provinces)
    return StatsResult(parent_row, rows, day, period_start, parent_targets, rule, rule_label, dynamic,
                       targets_mod.bases_rule_label(prefix, counted))


def _targets_by_division(division_codes: list[str], year: int) -> dict[str, dict[str, Decimal]]:
    """Effective targets of several sibling divisions in two queries."""
    from .models import Target

    if not division_codes:
        return {}
    chains = {c: targets_mod.ancestor_codes(c) for c in division_codes}
    wanted = {a for chain in chains.values() for a in chain}
    found: dict[tuple[str, str], Decimal] = {
        (row.division_id, row.key): row.value for row in Target.objects.filter(year=year, division_id__in=wanted)
    }
    result = {}
    base = targets_mod.defaults(year)
    for code, chain in chains.items():
        values = dict(base)
        for key in TargetKey.values:
            for ancestor in chain:
                if (ancestor, key) in found:
                    values[key] = found[(ancestor, key)]
                    break
        result[code] = values
    return result


# --- communities -----------------------------------------------------------------------------
@dataclass
class CommunityStats:
    code: str
    name: str
    urban: bool | None
    population: int | None
    households: int | None
    facility_area: Decimal | None
    facility_ok: bool
    cso: int
    target: Decimal | None
    gap: Decimal | None
    at_target: bool | None
    categories_present: list[str] = field(default_factory=list)
    categories_missing: list[str] = field(default_factory=list)
    targets_present: list[str] = field(default_factory=list)
    targets_missing: list[str] = field(default_factory=list)

    @property
    def urban_label(self) -> str:
        return {True: "城市社区", False: "农村社区"}.get(self.urban, "未划分")

    @property
    def facility_per_100(self) -> Decimal | None:
        if self.facility_area is None or not self.households:
            return None
        return (Decimal(self.facility_area) * 100 / self.households).quantize(Decimal("0.1"))


class CommunityList:
    """The communities under a parent with their counts and gaps, ordered by gap (largest first),
    as a lazy sequence: ``len()`` is one COUNT query and a slice is one page query (plus one query
    for the categories and service targets of that page), so Django's Paginator can page it."""

    SORTS = {
        "gap": "COALESCE(gap, -1) DESC, code",
        "-gap": "COALESCE(gap, 999999) ASC, code",
        "code": "code",
        "cso": "n DESC, code",
    }

    def __init__(self, parent_code: str, day: date, *, user=None, urban: str | None = None,
                 at_target: bool | None = None, facility_ok: bool | None = None,
                 below_target_only: bool = False, sort: str = "gap"):
        self.parent = resolve_parent(parent_code, user)
        self.prefix = self.parent.prefix if self.parent else ""
        self.day = day
        self.provinces = targets_mod.code_rule_provinces(self.prefix)
        self.order = self.SORTS.get(sort, self.SORTS["gap"])
        conditions = []
        if urban == "urban":
            conditions.append("is_urban = 1")
        elif urban == "rural":
            conditions.append("is_rural = 1")
        if at_target is True:
            conditions.append("own_target IS NOT NULL AND n >= own_target")
        elif at_target is False or below_target_only:
            conditions.append("own_target IS NOT NULL AND n < own_target")
        if facility_ok is True:
            conditions.append("fac_ok = 1")
        elif facility_ok is False:
            conditions.append("fac_ok = 0")
        self.where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
        self._count = None
        self._sql = None

    def _base(self):
        if self._sql is None:
            self._sql = self._build_sql()
        return self._sql

    def _build_sql(self):
        sql, params = _community_sql(self.prefix, self.day, self.provinces)
        inner = (
            "SELECT c.*, CASE WHEN c.own_target IS NULL THEN NULL "
            "WHEN c.own_target > c.n THEN c.own_target - c.n ELSE 0 END AS gap "
            f"FROM ({sql}) c"
        )
        return f"SELECT * FROM ({inner}) x{self.where}", params

    def __len__(self):
        if self._count is None:
            sql, params = self._base()
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM ({sql}) y", params)
                self._count = cursor.fetchone()[0]
        return self._count

    def count(self):
        return len(self)

    def __iter__(self):
        return iter(self[0:len(self)])

    def __getitem__(self, item):
        if isinstance(item, int):
            return self[item:item + 1][0]
        start = item.start or 0
        stop = item.stop
        sql, params = self._base()
        sql = f"{sql} ORDER BY {self.order}"
        if stop is not None:
            sql += f" LIMIT {max(int(stop) - int(start), 0)}"
        elif start:
            sql += " LIMIT -1" if connection.vendor == "sqlite" else " LIMIT ALL"
        if start:
            sql += f" OFFSET {int(start)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [col[0] for col in cursor.description]
            records = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
        return self._build(records)

    def _build(self, records: list[dict]) -> list[CommunityStats]:
        if not records:
            return []
        categories = list(Category.objects.filter(is_active=True))
        services = list(ServiceTarget.objects.filter(is_active=True))
        present: dict[str, tuple[set, set]] = {}
        aliases = {f"_c{t.bit}": F("categories_mask").bitand(t.flag) for t in categories}
        aliases.update({f"_t{t.bit}": F("targets_mask").bitand(t.flag) for t in services})
        aggs = {f"c{t.bit}": Count("id", filter=Q(**{f"_c{t.bit}__gt": 0})) for t in categories}
        aggs.update({f"t{t.bit}": Count("id", filter=Q(**{f"_t{t.bit}__gt": 0})) for t in services})
        if aggs:
            spans = (
                OrgStateSpan.objects.as_of(self.day)
                .filter(status__in=LIVE_STATUSES, is_community_org=True,
                        division_id__in=[r["code"] for r in records])
                .alias(**aliases).values("division_id").annotate(**aggs).order_by()
            )
            for row in spans:
                present[row["division_id"]] = (
                    {t.name for t in categories if row[f"c{t.bit}"]},
                    {t.name for t in services if row[f"t{t.bit}"]},
                )
        result = []
        for r in records:
            cats, tgts = present.get(r["code"], (set(), set()))
            target = None if r["own_target"] is None else Decimal(str(r["own_target"])).quantize(Decimal("0.01"))
            urban = True if r["is_urban"] else (False if r["is_rural"] else None)
            gap = None if target is None else max(target - r["n"], Decimal(0))
            facility_area = None if r["facility_area"] is None else Decimal(str(r["facility_area"]))
            result.append(CommunityStats(
                code=r["code"], name=r["name"], urban=urban, population=r["population"],
                households=r["households"], facility_area=facility_area, facility_ok=bool(r["fac_ok"]),
                cso=int(r["n"]), target=target, gap=gap, at_target=None if gap is None else gap == 0,
                categories_present=[t.name for t in categories if t.name in cats],
                categories_missing=[t.name for t in categories if t.name not in cats],
                targets_present=[t.name for t in services if t.name in tgts],
                targets_missing=[t.name for t in services if t.name not in tgts],
            ))
        return result


def community_stats(parent_code: str, day: date, *, user=None, below_target_only: bool = False,
                    limit: int | None = None, **filters) -> list[CommunityStats]:
    """Per community under ``parent_code``: counts, target, gap and what it lacks — ordered by gap,
    largest first (the cultivation to-do list)."""
    rows = CommunityList(parent_code, day, user=user, below_target_only=below_target_only, **filters)
    return rows[0:limit] if limit is not None else list(rows)


# --- drill-down ------------------------------------------------------------------------------
ORG_FILTERS = {
    "orgs_live": {"status": "live"},
    "orgs_registered": {"status": "live", "track": Track.REGISTERED},
    "per_10k": {"status": "live", "track": Track.REGISTERED},
    "orgs_filed": {"status": "live", "track": Track.FILED},
    "cso_live": {"status": "live", "community": "yes"},
    "orgs_incubated": {"status": "live", "incubated": "yes"},
    "orgs_hub": {"status": "live", "hub": "hub"},
    "tier_registered": {"status": "live", "tier": Tier.REGISTERED},
    "tier_street": {"status": "live", "tier": Tier.STREET},
    "tier_community": {"status": "live", "tier": Tier.COMMUNITY},
    "party_covered": {"status": "live", "party_building": "any"},
    "party_coverage": {"status": "live", "party_building": "any"},
    **{f"status_{s.value}": {"status": s.value} for s in Status},
}
COMMUNITY_FILTERS = {
    "communities": {},
    "population": {},
    "households": {},
    "communities_urban": {"urban": "urban"},
    "communities_rural": {"urban": "rural"},
    "cso_urban": {"urban": "urban"},
    "cso_rural": {"urban": "rural"},
    "avg_urban": {"urban": "urban"},
    "avg_rural": {"urban": "rural"},
    "communities_at_target": {"at_target": "yes"},
    "communities_at_target_share": {"at_target": "yes"},
    "facility_ok": {"facility_ok": "yes"},
    "facility_share": {"facility_ok": "yes"},
}


# The incubation-base indicators and the levels of the bases behind them (None: the province's reading).
BASE_LEVEL_KEYS = {"incubation_bases": None, "incubation_bases_county": (codes.COUNTY,),
                   "incubation_bases_street": (codes.STREET,), "incubation_bases_community": (codes.COMMUNITY,)}
# The period-change indicators and the ``kind`` of the list behind them (``/stats/changes/``).
CHANGE_LISTS = {"new_in_period": "new", "ended_in_period": "ended", "deregistered_in_period": "deregistered",
                "cleared_in_period": "cleared"}


def drill_url(key: str, division_code: str, day: date, period_start: date | None = None, *,
              direct: bool = False) -> str | None:
    """The list behind a number: the registry's list with the same filters and as-of date, the
    community list, or the list of organizations new or ended in the period; None where a number
    has no list. ``direct``: the number of a "本级" row (organizations placed on
    the division itself, not below it)."""
    code = targets_mod.normalise_code(division_code)
    base = {"division": code} if code else {}
    if direct:
        if not code or key in COMMUNITY_FILTERS:
            return None  # communities are never placed on a division above them
        base["own"] = "yes"
    if key in CHANGE_LISTS:
        params = {**base, "kind": CHANGE_LISTS[key], "as_of": day.isoformat(),
                  "period_start": (period_start or quarter_start(day)).isoformat()}
        return f"{reverse('stats:changes')}?{urlencode(params)}"
    if key in ORG_FILTERS:
        params = {**base, "as_of": day.isoformat(), **ORG_FILTERS[key]}
        return f"{reverse('orgs:list')}?{urlencode(params)}"
    if key.startswith("category:") or key.startswith("target:"):
        name, term = key.split(":", 1)
        params = {**base, "as_of": day.isoformat(), "status": "live",
                  ("category" if name == "category" else "target"): term}
        return f"{reverse('orgs:list')}?{urlencode(params)}"
    if key in COMMUNITY_FILTERS:
        params = {**base, "as_of": day.isoformat(), **COMMUNITY_FILTERS[key]}
        return f"{reverse('stats:communities')}?{urlencode(params)}"
    if key in BASE_LEVEL_KEYS:
        levels = BASE_LEVEL_KEYS[key] or targets_mod.BASE_LEVEL_SETS[targets_mod.base_levels_for(code)]
        params = {**base, "as_of": day.isoformat(), "levels": ",".join(str(level) for level in levels)}
        return f"{reverse('stats:bases')}?{urlencode(params)}"
    return None


__all__ = [
    "COUNT",
    "GROUPS",
    "INDICATORS",
    "RATIO",
    "CommunityList",
    "CommunityStats",
    "DivisionStats",
    "Indicator",
    "StatsResult",
    "community_stats",
    "compute",
    "compute_cached",
    "drill_url",
    "finish_ratios",
    "get_indicator",
    "quarter_bounds",
    "quarter_of",
    "quarter_start",
]
