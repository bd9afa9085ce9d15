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
