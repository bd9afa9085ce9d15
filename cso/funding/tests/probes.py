"""Probes of funding for the generated permission test (tests/test_responsibilities.py).

Programmes are placed at the divisions on and beside the accounts' line (province, city, county, street, a sibling
county, another street, another province); organizations are the registry's subjects (cso.orgs.tests.probes)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from cso.accounts.probes import Probe, answered, register
from cso.funding.models import Application, Programme, Qualification, Score
from cso.orgs.tests.probes import ALL, make

PLACES = {
    "province": "450000000000", "city": "450100000000", "county": "450102000000", "street": "450102001000",
    "sibling_county": "450103000000", "other_street": "450102002000", "other_province": "440103000000",
}


def _programme(world, division: str, **extra) -> Programme:
    today = timezone.localdate()
    data = {"title": f"探针项目{world.serial()}", "kind": "venture", "division_id": division, "funder": "探针资助方",
            "year": today.year, "budget": Decimal("100000"), "opens_on": today - timedelta(days=1),
            "closes_on": today + timedelta(days=10), "state": "open", "created_by": world.superuser}
    data.update(extra)
    return Programme.objects.create(**data)


def _application(world, prog) -> Application:
    org = make(world, "reg_county")
    return Application.objects.create(programme=prog, organization=org, title="探针申报", plan="计划",
                                      requested=Decimal("1000"), submitted_by=world.superuser)


# --- programmes ---------------------------------------------------------------------------------------------
def _placed(world, subject, account):
    return _programme(world, PLACES[subject])


def _view(client, prog):
    response = client.get(reverse("funding:programme", args=[prog.pk]))
    return answered(response, response.status_code == 200)


register(Probe("funding.view", tuple(PLACES), _placed, _view))


def _draft(world, subject, account):
    return _programme(world, PLACES[subject], state="draft")


def _publish(client, prog):
    response = client.post(reverse("funding:publish", args=[prog.pk]))
    return answered(response, Programme.objects.get(pk=prog.pk).state == "open")


register(Probe("funding.manage", tuple(PLACES), _draft, _publish))


# --- applying -------------------------------------------------------------------------------------------------
def _org_with_call(world, subject, account):
    org = make(world, subject, account)
    org.probe_programme = _programme(world, "450000000000", cross_district=True)
    return org


def _apply(client, org):
    prog = org.probe_programme
    response = client.post(reverse("funding:apply", args=[prog.pk]),
                           {"org": org.uid, "title": "探针", "plan": "计划", "requested": "1000"})
    return answered(response, Application.objects.filter(programme=prog, organization=org).exists())


register(Probe("funding.apply", ALL, _org_with_call, _apply))


# --- review: the account scores where it was chosen as a reviewer -----------------------------------------------
def _for_review(world, subject, account):
    app = _application(world, _programme(world, account.division_id or PLACES["county"]))
    if subject == "assigned":
        app.programme.reviewers.add(account)
    return app


def _score(client, app):
    response = client.post(reverse("funding:score", args=[app.pk]), {"points": "80"})
    return answered(response, Score.objects.filter(application=app).exists())


register(Probe("funding.review", ("assigned", "not_assigned"), _for_review, _score))


# --- decisions by the funder -------------------------------------------------------------------------------------
def _to_decide(world, subject, account):
    app = _application(world, _programme(world, PLACES[subject]))
    Score.objects.create(application=app, reviewer=world.superuser, points=Decimal("80"))
    return app


def _reject(client, app):
    response = client.post(reverse("funding:reject", args=[app.pk]), {"reason": "探针不予立项"})
    return answered(response, Application.objects.get(pk=app.pk).state == "rejected")


register(Probe("funding.decide", tuple(PLACES), _to_decide, _reject))


# --- money views and qualifications ----------------------------------------------------------------------------
def _money(client, _):
    response = client.get(reverse("funding:money"))
    return answered(response, response.status_code == 200)


register(Probe("funding.money", (None,), lambda world, subject, account: None, _money))


# --- the awards list (API and export): an award of a programme placed on and beside the account's line ----------
def _awarded(world, subject, account):
    from cso.funding.models import Award

    app = _application(world, _programme(world, PLACES[subject]))
    org = app.organization
    return Award.objects.create(application=app, programme=app.programme, organization=org,
                                division_id=app.programme.division_id, org_division_id=org.division_id,
                                kind="venture", year=app.programme.year, amount=Decimal("1000"),
                                awarded_on=timezone.localdate(), reason="探针立项")


def _read_award(client, award):
    response = client.get(f"/api/funding/awards/{award.pk}")
    return answered(response, response.status_code == 200 and response.json()["id"] == award.pk)


register(Probe("funding.awards", tuple(PLACES), _awarded, _read_award))


def _qualify(client, org):
    response = client.post(reverse("funding:qualification_add", args=[org.uid]),
                           {"kind": "tax_exempt", "granted_on": "2025-01-01", "basis": "探针依据"})
    return answered(response, Qualification.objects.filter(organization=org).exists())


register(Probe("funding.qualifications", ALL, lambda world, subject, account: make(world, subject, account), _qualify))
