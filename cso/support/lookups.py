"""Search-as-you-type source for the support forms: the live organizations the account may see."""

from django.db.models import Q

from cso.core.lookups import Lookup, register
from cso.orgs.models import Organization


def _orgs(user):
    return Organization.objects.visible_to(user).live().select_related("division")


register(Lookup("support.organizations", queryset=_orgs,
                search=lambda qs, term: qs.filter(Q(name__contains=term) | Q(uid__iexact=term)),
                label=lambda obj: f"{obj.name}（{obj.division.name}）", order_by=("name", "pk")))
