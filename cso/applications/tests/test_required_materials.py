"""Every kind of application, over HTTP: a submission lacking a required material is refused naming it and nothing
moves (no number, no event, still a draft); the case page lists exactly the materials asked in that case (one
place: ``Kind.materials_of``), e.g. 简易注销 the pledge instead of the 清算报告."""

import re

import pytest
from django.urls import reverse

from cso.applications.kinds import KINDS
from cso.applications.models import State
from cso.orgs.models import AccountLink, RegistryRules
from cso.orgs.tests.factories import make_filed, make_registered

from .helpers import save_draft, submit, upload, upload_required
from .test_existing_org_kinds import change_post
from .test_filing_flow import form_data
from .test_registration_flow import prep_data, reg_data

pytestmark = pytest.mark.django_db


def _linked(cast, org):
    AccountLink.objects.create(user=cast["organization"], organization=org, role="head", division_id=org.division_id)
    return org


def deregistration_data(org, **extra):
    return {"kind": "deregistration", "org": org.uid, "token": "d-1", "basis": "dissolved",
            "reason": "会员大会决议解散", "liquidation_done_on": "2026-01-05", "materials_ready": "on",
            "supervising_consent": "on", **extra}


def form_for(kind: str, cast, settings) -> dict:
    """A valid form of ``kind`` from the organization's account (the organization made where the kind needs one)."""
    if kind == "filing":
        settings.CSO_FILING_ROSTER_REQUIRED = ["45"]  # the roster is required where the province says so
        return form_data()
    if kind == "preparation":
        return prep_data()
    if kind == "registration":
        return reg_data()
    if kind in ("change", "deregistration"):
        org = _linked(cast, make_registered(cast["superuser"], name="兴宁区邻里互助协会",
                                            supervising_unit="兴宁区教育局",
                                            leaders=[{"name": "张建国", "phone": "13800000011", "role": "legal_rep"}]))
        return change_post(org, address="兴宁路2号") if kind == "change" else deregistration_data(org)
    if kind == "filing_cancel":
        org = _linked(cast, make_filed(cast["superuser"], name="兴宁社区太极拳队"))
        return {"kind": "filing_cancel", "org": org.uid, "token": "f-1", "cause": "stopped", "reason": "停止活动"}
    raise AssertionError(f"no test form for the kind {kind!r}: add one here")


def listed_materials(client, case) -> list[str]:
    page = client.get(reverse("applications:detail", args=[case.ref])).content.decode()
    return re.findall(r'data-testid="material-([a-z_]+)"', page)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_submission_without_a_required_material_is_refused_naming_it_and_nothing_moves(
        kind, cast, client, settings):
    client.force_login(cast["organization"])
    draft = save_draft(client, form_for(kind, cast, settings))
    spec = draft.kind_spec
    assert listed_materials(client, draft) == [m.code for m in spec.materials_of(draft)]
    required = spec.required_materials(draft)
    if not required:  # 备案注销: its one material (the signed request) is optional
        assert kind == "filing_cancel"
        submit(client, draft)
        draft.refresh_from_db()
        assert draft.state == State.SUBMITTED
        return
    last = required[-1]
    upload_required(client, draft, skip=(last.code,))
    events = draft.events.count()
    page = submit(client, draft, follow=True).content.decode()
    assert "还缺少必须上传的材料" in page and f"“{last.label}”" in page
    assert [f"“{m.label}”" in page for m in required] == [m == last for m in required]  # only the missing one named
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.number is None and draft.submitted_at is None
    assert draft.events.count() == events
    upload(client, draft, last.code)
    submit(client, draft)
    draft.refresh_from_db()
    assert draft.state in (State.SUBMITTED, State.COMMUNITY_OPINION) and draft.number


def test_the_case_lists_and_requires_the_materials_of_its_deregistration_path(cast, client):
    RegistryRules.objects.filter(province_id="450000000000").update(simplified_deregistration=True)
    client.force_login(cast["organization"])
    direct = _linked(cast, make_registered(cast["superuser"], name="兴宁区邻里互助协会", supervising_unit=""))
    full = save_draft(client, deregistration_data(direct, supervising_consent=""))
    assert listed_materials(client, full) == ["application", "resolution", "liquidation", "certificate"]
    response = upload(client, full, "pledge")  # a material the case does not ask is refused
    assert "本申请不需要这项材料" in client.get(response["Location"]).content.decode()
    assert not full.attachments.exists()

    supervised = _linked(cast, make_registered(cast["superuser"], name="兴宁区书画协会",
                                               supervising_unit="兴宁区文化局"))
    simple = save_draft(client, deregistration_data(supervised, token="d-2", no_assets_debts="on",
                                                    liquidation_done_on=""))
    assert simple.payload["simplified"] is True
    assert listed_materials(client, simple) == ["application", "resolution", "supervisor", "pledge", "certificate"]
    assert [m.code for m in simple.kind_spec.required_materials(simple)] == listed_materials(client, simple)
    page = client.get(reverse("applications:detail", args=[simple.ref])).content.decode()
    assert "承诺书" in page and "清算报告" not in page


def test_a_file_of_a_material_no_longer_asked_is_shown_for_removal_only(cast, client):
    RegistryRules.objects.filter(province_id="450000000000").update(simplified_deregistration=True)
    client.force_login(cast["organization"])
    org = _linked(cast, make_registered(cast["superuser"], name="兴宁区邻里互助协会", supervising_unit=""))
    draft = save_draft(client, deregistration_data(org, supervising_consent="", no_assets_debts="on"))
    assert upload(client, draft, "pledge").status_code == 302 and draft.attachments.count() == 1
    # the applicant goes back to the 一般注销 path: the pledge is no longer asked, its file can still be removed
    save_draft(client, deregistration_data(org, supervising_consent="", token=""),
               url=reverse("applications:edit", args=[draft.ref]))
    draft.refresh_from_db()
    assert draft.payload["simplified"] is False
    page = client.get(reverse("applications:detail", args=[draft.ref])).content.decode()
    assert 'data-testid="not-asked"' in page and 'data-testid="upload-pledge"' not in page
    assert "pledge" not in [m.code for m in draft.kind_spec.required_materials(draft)]


@pytest.mark.parametrize("data", [reg_data, prep_data])
def test_the_supervising_units_consent_is_required_where_one_is_named_and_not_asked_otherwise(cast, client, data):
    client.force_login(cast["organization"])
    direct = save_draft(client, data(token="s-1"))
    assert "supervisor_consent" not in listed_materials(client, direct)
    supervised = save_draft(client, data(token="s-2", name="兴宁区书画研究会", registration_class="supervised",
                                         supervising_unit="兴宁区文化局"))
    assert "supervisor_consent" in listed_materials(client, supervised)
    upload_required(client, supervised, skip=("supervisor_consent",))
    page = submit(client, supervised, follow=True).content.decode()
    assert "还缺少必须上传的材料：“业务主管单位同意文件”" in page
    supervised.refresh_from_db()
    assert supervised.state == State.DRAFT
