"""Each official's queue holds the cases whose next move is theirs: the county registrar the registered-track cases
of its county, the street and the community the cases waiting for their opinion; the 新申请 page offers the kinds."""

import pytest
from django.urls import reverse

from cso.applications import services
from cso.applications.models import Application, State


def case(applicant, name, kind="registration", state=State.SUBMITTED, division="450102001003",
         body="450102000000"):
    application = Application.objects.create(kind=kind, applicant=applicant, division_id=division,
                                             authority_division_id=body, state=state, payload={"name": name})
    application.number = f"SQ2026-{application.pk:06d}"
    application.save(update_fields=["number"])
    return application


@pytest.mark.django_db
def test_each_official_sees_the_cases_whose_next_move_is_theirs(cast):
    org = cast["organization"]
    waiting = case(org, "待社区意见", state=State.COMMUNITY_OPINION)
    next_door = case(org, "北宁社区的", state=State.COMMUNITY_OPINION, division="450102001004")
    for_registrar = case(org, "待登记机关受理")
    prep = case(org, "筹备待审查", kind="preparation", state=State.ACCEPTED)
    filing = case(org, "街道备案", kind="filing", body="450102001000")
    filed_with_county = case(org, "县民政局备案", kind="filing")
    other_county = case(org, "青秀区的", division="450103001005", body="450103000000")

    assert set(services.queue(cast["registrar"])) == {for_registrar, prep}
    assert set(services.queue(cast["outsider_registrar"])) == {other_county}
    assert list(services.queue(cast["city_registrar"])) == []
    assert set(services.queue(cast["community"])) == {waiting}
    assert set(services.queue(cast["street"])) == {waiting, next_door, filing}
    assert set(services.queue(cast["county"])) == {filed_with_county}  # the bureau files; it does not register
    assert list(services.queue(cast["organization"])) == []


@pytest.mark.django_db
def test_the_community_has_a_queue_page_with_the_opinion_step(cast, client):
    case(cast["organization"], "待社区意见", state=State.COMMUNITY_OPINION)
    client.force_login(cast["community"])
    page = client.get(reverse("applications:queue") + "?step=community_opinion").content.decode()
    assert "待社区意见" in page and "待提出意见" in page


@pytest.mark.django_db
def test_the_new_application_page_offers_the_kinds_then_shows_the_kinds_form(cast, client):
    client.force_login(cast["organization"])
    page = client.get(reverse("applications:new")).content.decode()
    for code in ("filing", "preparation", "registration"):
        assert f'data-testid="kind-{code}"' in page
    assert "社会团体须先经筹备批准" in page
    page = client.get(reverse("applications:new") + "?kind=registration").content.decode()
    assert 'name="registered_capital"' in page and "城乡社区服务类（直接登记" in page
    page = client.get(reverse("applications:new") + "?kind=preparation").content.decode()
    assert 'name="registered_capital"' not in page and 'name="supervising_unit"' in page
    assert client.get(reverse("applications:new") + "?kind=nothing").status_code == 404


@pytest.mark.django_db
def test_the_name_check_help_lists_similar_live_names_in_the_county(cast, client):
    from cso.orgs.tests.factories import county_authority, credit_code, make_filed, make_registered

    make_registered(cast["superuser"], name="兴宁区邻里互助服务中心", org_type="social_service",
                    credit_code=credit_code("2"))
    make_filed(cast["superuser"], name="兴宁社区邻里互助队")
    make_registered(cast["superuser"], name="青秀区邻里互助服务中心", org_type="social_service",
                    credit_code=credit_code("2", region="450103"),
                    registration_authority=county_authority("450103000000"), division="450103001005")
    url = reverse("applications:name_check")
    client.force_login(cast["organization"])
    data = client.get(url, {"name": "兴宁区邻里互助服务中心 ", "division": "450102001003"}).json()
    assert data["label"] == "本平台建议"
    assert data["matches"][0] == {"name": "兴宁区邻里互助服务中心", "division": "兴宁社区居委会", "exact": True}
    assert "请换一个名称" in data["message"]
    data = client.get(url, {"name": "邻里互助", "division": "450102001003"}).json()
    assert {m["name"] for m in data["matches"]} == {"兴宁区邻里互助服务中心", "兴宁社区邻里互助队"}  # not 青秀区's
    assert data["message"] == "本县（区）已有相近的名称，请注意区分。"
    assert client.get(url, {"name": "完全不同的名字"}).json()["matches"] == []
    page = client.get(reverse("applications:new") + "?kind=registration").content.decode()
    assert "cso/name-check.js" in page and "data-name-check" in page
    client.force_login(cast["street"])
    assert client.get(url, {"name": "邻里互助"}).status_code == 403
