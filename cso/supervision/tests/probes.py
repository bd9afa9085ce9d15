"""How the generated permission test tries the random inspections' actions over HTTP (see cso.accounts.probes).

Subjects: a plan (target, inspector) of the account's own division ("own"; the county of the line for accounts
bound below it), of the county on the line ("county": a child for province and city accounts), of a county of
another province ("foreign"); for linked rows, one where the account is the assigned inspector ("assigned") or
the inspector itself ("mine")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from cso.accounts.probes import Probe, answered, register
from cso.demo.testing import make_user
from cso.orgs.tests.factories import make_filed, make_registered
from cso.regions import codes
from cso.supervision.models import (
    InspectionPlan,
    InspectionResult,
    InspectionTarget,
    Inspector,
    InspectorConflict,
    TargetInspector,
)

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
