"""Domain operations on divisions, testable without HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, Sum
from django.db.models.functions import Substr
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from cso.core.scoping import Scope, subtree_q

from . import codes
from .choices import FiguresSource
from .models import Division


def division_summary(division: Division | None, user) -> dict:
    """Counts of current units per level and population totals under ``division``.

    ``division`` None means the whole country (superusers). One grouped query.
    """
    qs = Division.objects.visible_to(user).current()
    if division is not None:
        qs = qs.filter(subtree_q("code", division.prefix))
    rows = qs.values("level").annotate(n=Count("code")).order_by("level")
    counts = {row["level"]: row["n"] for row in rows}
    return {
        "levels": [
            {"level": level, "name": codes.LEVEL_SHORT_NAMES[level], "count": counts.get(level, 0)}
            for level in codes.LEVELS
            if division is None or level > division.level
        ],
    }


def visible_root(user) -> Division | None:
    """The division a user's browsing starts from (None: the whole country)."""
    scope = Scope.for_user(user)
    if scope.is_national:
        return None
    return user.division


def community_totals(division: Division, user) -> dict:
    """Population, households and facility area summed over the communities under ``division``."""
    qs = (
        Division.objects.visible_to(user)
        .current()
        .filter(subtree_q("code", division.prefix), level=codes.COMMUNITY)
    )
    return qs.aggregate(
        population=Sum("population"), households=Sum("households"), facility_area=Sum("facility_area")
    )


# --- paths and breadcrumbs ------------------------------------------------------------------


def ancestor_codes(division: Division) -> list[str]:
    """The 12-digit codes of a division's possible ancestors, province first (no query).

    Towns under a city without counties (东莞 4419) skip the missing county code: callers look the
    codes up and drop those that do not exist.
    """
    found: list[str] = []
    for level in codes.LEVELS:
        n = codes.PREFIX_LENGTH[level]
        if n >= len(division.prefix):
            break
        candidate = codes.pad_code(division.code[:n])
        if candidate not in found:
            found.append(candidate)
    return found


def attach_paths(divisions, separator: str = " / ") -> list[Division]:
    """Set ``path_names`` (ancestors' names, province first) and ``path`` on each division.

    One query for all the rows together: the ancestors are loaded by code, never per row.
    Ancestor names are shown even above the user's root (they are the user's own ancestors);
    links are the caller's business.
    """
    divisions = list(divisions)
    wanted: set[str] = set()
    for division in divisions:
        wanted.update(ancestor_codes(division))
    names = dict(Division.objects.filter(code__in=wanted).values_list("code", "name")) if wanted else {}
    for division in divisions:
        division.path_names = [names[c] for c in ancestor_codes(division) if c in names]
        division.path = separator.join([*division.path_names, division.name])
    return divisions


def breadcrumb_divisions(division: Division | None, user) -> list[Division]:
    """The division path from the user's own root down to ``division`` (inclusive).

    Ancestors above the user's root are left out: a county clerk's path starts at the county.
    """
    if division is None:
        return []
    scope = Scope.for_user(user)
    chain = [*division.ancestors(), division]
    return [d for d in chain if scope.contains(d.code)]


# --- children and descendant counts ---------------------------------------------------------


def children_queryset(division: Division | None, user, include_abolished: bool = False):
    """The direct children of ``division`` (None: the provinces) that ``user`` may see."""
    qs = Division.objects.visible_to(user)
    qs = qs.filter(level=codes.PROVINCE) if division is None else qs.filter(parent=division)
    if not include_abolished:
        qs = qs.current()
    return qs.select_related("successor").order_by("code")


def _empty_stats() -> dict:
    return {
        "counts": {},
        "residents": 0,
        "villagers": 0,
        "other_committees": 0,
        "communities": 0,
        "community_population": None,
        "community_households": None,
        "community_facility_area": None,
        "communities_with_area": 0,
        "communities_meeting_standard": 0,
    }


# A community meets the facility standard with at least 30 m² per 100 households.
FACILITY_STANDARD_PER_100_HOUSEHOLDS = 30


def _meets_standard_q() -> Q:
    # facility_area * 100 >= 30 * households, written without mixing decimal and integer types.
    area_x100 = ExpressionWrapper(F("facility_area") * 100, output_field=FloatField())
    need = ExpressionWrapper(F("households") * FACILITY_STANDARD_PER_100_HOUSEHOLDS, output_field=FloatField())
    return Q(level=codes.COMMUNITY, households__gt=0, facility_area__isnull=False) & Q(
        GreaterThanOrEqual(area_x100, need)
    )


def _grouped_stats(qs, group_fields: list[str]):
    return (
        qs.values(*group_fields, "level", "unit_type")
        .annotate(
            n=Count("code"),
            sum_population=Sum("population", filter=Q(level=codes.COMMUNITY)),
            sum_households=Sum("households", filter=Q(level=codes.COMMUNITY)),
            sum_facility_area=Sum("facility_area", filter=Q(level=codes.COMMUNITY)),
            with_area=Count("facility_area", filter=Q(level=codes.COMMUNITY)),
            meeting=Count("code", filter=_meets_standard_q()),
        )
        .order_by()
    )


def _fold(stats: dict, row: dict) -> None:
    level = row["level"]
    stats["counts"][level] = stats["counts"].get(level, 0) + row["n"]
    if level != codes.COMMUNITY:
        return
    stats["communities"] += row["n"]
    if row["unit_type"] == codes.UNIT_RESIDENTS:
        stats["residents"] += row["n"]
    elif row["unit_type"] == codes.UNIT_VILLAGERS:
        stats["villagers"] += row["n"]
    else:
        stats["other_committees"] += row["n"]
    for key, field in (
        ("community_population", "sum_population"),
        ("community_households", "sum_households"),
        ("community_facility_area", "sum_facility_area"),
    ):
        if row[field] is not None:
            stats[key] = (stats[key] or 0) + row[field]
    stats["communities_with_area"] += row["with_area"]
    stats["communities_meeting_standard"] += row["meeting"]


def descendant_stats(children, user, include_abolished: bool = False) -> dict[str, dict]:
    """Per child code: descendant counts per level and community sums.

    One grouped query per child level (in practice one): the descendants of all the given
    children are grouped by the code prefix of the child level, limited to the code range the
    children span, so a page of children costs one query whatever its size.
    """
    result: dict[str, dict] = {child.code: _empty_stats() for child in children}
    by_level: dict[int, list[Division]] = {}
    for child in children:
        if child.level < codes.COMMUNITY:
            by_level.setdefault(child.level, []).append(child)
    for level, group in by_level.items():
        n = codes.PREFIX_LENGTH[level]
        low = codes.subtree_bounds(min(c.prefix for c in group))[0]
        high = codes.subtree_bounds(max(c.prefix for c in group))[1]
        qs = Division.objects.visible_to(user).filter(code__gte=low, code__lte=high, level__gt=level)
        if not include_abolished:
            qs = qs.current()
        qs = qs.annotate(child_prefix=Substr("code", 1, n))
        wanted = {c.prefix: c.code for c in group}
        for row in _grouped_stats(qs, ["child_prefix"]):
            code = wanted.get(row["child_prefix"])
            if code is not None:
                _fold(result[code], row)
    return result


def subtree_stats(division: Division | None, user, include_abolished: bool = False) -> dict:
    """Descendant counts per level and community sums for the whole subtree (one query)."""
    qs = Division.objects.visible_to(user)
    if division is not None:
        qs = qs.filter(subtree_q("code", division.prefix), level__gt=division.level)
    if not include_abolished:
        qs = qs.current()
    stats = _empty_stats()
    for row in _grouped_stats(qs, []):
        _fold(stats, row)
    return stats


def children_totals(children_qs) -> dict:
    """Sums of the children's own figures, and how many children have them (one query)."""
    totals = children_qs.order_by().aggregate(
        n=Count("code"),
        sum_population=Sum("population"),
        sum_households=Sum("households"),
        sum_facility_area=Sum("facility_area"),
        with_population=Count("population"),
        with_households=Count("households"),
        estimated=Count("code", filter=Q(figures_source=FiguresSource.ESTIMATE)),
    )
    return {
        "n": totals["n"],
        "population": totals["sum_population"],
        "households": totals["sum_households"],
        "facility_area": totals["sum_facility_area"],
        "with_population": totals["with_population"],
        "with_households": totals["with_households"],
        "estimated": totals["estimated"],
    }


def lower_levels(division: Division | None, children) -> list[int]:
    """Levels below the children that the counts columns show (e.g. a city: streets, communities)."""
    if division is None:
        top = codes.PROVINCE
    else:
        child_levels = [c.level for c in children] or [division.level + 1]
        top = min(child_levels)
    return [level for level in codes.LEVELS if level > top]


@dataclass
class ChildRow:
    """One child in a children table: the division and its descendant statistics."""

    division: Division
    stats: dict

    @property
    def code(self) -> str:
        return self.division.code


def child_rows(children, user, include_abolished: bool = False) -> list[ChildRow]:
    children = list(children)
    stats = descendant_stats(children, user, include_abolished)
    return [ChildRow(child, stats[child.code]) for child in children]


def children_page(
    division: Division | None, user, *, include_abolished: bool = False, page=1, per_page: int = 50
) -> dict:
    """A page of a division's children with descendant counts, plus totals over all children.

    A fixed number of queries whatever the number of children: the page, its count, one grouped
    query for the page's descendants, one for the whole subtree and one for the children's sums.
    """
    qs = children_queryset(division, user, include_abolished)
    page_obj = Paginator(qs, per_page).get_page(page)
    rows = child_rows(page_obj.object_list, user, include_abolished)
    if page_obj.paginator.num_pages <= 1:
        # All children are on this page: the subtree is their sum, no second scan needed.
        subtree = _empty_stats()
        for row in rows:
            _fold_child(subtree, row)
    else:
        subtree = subtree_stats(division, user, include_abolished)
    return {
        "page_obj": page_obj,
        "rows": rows,
        "lower_levels": lower_levels(division, [r.division for r in rows]),
        "subtree": subtree,
        "children": children_totals(qs),
    }


def _fold_child(stats: dict, row: ChildRow) -> None:
    """Add one child and its descendants to subtree statistics (no query)."""
    child = row.division
    stats["counts"][child.level] = stats["counts"].get(child.level, 0) + 1
    for level, n in row.stats["counts"].items():
        stats["counts"][level] = stats["counts"].get(level, 0) + n
    for key in (
        "residents",
        "villagers",
        "other_committees",
        "communities",
        "communities_with_area",
        "communities_meeting_standard",
    ):
        stats[key] += row.stats[key]
    for key in ("community_population", "community_households", "community_facility_area"):
        if row.stats[key] is not None:
            stats[key] = (stats[key] or 0) + row.stats[key]
    if child.level == codes.COMMUNITY:
        stats["communities"] += 1
        if child.unit_type == codes.UNIT_RESIDENTS:
            stats["residents"] += 1
        elif child.unit_type == codes.UNIT_VILLAGERS:
            stats["villagers"] += 1
        else:
            stats["other_committees"] += 1
        for key, value in (
            ("community_population", child.population),
            ("community_households", child.households),
            ("community_facility_area", child.facility_area),
        ):
            if value is not None:
                stats[key] = (stats[key] or 0) + value
        if child.facility_area is not None:
            stats["communities_with_area"] += 1
            if meets_facility_standard(child):
                stats["communities_meeting_standard"] += 1


def meets_facility_standard(division: Division) -> bool | None:
    """≥ 30 m² of community service facilities per 100 households; None without data."""
    if division.facility_area is None or not division.households:
        return None
    return division.facility_area * 100 >= FACILITY_STANDARD_PER_100_HOUSEHOLDS * division.households


def abolished_children_count(division: Division | None, user) -> int:
    qs = children_queryset(division, user, include_abolished=True).filter(abolished_in__isnull=False)
    return qs.count()


# --- change history -------------------------------------------------------------------------

HISTORY_FIELDS = (
    "name",
    "parent",
    "urban_rural_code",
    "urban_rural_edition",
    "edition",
    "abolished_in",
    "successor",
    "population",
    "households",
    "figures_source",
    "figures_year",
    "facility_area",
    "facility_area_estimated",
)
HISTORY_TYPES = {"+": "创建", "~": "修改", "-": "删除"}


def _display_value(field_name: str, value):
    if value is None or value == "":
        return "（空）"
    field = Division._meta.get_field(field_name)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int) and field_name in ("population", "households"):
        return f"{value:,}"
    return str(value)


def change_history(division: Division, limit: int = 20) -> dict:
    """The latest changes of a division: who, when, why, and each field's old → new value.

    One query: the newest ``limit + 1`` records are loaded together and compared pairwise.
    """
    records = list(
        division.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older, included_fields=HISTORY_FIELDS)
            for change in sorted(delta.changes, key=lambda c: HISTORY_FIELDS.index(c.field)):
                changes.append(
                    {
                        "field": str(Division._meta.get_field(change.field).verbose_name),
                        "old": _display_value(change.field, change.old),
                        "new": _display_value(change.field, change.new),
                    }
                )
        user = record.history_user
        entries.append(
            {
                "date": record.history_date,
                "type": HISTORY_TYPES.get(record.history_type, record.history_type),
                "user": user.display_name if user is not None else "系统（数据导入）",
                "reason": record.history_change_reason or "",
                "changes": changes,
            }
        )
    return {"entries": entries, "truncated": len(records) > limit}


# --- figures --------------------------------------------------------------------------------

FACILITY_AREA_MAX = Decimal("100000")
DEFAULT_FIGURES_REASON = "工作人员填报人口、户数和社区综合服务设施面积"


def update_figures(division: Division, user, *, population, households, facility_area, reason: str = "") -> Division:
    """Save staff-entered figures: marks them as entered this year and records who and why.

    The caller has checked the permission (``visible_to(user, "change")``) and validated the values
    (``DivisionFiguresForm``); pages and the API both come through here.
    """
    division.population = population
    division.households = households
    division.facility_area = facility_area
    division.facility_area_estimated = False
    division.figures_source = FiguresSource.ENTERED
    division.figures_year = timezone.localdate().year
    division._history_user = user
    division._change_reason = reason.strip() or DEFAULT_FIGURES_REASON
    with transaction.atomic():
        division.save(
            update_fields=[
                "population",
                "households",
                "facility_area",
                "facility_area_estimated",
                "figures_source",
                "figures_year",
                "unit_type",
                "first_edition",
                "updated_at",
            ]
        )
    return division
