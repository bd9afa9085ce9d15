"""Search-as-you-type sources of the divisions (cso.core.lookups): name or leading code digits."""

from cso.core.lookups import Lookup, register

from . import codes
from .models import Division


def _divisions(user):
    return Division.objects.visible_to(user).current().select_related("parent")


def _search(queryset, term: str):
    if term.isdigit():
        if len(term) > codes.CODE_LENGTH:
            return queryset.none()
        low, high = codes.subtree_bounds(term)
        return queryset.filter(code__gte=low, code__lte=high)
    return queryset.filter(name__contains=term)


def division_label(division: Division) -> str:
    parent = f" · {division.parent.name}" if division.parent_id else ""
    return f"{division.name}{parent}（{division.code}）"


register(Lookup("regions.divisions", queryset=_divisions, search=_search, label=division_label, value="code",
                order_by=("level", "code")))
