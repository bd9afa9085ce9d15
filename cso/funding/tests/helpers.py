"""Building blocks of the funding tests: a programme of 兴宁区 open today, organizations linked to an account."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from cso.funding import services
from cso.funding.models import Programme
from cso.orgs.models import AccountLink
from cso.orgs.tests.factories import make_filed, make_registered

COUNTY = "450102000000"


def programme(user, **extra) -> Programme:
    today = timezone.localdate()
    data = {"title": "兴宁区2026年公益创投", "kind": "venture", "division_id": COUNTY, "funder": "兴宁区民政局",
            "year": today.year, "budget": Decimal("100000"), "opens_on": today - timedelta(days=1),
            "closes_on": today + timedelta(days=30), "state": "open", "created_by": user}
    data.update(extra)
    return Programme.objects.create(**data)


def linked_org(account, creator, filed=False, **extra):
    org = (make_filed if filed else make_registered)(creator, **extra)
    AccountLink.objects.create(user=account, organization=org, division_id=org.division_id)
    return org


def submitted(prog, org, account, requested="30000"):
    return services.apply(prog, org, account, title="邻里守望", plan="每周探访独居老人", requested=Decimal(requested),
                          lines=[])
