"""The registering and supervising bodies (``Authority``): their names and their creation.

``ensure_authorities`` creates 民政部 and the civil-affairs body of every province, city and county
of a subtree, named from the division names (广西壮族自治区民政厅, 南宁市民政局, 南宁市兴宁区民政局,
隆安县民政局). It is idempotent (a division that already has its civil-affairs body keeps it, even
renamed) and bulk, so that the demo and the data migration can call it for a whole country.

The functions take an optional ``apps`` registry so that migrations can use them with the
historical models.
"""

from __future__ import annotations

from . import codes
from .choices import AuthorityKind

MINISTRY_NAME = "民政部"

# City-level entries of the code table that are groupings, not cities with their own bureau.
PSEUDO_CITY_NAMES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")

CIVIL_AFFAIRS_KIND = {
    codes.PROVINCE: AuthorityKind.PROVINCE_BUREAU,
    codes.CITY: AuthorityKind.CITY_BUREAU,
    codes.COUNTY: AuthorityKind.COUNTY_BUREAU,
}
CIVIL_AFFAIRS_KINDS = (AuthorityKind.PROVINCE_BUREAU, AuthorityKind.CITY_BUREAU, AuthorityKind.COUNTY_BUREAU)


def is_pseudo_city(name: str) -> bool:
    return name in PSEUDO_CITY_NAMES or "直辖" in name


def civil_affairs_name(name: str, level: int, city_name: str = "", province_name: str = "") -> str | None:
    """The name of a division's civil-affairs body, or None where there is none (a city-level
    grouping such as 市辖区).

    Provinces and autonomous regions have a 民政厅, municipalities a 民政局; a city its 民政局; a
    district (区) is named with its city (南宁市兴宁区民政局: district names repeat across cities),
    a county or county-level city by its own name (隆安县民政局).
    """
    if level == codes.PROVINCE:
        return name + ("民政局" if name.endswith("市") else "民政厅")
    if level == codes.CITY:
        return None if is_pseudo_city(name) else name + "民政局"
    if level == codes.COUNTY:
        if name.endswith("区"):
            parent = city_name if city_name and not is_pseudo_city(city_name) else province_name
            if parent and not name.startswith(parent):
                return parent + name + "民政局"
        return name + "民政局"
    return None


def _models(apps):
    if apps is None:
        from .models import Authority, Division

        return Authority, Division
    return apps.get_model("regions", "Authority"), apps.get_model("regions", "Division")


def ensure_ministry(apps=None):
    Authority, _ = _models(apps)
    ministry, _ = Authority.objects.get_or_create(
        division=None, name=MINISTRY_NAME, defaults={"kind": AuthorityKind.MINISTRY, "registers": True},
    )
    return ministry


def ensure_authorities(prefix: str | None = None, *, apps=None, registers: bool = True) -> int:
    """Create 民政部 and the missing civil-affairs bodies of the provinces, cities and counties whose
    code starts with ``prefix`` (the whole country when None). Returns how many were created."""
    Authority, Division = _models(apps)
    created = 0
    if not Authority.objects.filter(division__isnull=True, kind=AuthorityKind.MINISTRY).exists():
        ensure_ministry(apps)
        created += 1
    divisions = Division.objects.filter(level__lte=codes.COUNTY)
    if prefix:
        low, high = codes.subtree_bounds(prefix)
        # the province and city above a county subtree give the county body its name
        divisions = divisions.filter(code__gte=low, code__lte=high)
    rows = list(divisions.values_list("code", "name", "level"))
    if not rows:
        return created
    have = set(
        Authority.objects.filter(division_id__in=[r[0] for r in rows], kind__in=CIVIL_AFFAIRS_KINDS)
        .values_list("division_id", flat=True)
    )
    missing = [r for r in rows if r[0] not in have]
    if not missing:
        return created
    parent_codes = {codes.pad_code(c[:2]) for c, _, _ in missing} | {codes.pad_code(c[:4]) for c, _, _ in missing}
    names = dict(Division.objects.filter(code__in=parent_codes).values_list("code", "name"))
    new = []
    for code, name, level in missing:
        body = civil_affairs_name(
            name, level, city_name=names.get(codes.pad_code(code[:4]), ""),
            province_name=names.get(codes.pad_code(code[:2]), ""),
        )
        if body:
            new.append(Authority(name=body, kind=CIVIL_AFFAIRS_KIND[level], division_id=code, registers=registers))
    Authority.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    return created + len(new)


def civil_affairs_body(division, apps=None):
    """The civil-affairs body of a province, city or county division (created if missing);
    None below the county or for a city-level grouping."""
    Authority, _ = _models(apps)
    if division is None or division.level > codes.COUNTY:
        return None
    found = Authority.objects.filter(division_id=division.code, kind__in=CIVIL_AFFAIRS_KINDS).first()
    if found is None:
        ensure_authorities(division.code[: codes.PREFIX_LENGTH[division.level]], apps=apps)
        found = Authority.objects.filter(division_id=division.code, kind__in=CIVIL_AFFAIRS_KINDS).first()
    return found
