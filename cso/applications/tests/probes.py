"""Probes of the applications' actions for the generated permission test (tests/test_responsibilities.py)."""

from django.urls import reverse

from cso.accounts.probes import Probe, answered, register
from cso.applications.models import Application, State

COMMUNITY = "450102001003"  # under 民生街道 (the street of the probe accounts), 兴宁区
PLACES = {  # subject: (division of the group, division of the body that files it)
    "filed_with_street": (COMMUNITY, "450102001000"),
    "filed_with_county": (COMMUNITY, "450102000000"),
    "sibling_street": ("450102002001", "450102002000"),
    "other_county": ("450103001005", "450103001000"),
}


def _payload(world):
    n = world.serial()
    return {"name": f"探针合唱队{n}", "org_type": "activity_team", "leader_name": "探针", "leader_phone": "13800000000",
            "member_count": 12, "activity": "合唱", "schedule": "每周三", "place": "活动室", "category": "",
            "party_reported": "none"}


def _draft(world, subject, account):
    applicant = account if subject == "own_draft" else world.cast["organization"]
    return Application.objects.create(kind="filing", applicant=applicant, division_id=COMMUNITY,
                                      authority_division_id="450102001000", payload=_payload(world))


def _submit(client, application):
    response = client.post(reverse("applications:submit", args=[application.ref]))
    return answered(response, Application.objects.get(pk=application.pk).state == State.SUBMITTED)


register(Probe("applications.apply", ("own_draft", "other_draft"), _draft, _submit))


def _case(state):
    def build(world, subject, account):
        division, body = PLACES[subject]
        application = Application.objects.create(
            kind="filing", applicant=world.cast["organization"], division_id=division, authority_division_id=body,
            payload=_payload(world), state=state)
        application.number = f"SQ2026-{application.pk:06d}"
        application.save(update_fields=["number"])
        return application

    return build


def _move(name, to_state, data=None):
    def attempt(client, application):
        response = client.post(reverse(f"applications:{name}", args=[application.number]), data or {})
        after = Application.objects.get(pk=application.pk)
        done = after.state == to_state and after.events.exists()
        if to_state == State.APPROVED:
            done = done and after.organization is not None
        return answered(response, done)

    return attempt


SUBJECTS = tuple(PLACES)
register(Probe("applications.accept", SUBJECTS, _case(State.SUBMITTED), _move("accept", State.ACCEPTED)))
register(Probe("applications.return", SUBJECTS, _case(State.ACCEPTED),
               _move("ask_correction", State.NEEDS_CORRECTION, {"missing": "成员名单"})))
register(Probe("applications.approve", SUBJECTS, _case(State.ACCEPTED), _move("approve", State.APPROVED)))
register(Probe("applications.reject", SUBJECTS, _case(State.SUBMITTED),
               _move("reject", State.REJECTED, {"reason": "不符合备案条件"})))


# --- 办事指南 (the province's own text) ---------------------------------------------------------
def _province(world, subject, account):
    return world.division("450000000000" if subject == "own_province" else "440000000000")


def _edit_guide(client, province):
    from cso.applications.models import Guide

    response = client.post(reverse("applications:guide_edit", args=["filing"]), {
        "province": province.code, "conditions": "探针条件", "materials": "", "steps": "", "time_limits": "",
        "basis": "", "then": "save"})
    done = Guide.objects.filter(kind="filing", province=province, conditions="探针条件").exists()
    return answered(response, done)


register(Probe("applications.guide_edit", ("own_province", "other_province"), _province, _edit_guide))
