"""Probes of supervision's actions for the generated permission test (tests/test_responsibilities.py)."""

from django.urls import reverse

from cso.accounts.probes import Probe, answered, register
from cso.orgs.tests import probes as org_probes

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
