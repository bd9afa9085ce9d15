"""Probes of the credit lists and enforcement for the generated permission test (tests/test_responsibilities.py).

The subjects are the registry's (``cso.orgs.tests.probes``): organizations registered by the county, the city, the
province, a sibling county, another province; filed groups; small groups; one linked to the account trying."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from cso.accounts.probes import Probe, answered, register
from cso.demo.testing import make_user
from cso.orgs.tests import probes as org_probes
from cso.orgs.tests.factories import make_filed, make_registered
from cso.orgs.tests.probes import ALL, make
from cso.regions import codes
from cso.supervision.models import (
    EnforcementCase,
    InspectionPlan,
    InspectionResult,
    InspectionTarget,
    Inspector,
    InspectorConflict,
    ListEntry,
    Objection,
    TargetInspector,
)


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


# --- random inspections (双随机一公开) ---
COUNTY = "450102000000"
FOREIGN = "440103000000"
COMMUNITY = "450102001003"


def _home(account) -> str:
    level = account.division.level if account.division_id else None
    return account.division_id if level in (codes.PROVINCE, codes.CITY, codes.COUNTY) else COUNTY


def _where(account, subject) -> str:
    return {"own": _home(account), "county": COUNTY, "foreign": FOREIGN}.get(subject, _home(account))


def _plan(division: str, state: str = "drawn", **extra) -> InspectionPlan:
    return InspectionPlan.objects.create(division_id=division, year=2026, title="探针抽查计划", rate=Decimal("10"),
                                         site_share=Decimal("0"), state=state, **extra)


# --- supervision.plan: publish a drawn plan -----------------------------------------------------------------
def _drawn_plan(world, subject, account):
    return _plan(_where(account, subject))


def _publish(client, plan):
    response = client.post(reverse("supervision:inspection_publish", kwargs={"plan": plan.pk}))
    return answered(response, InspectionPlan.objects.get(pk=plan.pk).state == "published")


register(Probe("supervision.plan", ("own", "county", "foreign"), _drawn_plan, _publish))


# --- supervision.draw -----------------------------------------------------------------------------------
def _draft_plan(world, subject, account):
    return _plan(_where(account, subject), state="draft")


def _draw(client, plan):
    response = client.post(reverse("supervision:inspection_draw", kwargs={"plan": plan.pk}))
    return answered(response, InspectionPlan.objects.get(pk=plan.pk).state == "drawn")


register(Probe("supervision.draw", ("own", "county", "foreign"), _draft_plan, _draw))


# --- supervision.inspect_record: record a result ---------------------------------------------------------
def _target(world, subject, account):
    plan = _plan(_where(account, subject))
    org = make_filed(world.superuser, division=COMMUNITY)
    target = InspectionTarget.objects.create(plan=plan, organization=org, org_uid=org.uid, rank=1, score="0",
                                             method="site")
    if subject == "assigned":
        inspector = Inspector.objects.create(user=account, division_id=account.division_id)
        TargetInspector.objects.create(target=target, inspector=inspector, status="assigned", order=1)
    return target


def _record(client, target):
    response = client.post(reverse("supervision:inspection_target", kwargs={"target": target.pk}), {
        "action": "result", "method": "site", "inspected_on": date(2026, 5, 1).isoformat(),
        "findings": "探针检查", "conclusion": "ok"})
    return answered(response, InspectionResult.objects.filter(target=target).exists())


register(Probe("supervision.inspect_record", ("own", "county", "foreign", "assigned"), _target, _record))


# --- supervision.inspectors: suspend an inspector of the pool ---------------------------------------------
def _pooled(world, subject, account):
    division = _where(account, subject)
    user = make_user(f"probe_inspector_{world.serial()}", "civil_affairs", division)
    return Inspector.objects.create(user=user, division_id=division)


def _suspend(client, inspector):
    response = client.post(reverse("supervision:inspector_active", kwargs={"inspector": inspector.pk}),
                           {"reason": "探针调整"})
    return answered(response, not Inspector.objects.get(pk=inspector.pk).active)


register(Probe("supervision.inspectors", ("own", "county", "foreign"), _pooled, _suspend))


# --- supervision.declare_conflict: an inspector declares its own conflict -------------------------------------
def _inspector(world, subject, account):
    division = _home(account)
    if subject == "mine":
        inspector = Inspector.objects.create(user=account, division_id=account.division_id)
    else:
        colleague = make_user(f"probe_colleague_{world.serial()}", "civil_affairs", division)
        inspector = Inspector.objects.create(user=colleague, division_id=division)
    body = world.body(inspector.division_id) if inspector.division.level <= codes.COUNTY else world.body(COUNTY)
    org = make_registered(world.superuser, registration_authority=body, division=COMMUNITY)
    inspector.probe_org_uid = org.uid
    return inspector


def _declare(client, inspector):
    response = client.post(reverse("supervision:inspector_conflicts", kwargs={"inspector": inspector.pk}),
                           {"organization": inspector.probe_org_uid, "reason": "探针回避"})
    return answered(response, InspectorConflict.objects.filter(inspector=inspector).exists())


register(Probe("supervision.declare_conflict", ("mine", "colleague"), _inspector, _declare))


# --- 监管看板 (supervision dashboard) ---
def _dashboard(client, _):
    response = client.get(reverse("supervision:dashboard"))
    return answered(response, response.status_code == 200)


register(Probe("supervision.dashboard", (None,), lambda world, subject, account: None, _dashboard))


# --- zombie detection and clean-up campaigns (清理整治) ---------------------------------------------------------
def _zombie_page(client, obj):
    response = client.get(reverse("supervision:zombie_candidates"))
    return answered(response, response.status_code == 200)


register(Probe("supervision.zombie_view", (None,), lambda world, subject, account: None, _zombie_page))


def _campaign_at(world, subject, account):
    from cso.supervision.models import Campaign

    return Campaign.objects.create(division_id=_where(account, subject), title="探针清理整治",
                                   started_on=date(2026, 7, 1))


def _close_campaign(client, campaign):
    from cso.supervision.models import Campaign

    response = client.post(reverse("supervision:campaign_close", args=[campaign.pk]))
    return answered(response, Campaign.objects.get(pk=campaign.pk).state == "closed")


register(Probe("supervision.campaign_manage", ("own", "county", "foreign"), _campaign_at, _close_campaign))


def _campaign_case(world, subject, account):
    from cso.supervision.models import Campaign, CampaignCase

    org = make(world, subject, account)
    campaign = Campaign.objects.create(division_id=COUNTY, title="探针清理整治", started_on=date(2026, 7, 1))
    return CampaignCase.objects.create(campaign=campaign, organization=org)


def _record_case(client, case):
    from cso.supervision.models import CampaignCase

    response = client.post(reverse("supervision:campaign_case_record", args=[case.pk]),
                           {"outcome": "resumed", "outcome_on": "2026-07-10"})
    return answered(response, CampaignCase.objects.get(pk=case.pk).state == "decided")


register(Probe("supervision.campaign_record", ALL, _campaign_case, _record_case))


def _campaign_with_case(world, subject, account):
    """A campaign placed inside or outside the account's own division, with one case at the street of COMMUNITY."""
    from cso.supervision.models import CampaignCase

    campaign = _campaign_at(world, subject, account)
    org = make_filed(world.superuser, division=COMMUNITY)
    campaign.probe_case_pk = CampaignCase.objects.create(campaign=campaign, organization=org,
                                                         street_id="450102001000").pk
    return campaign


def _reassign_case(client, campaign):
    from cso.supervision.models import CampaignCase, CaseReassignment

    response = client.post(reverse("supervision:campaign_case_reassign", args=[campaign.probe_case_pk]),
                           {"street": "450102002000", "reason": "探针改派：分错街道"})
    moved = CampaignCase.objects.get(pk=campaign.probe_case_pk).street_id == "450102002000"
    return answered(response, moved and CaseReassignment.objects.filter(case_id=campaign.probe_case_pk).exists())


register(Probe("supervision.campaign_reassign", ("own", "county", "foreign"), _campaign_with_case, _reassign_case))


# --- activity records (活动记录) -------------------------------------------------------------------------------
def _activities_page(client, org):
    response = client.get(reverse("supervision:org_activities", args=[org.uid]))
    return answered(response, response.status_code == 200)


register(Probe("supervision.activity_view", ALL, _org, _activities_page))


def _add_activity(client, org):
    from cso.supervision.models import ActivityRecord

    response = client.post(reverse("supervision:org_activities", args=[org.uid]),
                           {"date": "2026-01-10", "what": "探针活动", "place": "社区活动室", "participants": "12"})
    return answered(response, ActivityRecord.objects.filter(organization=org).exists())


register(Probe("supervision.activity_record", ALL, _org, _add_activity))

from cso.supervision.tests import probes_evaluation  # noqa: E402,F401  (等级评估)
