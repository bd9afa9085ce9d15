"""Probes of the credit lists and enforcement for the generated permission test (tests/test_responsibilities.py).

The subjects are the registry's (``cso.orgs.tests.probes``): organizations registered by the county, the city, the
province, a sibling county, another province; filed groups; small groups; one linked to the account trying."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from cso.accounts.probes import Probe, answered, register
from cso.orgs.tests.probes import ALL, make
from cso.supervision.models import EnforcementCase, ListEntry, Objection


def _org(world, subject, account):
    return make(world, subject, account)


def _view(client, org):
    response = client.get(reverse("supervision:credit_org", args=[org.uid]))
    return answered(response, response.status_code == 200)


register(Probe("supervision.credit_view", ALL, _org, _view))


def _entry(state):
    def build(world, subject, account):
        org = make(world, subject, account)
        return ListEntry.objects.create(organization=org, credit_list="abnormal", state=state,
                                        entered_on=date(2026, 3, 1), reason_code="unreachable", basis="探针",
                                        chain=[{"event": None, "on": "2026-03-01", "code": "unreachable"}])

    return build


def _decide(client, entry):
    response = client.post(reverse("supervision:credit_decide", args=[entry.pk]),
                           {"decision": "confirm", "reason": "探针确认"})
    return answered(response, ListEntry.objects.get(pk=entry.pk).state == "confirmed")


register(Probe("supervision.credit_decide", ALL, _entry("proposed"), _decide))


def _object(client, entry):
    response = client.post(reverse("supervision:credit_object", args=[entry.pk]), {"text": "探针异议"})
    return answered(response, Objection.objects.filter(entry=entry).exists())


register(Probe("supervision.credit_object", ALL, _entry("confirmed"), _object))


def _open_case(client, org):
    response = client.post(reverse("supervision:enforcement_open", args=[org.uid]),
                           {"facts": "探针违法事实", "opened_on": "2026-03-01", "basis": ""})
    return answered(response, EnforcementCase.objects.filter(organization=org).exists())


register(Probe("supervision.enforcement", ALL, _org, _open_case))
