"""Search-as-you-type sources of the registry (cso.core.lookups): venues and incubation bases by name."""

from django.db.models import Q

from cso.core.lookups import Lookup, register

from .models import IncubationBase, Venue


def _with_place(obj) -> str:
    return f"{obj.name}（{obj.division.name}）"


def _by_name_or_address(queryset, term: str):
    return queryset.filter(Q(name__contains=term) | Q(address__contains=term))


register(
    Lookup("orgs.venues", queryset=lambda user: Venue.objects.visible_to(user).select_related("division"),
           search=_by_name_or_address, label=_with_place, order_by=("name", "pk")),
    Lookup("orgs.incubation_bases",
           queryset=lambda user: IncubationBase.objects.visible_to(user).select_related("division"),
           search=_by_name_or_address, label=_with_place, order_by=("name", "pk")),
)


def _hub_candidates(user):
    from .hubs import candidates

    return candidates(user).select_related("division")


def _org_label(obj) -> str:
    return f"{obj.name}（{obj.uid}，{obj.division.name}）"


register(
    # organizations a hub may invite (cso.orgs.hubs.candidates: staff their subtree, a hub's account its county)
    Lookup("orgs.hub_candidates", queryset=_hub_candidates,
           search=lambda qs, term: qs.filter(Q(name__contains=term) | Q(uid__iexact=term)
                                             | Q(credit_code__iexact=term)),
           label=_org_label, order_by=("name", "pk")),
)
