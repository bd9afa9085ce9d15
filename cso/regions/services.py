"""Domain operations on divisions, testable without HTTP."""

from __future__ import annotations

from django.db.models import Count, Sum

from cso.core.scoping import Scope, subtree_q

from . import codes
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
