"""Search-as-you-type sources of the divisions (cso.core.lookups): name or leading code digits."""

from cso.core.lookups import Lookup, register

from . import codes
from .models import Authority, Division


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


def _authorities(user):
    # registering bodies are public facts; which of them may register where is ``narrow``'s
    return Authority.objects.active().select_related("division")


def _bodies_for(queryset, params: dict):
    """Only the bodies that may register an organization in the division chosen on the form."""
    code = (params.get("division") or "").strip()
    division = Division.objects.filter(code=code).first() if code.isdigit() else None
    if division is None:
        return queryset
    return queryset.filter(pk__in=Authority.objects.may_register_for(division).values("pk"))


register(Lookup("regions.authorities", queryset=_authorities, search=lambda qs, t: qs.filter(name__contains=t),
                label=lambda body: body.name, narrow=_bodies_for, order_by=("division_id", "order", "name")))
