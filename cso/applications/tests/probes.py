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
    # 成立登记 (registered track): decided by the registering body of the county
    "registered_here": (COMMUNITY, "450102000000"),
    "registered_other_county": ("450103001005", "450103000000"),
}
REGISTERED_SUBJECTS = ("registered_here", "registered_other_county")


def _payload(world):
    n = world.serial()
    return {"name": f"探针合唱队{n}", "org_type": "activity_team", "leader_name": "探针", "leader_phone": "13800000000",
            "member_count": 12, "activity": "合唱", "schedule": "每周三", "place": "活动室", "category": "",
            "party_reported": "none"}


def _registration_payload(world):
    from cso.orgs.tests.factories import id_number

    n = world.serial()
    return {"name": f"探针邻里服务中心{n}", "org_type": "social_service", "registration_class": "community_service",
            "supervising_unit": "", "categories": [], "residence": "活动室", "business_scope": "邻里互助",
            "leader_name": "探针", "leader_phone": "13800000000", "leader_id_number": id_number(),
            "member_count": None, "registered_capital": "5000", "preparation_number": "", "credit_code": ""}


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
        registered = subject in REGISTERED_SUBJECTS
        application = Application.objects.create(
            kind="registration" if registered else "filing", applicant=world.cast["organization"],
            division_id=division, authority_division_id=body,
            payload=_registration_payload(world) if registered else _payload(world), state=state)
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
# (the credit code the registering body gives on approving a 成立登记; a filing ignores it)
register(Probe("applications.approve", SUBJECTS, _case(State.ACCEPTED),
               _move("approve", State.APPROVED, {"credit_code": "52450102MJA000011U"})))
register(Probe("applications.reject", SUBJECTS, _case(State.SUBMITTED),
               _move("reject", State.REJECTED, {"reason": "不符合备案条件"})))


# 社区（街道）意见 on a registered-track case waiting for it: the street of the case's subtree and the case's own
# community give it; a filed-track case is outside every row.
OPINION_PLACES = {  # subject: (division of the case, kind)
    "opinion_in_community": (COMMUNITY, "registration"),
    "opinion_next_community": ("450102001004", "registration"),
    "opinion_sibling_street": ("450102002001", "registration"),
    "opinion_on_a_filing": (COMMUNITY, "filing"),
}


def _waiting_for_opinion(world, subject, account):
    division, kind = OPINION_PLACES[subject]
    registered = kind == "registration"
    application = Application.objects.create(
        kind=kind, applicant=world.cast["organization"], division_id=division,
        authority_division_id=division[:6] + "000000" if registered else "450102001000",
        payload=_registration_payload(world) if registered else _payload(world), state=State.COMMUNITY_OPINION)
    application.number = f"SQ2026-{application.pk:06d}"
    application.save(update_fields=["number"])
    return application


def _opine(client, application):
    response = client.post(reverse("applications:opinion", args=[application.number]),
                           {"stance": "agree", "reason": "同意"})
    after = Application.objects.get(pk=application.pk)
    return answered(response, after.state == State.SUBMITTED and after.events.filter(verb="opinion").exists())


register(Probe("applications.opinion", tuple(OPINION_PLACES), _waiting_for_opinion, _opine))


def _name_check(client, _obj):
    response = client.get(reverse("applications:name_check"), {"name": "探针合唱队", "division": COMMUNITY})
    return answered(response, response.status_code == 200 and "matches" in response.json())


register(Probe("applications.name_check", (None,), lambda world, subject, account: None, _name_check))
# --- materials: upload (the applicant's draft only) and download (the applicant and the filing body) ---------
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000049454e44ae426082")


def _stored_files() -> int:
    from cso.core import privatefiles

    area = privatefiles.root() / "attachments"
    return sum(1 for p in area.glob("*/*")) if area.exists() else 0


def _upload(client, application):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = _stored_files()
    response = client.post(reverse("applications:material_upload", args=[application.ref]), {
        "material": "roster", "file": SimpleUploadedFile("名册.png", PNG, content_type="image/png")})
    done = application.attachments.exists()
    assert done or _stored_files() == before, "a refused upload left a file behind"
    return answered(response, done)


register(Probe("applications.upload", ("own_draft", "other_draft"), _draft, _upload))


def _case_with_roster(world, subject, account):
    if subject == "own_case":
        application = Application.objects.create(
            kind="filing", applicant=account, division_id=COMMUNITY, authority_division_id="450102001000",
            payload=_payload(world), state=State.SUBMITTED)
        application.number = f"SQ2026-{application.pk:06d}"
        application.save(update_fields=["number"])
    else:
        application = _case(State.SUBMITTED)(world, subject, account)
    return attach_roster(application)


def attach_roster(application):
    from cso.applications.models import Attachment
    from cso.core import privatefiles

    stored = privatefiles.write(Attachment.AREA, ".png", PNG)
    Attachment.objects.create(application=application, material="roster", original_name="名册.png", stored_name=stored,
                              content_type="image/png", size=len(PNG), sha256="0" * 64)
    return application


def _download(client, application):
    attachment = application.attachments.get()
    response = client.get(reverse("applications:material", args=[application.number, attachment.pk]))
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Disposition"].startswith("attachment")
        return answered(response, True)
    return answered(response, False)


register(Probe("applications.download", (*SUBJECTS, "own_case"), _case_with_roster, _download))


from cso.applications.tests.probes_existing import extend  # noqa: E402  (变更, 注销, 备案注销)

extend()


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
