"""Effective targets: a Target row on the division itself or its nearest ancestor wins; otherwise the
seed defaults. And the per-province rule of which communities count as urban.

Seed defaults, each with the document it comes from (``SOURCES``): seed 000 (the city text 《关于重点
培育发展社区社会组织的实施意见》): ≥ 6.5 social organizations per 10,000 residents; on average ≥ 10
community social organizations per urban community and ≥ 5 per rural one — averages for an area;
1–2 incubation bases per county. Seed 003 (the 开州 text): community service facilities ≥ 30 m² per
100 households in 70 % / 80 % / 100 % of communities (2021 / 2022 / 2023 and later).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, Q, Value, When

from cso.core.scoping import subtree_q
from cso.regions import codes

from .choices import BASE_LEVELS_SHORT, MIXED_RULE, MIXED_RULE_LABEL, URBAN_RULE_SHORT, BaseLevels, TargetKey, UrbanRule
from .models import ProvinceSetting, Target

NATIONAL = ""
NATIONAL_NAME = "全国"
DEFAULT_SOURCE = "政策默认值"
SEED_000 = "《关于重点培育发展社区社会组织的实施意见》"
SEED_003 = "《重庆市开州区人民政府办公室关于深入推进“三社联动”加强城乡社区治理的通知》（开州府办发〔2020〕113号）"
# The document each default target comes from, by its title.
SOURCES = {
    TargetKey.PER_10K: SEED_000,
    TargetKey.AVG_URBAN: SEED_000,
    TargetKey.AVG_RURAL: SEED_000,
    TargetKey.INCUBATION_BASES_MIN: SEED_000,
    TargetKey.INCUBATION_BASES_MAX: SEED_000,
    TargetKey.FACILITY_AREA: SEED_003,
    TargetKey.FACILITY_SHARE: SEED_003,
}


def source_of(key: str) -> str:
    """"政策默认值：《…》" — the default of ``key`` and the title of the document it comes from."""
    return f"{DEFAULT_SOURCE}：{SOURCES[TargetKey(key)]}"


_FIXED_DEFAULTS = {
    TargetKey.PER_10K: Decimal("6.5"),
    TargetKey.AVG_URBAN: Decimal("10"),
    TargetKey.AVG_RURAL: Decimal("5"),
    TargetKey.INCUBATION_BASES_MIN: Decimal("1"),
    TargetKey.INCUBATION_BASES_MAX: Decimal("2"),
    TargetKey.FACILITY_AREA: Decimal("30"),
}


def default_value(key: str, year: int) -> Decimal:
    """The seed default of one target in one year."""
    if key == TargetKey.FACILITY_SHARE:
        if year <= 2021:
            return Decimal("70")
        if year == 2022:
            return Decimal("80")
        return Decimal("100")
    return _FIXED_DEFAULTS[TargetKey(key)]


def defaults(year: int) -> dict[str, Decimal]:
    return {key: default_value(key, year) for key in TargetKey.values}


@dataclass(frozen=True)
class TargetValue:
    value: Decimal
    source_code: str  # the division whose row sets it; "" for the seed default
    source_name: str
    is_default: bool

    @property
    def source_label(self) -> str:
        return self.source_name if self.is_default else f"{self.source_name}设定"


def normalise_code(code: str | None) -> str:
    """"" for national (also "000000000000"), else the 12-digit code."""
    code = (code or "").strip()
    return "" if code in ("", "0" * codes.CODE_LENGTH) else code


def ancestor_codes(code: str) -> list[str]:
    """The division itself and every possible ancestor code, nearest first."""
    code = normalise_code(code)
    if not code:
        return []
    found = [code]
    for n in (9, 6, 4, 2):
        candidate = code[:n].ljust(codes.CODE_LENGTH, "0")
        if candidate not in found and candidate != "0" * codes.CODE_LENGTH:
            found.append(candidate)
    return found


def effective_targets(division_code: str, year: int) -> dict[str, TargetValue]:
    """Every target key with its value for ``division_code`` in ``year`` and where it comes from."""
    chain = ancestor_codes(division_code)
    rows = (
        Target.objects.filter(division_id__in=chain, year=year).select_related("division")
        if chain else Target.objects.none()
    )
    nearest: dict[str, Target] = {}
    rank = {c: i for i, c in enumerate(chain)}
    for row in rows:
        current = nearest.get(row.key)
        if current is None or rank[row.division_id] < rank[current.division_id]:
            nearest[row.key] = row
    result = {}
    for key in TargetKey.values:
        row = nearest.get(key)
        if row is not None:
            result[key] = TargetValue(row.value, row.division_id, row.division.name, False)
        else:
            result[key] = TargetValue(default_value(key, year), "", source_of(key), True)
    return result


def target_values(division_code: str, year: int) -> dict[str, Decimal]:
    return {key: tv.value for key, tv in effective_targets(division_code, year).items()}


def overrides_in(prefix: str, year: int, keys) -> dict[str, list[tuple[str, Decimal]]]:
    """Per key, (code prefix, value) of every row that applies somewhere under ``prefix``: the rows
    inside the subtree and on its ancestors, most specific (longest prefix) first — in one query.
    Used to give each community its own inherited target inside one SQL expression."""
    chain = ancestor_codes(prefix.ljust(codes.CODE_LENGTH, "0")) if prefix else []
    where = (subtree_q("division_id", prefix) | Q(division_id__in=chain)) if prefix else Q()
    result: dict[str, list[tuple[str, Decimal]]] = {key: [] for key in keys}
    for code, key, value in Target.objects.filter(where, year=year, key__in=list(keys)).values_list(
            "division_id", "key", "value"):
        result[key].append((codes.prefix_of(code, codes.level_of(code)), value))
    for rules in result.values():
        rules.sort(key=lambda item: -len(item[0]))
    return result


def target_case(field: str, rules: list[tuple[str, Decimal]], year: int, key: str) -> Case | Value:
    """An SQL expression giving, for the division code in ``field``, its effective target ``key``
    (``rules`` from ``overrides_in``)."""
    field_type = DecimalField(max_digits=10, decimal_places=2)
    default = Value(default_value(key, year), output_field=field_type)
    if not rules:
        return default
    whens = [When(subtree_q(field, p), then=Value(v, output_field=field_type)) for p, v in rules]
    return Case(*whens, default=default, output_field=field_type)


# --- the urban rule --------------------------------------------------------------------------
def urban_rule_for(province_code: str) -> str:
    province_code = normalise_code(province_code)
    if not province_code:
        return UrbanRule.COMMITTEE
    code = province_code[:2].ljust(codes.CODE_LENGTH, "0")
    setting = ProvinceSetting.objects.filter(division_id=code).values_list("urban_rule", flat=True).first()
    return setting or UrbanRule.COMMITTEE


def code_rule_provinces(prefix: str = "") -> list[str]:
    """Two-digit prefixes of the provinces (under ``prefix``) that count by urban–rural code."""
    qs = ProvinceSetting.objects.filter(urban_rule=UrbanRule.URBAN_RURAL_CODE)
    provinces = [code[:2] for code in qs.values_list("division_id", flat=True)]
    if prefix:
        provinces = [p for p in provinces if p == prefix[:2]]
    return sorted(provinces)


def rule_label(rule: str) -> str:
    """"按委员会类型：居委会为城市社区，村委会为农村社区" — shown on every table."""
    if rule == MIXED_RULE:
        return MIXED_RULE_LABEL
    rule = UrbanRule(rule)
    return f"{URBAN_RULE_SHORT[rule]}：{rule.label.split('（', 1)[1].rstrip('）')}"


def rule_for_prefix(prefix: str, provinces: list[str] | None = None) -> tuple[str, str]:
    """(rule, Chinese label) for a subtree: one province's rule, or "mixed" nationally.
    ``provinces``: the result of ``code_rule_provinces(prefix)`` if already known."""
    if provinces is None:
        provinces = code_rule_provinces(prefix)
    if not provinces:
        rule = UrbanRule.COMMITTEE
    elif prefix:
        rule = UrbanRule.URBAN_RURAL_CODE
    else:
        rule = MIXED_RULE
    return rule, rule_label(rule)


def urban_condition(prefix: str, field: str, *, committee: Q, by_code: Q,
                    provinces: list[str] | None = None) -> Q:
    """Combine the two readings of "urban" (or "rural") under the province rules of ``prefix``'s
    subtree: ``committee`` where the province counts by committee type, ``by_code`` where it counts
    by urban–rural code. ``field`` is the path to the division code (to tell the provinces apart)."""
    if provinces is None:
        provinces = code_rule_provinces(prefix)
    if not provinces:
        return committee
    if prefix and prefix[:2] in provinces:
        return by_code
    in_code = Q()
    for p in provinces:
        in_code |= subtree_q(field, p)
    return (in_code & by_code) | (~in_code & committee)


# --- which incubation bases count toward "1–2 per county" ------------------------------------------
BASE_LEVEL_SETS = {
    BaseLevels.COUNTY: (codes.COUNTY,),
    BaseLevels.COUNTY_STREET: (codes.COUNTY, codes.STREET),
    BaseLevels.ALL: (codes.COUNTY, codes.STREET, codes.COMMUNITY),
}


def base_levels_for(province_code: str) -> str:
    province_code = normalise_code(province_code)
    if not province_code:
        return BaseLevels.COUNTY
    code = province_code[:2].ljust(codes.CODE_LENGTH, "0")
    setting = ProvinceSetting.objects.filter(division_id=code).values_list("base_levels", flat=True).first()
    return setting or BaseLevels.COUNTY


def base_levels_by_province(prefix: str = "") -> dict[str, tuple[int, ...]]:
    """Two-digit province prefix → the base levels counted there, for provinces that chose other than the
    default (county-run bases only)."""
    qs = ProvinceSetting.objects.exclude(base_levels=BaseLevels.COUNTY)
    found = {code[:2]: BASE_LEVEL_SETS[BaseLevels(levels)] for code, levels in qs.values_list("division_id",
                                                                                           "base_levels")}
    if prefix:
        found = {p: v for p, v in found.items() if p == prefix[:2]}
    return found


def bases_rule_label(prefix: str, counted: dict[str, tuple[int, ...]] | None = None) -> str:
    """"孵化基地计数口径：只计县级基地，街道、社区级基地另列（…）" — shown beside the bases count.
    ``counted``: the result of ``base_levels_by_province(prefix)`` if already known."""
    if counted is None:
        counted = base_levels_by_province(prefix)
    if not prefix and counted:
        return ("孵化基地计数口径：各省按本省设置（默认只计县级基地），其余层级的基地另列"
                "（文件000：每县建立1-2个孵化基地）")
    levels = counted.get(prefix[:2], BASE_LEVEL_SETS[BaseLevels.COUNTY]) if prefix else BASE_LEVEL_SETS[
        BaseLevels.COUNTY]
    rule = next(k for k, v in BASE_LEVEL_SETS.items() if v == levels)
    listed = "，街道、社区级基地另列" if rule == BaseLevels.COUNTY else (
        "，社区级基地另列" if rule == BaseLevels.COUNTY_STREET else "")
    return f"孵化基地计数口径：{BASE_LEVELS_SHORT[rule]}{listed}（文件000：每县建立1-2个孵化基地）"
