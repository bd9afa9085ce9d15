"""Probes of the credit lists and enforcement for the generated permission test (tests/test_responsibilities.py).

The subjects are the registry's (``cso.orgs.tests.probes``): organizations registered by the county, the city, the
province, a sibling county, another province; filed groups; small groups; one linked to the account trying."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from cso.accounts.probes import Probe, answered, register
from cso.orgs.tests import probes as org_probes
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


# --- 年检年报 (annual reports) -------------------------------------------------------------------------------
FORM = {
    "work_compliance": "遵守法律法规", "work_changes": "无", "work_activities": "开展活动", "work_personnel": "无变动",
    "work_funds": "会费", "total_income": "100", "total_expense": "80", "donation_income": "0",
    "government_grants": "0", "year_end_assets": "50", "liabilities": "0", "net_assets": "50", "party_members": "0",
    "party_organization": "false", "party_activities": "党建指导员联系", "then": "submit",
}


def _report(state):
    def build(world, subject, account):
        from cso.supervision.models import AnnualReport

        org = org_probes.make(world, subject, account)
        return AnnualReport.objects.create(organization=org, year=2025, state=state)

    return build


def _state(report) -> str:
    from cso.supervision.models import AnnualReport

    return AnnualReport.objects.get(pk=report.pk).state


def _fill(client, report):
    response = client.post(reverse("supervision:annual_edit", args=[report.pk]), FORM)
    return answered(response, _state(report) == "submitted")


def _review(client, report):
    response = client.post(reverse("supervision:annual_review", args=[report.pk]), {"decision": "pass", "reason": ""})
    return answered(response, _state(report) == "reviewed")


def _list(client, _):
    response = client.get(reverse("supervision:annual_lists"))
    return answered(response, response.status_code == 200)


def _export(client, _):
    response = client.get(reverse("supervision:annual_lists"), {"format": "csv"})
    return answered(response, response.status_code == 200)


REGISTERED = ("reg_county", "reg_city", "reg_province", "reg_sibling_county", "reg_other_province", "linked")
register(Probe("supervision.annual_fill", ("linked", "reg_county", "filed_street"), _report("draft"), _fill))
register(Probe("supervision.annual_review", REGISTERED, _report("submitted"), _review))
register(Probe("supervision.annual_list", (None,), lambda world, subject, account: None, _list))
register(Probe("supervision.annual_export", (None,), lambda world, subject, account: None, _export))
