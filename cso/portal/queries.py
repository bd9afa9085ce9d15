"""What an operator's account reaches: the organizations its incubation base(s) incubate and the live members
of the hub organization(s) it runs (``cso.orgs.models.linked_q`` gives the same reach to the registry's pages)."""

from __future__ import annotations

from django.db.models import Q

from cso.orgs.models import AccountLink, HubMembership, Organization


def linked_organizations(user):
    links = AccountLink.objects.filter(user=user)
    bases = links.filter(base__isnull=False).values("base")
    hubs = links.filter(organization__isnull=False, organization__is_hub=True).values("organization")
    members = HubMembership.objects.filter(hub__in=hubs, left_on__isnull=True).values("member")
    return Organization.objects.filter(Q(incubated_by__in=bases) | Q(pk__in=members))
