"""The official's to-do queue: the filing body's open cases, overdue first, by step, paginated."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cso.applications import services
from cso.applications.models import Application, State


def case(applicant, name, state=State.SUBMITTED, due=None, body="450102001000", division="450102001003"):
    application = Application.objects.create(kind="filing", applicant=applicant, division_id=division,
                                             authority_division_id=body, state=state, due_on=due,
                                             payload={"name": name})
    application.number = f"SQ2026-{application.pk:06d}"
    application.save(update_fields=["number"])
    return application


@pytest.mark.django_db
def test_the_street_sees_its_open_cases_overdue_first_and_nothing_else(cast):
    today = date.today()
    later = case(cast["organization"], "后到期", due=today + timedelta(days=4))
    overdue = case(cast["organization"], "已逾期", due=today - timedelta(days=1), state=State.ACCEPTED)
    case(cast["organization"], "草稿", state=State.DRAFT)
    case(cast["organization"], "待补正", state=State.NEEDS_CORRECTION)
    case(cast["organization"], "已批准", state=State.APPROVED)
    with_county = case(cast["organization"], "县里备案", body="450102000000")
    assert list(services.queue(cast["street"])) == [overdue, later]
    assert overdue.is_overdue and not later.is_overdue
    assert list(services.queue(cast["county"])) == [with_county]  # only what is filed with the bureau
    assert list(services.queue(cast["outsider_street"])) == []
    assert list(services.queue(cast["organization"])) == []


@pytest.mark.django_db
def test_the_queue_page_filters_by_step_and_pages(cast, client):
    for i in range(23):
        case(cast["organization"], f"团队{i}", due=date.today() + timedelta(days=i))
    case(cast["organization"], "已受理的团队", state=State.ACCEPTED)
    client.force_login(cast["street"])
    page = client.get(reverse("applications:queue")).content.decode()
    assert "已逾期" not in page and "团队0" in page and "1 / 2" in page
    page = client.get(reverse("applications:queue") + "?step=accepted").content.decode()
    assert "已受理的团队" in page and "团队0" not in page
    assert client.get(reverse("applications:queue") + "?page=2").status_code == 200


@pytest.mark.django_db
def test_the_queue_and_my_applications_are_closed_to_roles_without_a_duty(cast, client):
    client.force_login(cast["organization"])
    assert client.get(reverse("applications:queue")).status_code == 403
    assert client.get(reverse("applications:mine")).status_code == 200
    client.force_login(cast["street"])
    assert client.get(reverse("applications:mine")).status_code == 403
    assert client.get(reverse("applications:new")).status_code == 403


@pytest.mark.django_db
def test_an_organization_account_never_sees_another_accounts_drafts(cast, client):
    from cso.demo.testing import make_user

    draft = case(cast["organization"], "别人的草稿", state=State.DRAFT)
    draft.number = None
    draft.save(update_fields=["number"])
    other = make_user("other_org", "organization", "450102001003")
    client.force_login(other)
    assert client.get(reverse("applications:detail", args=[draft.ref])).status_code == 404
    assert "别人的草稿" not in client.get(reverse("applications:mine")).content.decode()
    client.force_login(cast["street"])  # staff do not see drafts either
    assert client.get(reverse("applications:detail", args=[draft.ref])).status_code == 404


def test_step_deadlines_come_from_a_setting_with_the_platforms_defaults(settings):
    from cso.applications.models import DEFAULT_STEP_DAYS, step_days

    assert step_days() == DEFAULT_STEP_DAYS
    settings.CSO_APPLICATION_STEP_DAYS = {"submitted": 2}
    assert step_days()["submitted"] == 2 and step_days()["accepted"] == DEFAULT_STEP_DAYS["accepted"]
