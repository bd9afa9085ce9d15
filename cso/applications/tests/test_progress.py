"""The public progress lookup: number + phone → kind, state, deadline; nothing else; the same answer for an
unknown case and a wrong phone; limited per client address."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from cso.applications.models import Application, State
from cso.applications.progress import NOT_FOUND, TOO_MANY

URL = "/progress/"


@pytest.fixture
def application(cast):
    org = cast["organization"]
    org.phone, org.full_name = "13900000002", "兴宁社区账号"
    org.save()
    a = Application.objects.create(
        kind="filing", applicant=org, division_id="450102001003", authority_division_id="450102001000",
        state=State.ACCEPTED, due_on=date.today() + timedelta(days=9),
        payload={"name": "兴宁社区夕阳红合唱队", "leader_name": "李桂兰", "leader_phone": "138-0000-0001",
                 "activity": "合唱排练"})
    a.number = f"SQ2026-{a.pk:06d}"
    a.save(update_fields=["number"])
    return a


def ask(client, number, phone, **extra):
    return client.post(URL, {"number": number, "phone": phone}, **extra)


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["13800000001", "+86 138 0000 0001", "13900000002"])
def test_the_payload_phone_or_the_accounts_mobile_shows_kind_state_and_deadline_only(client, application, phone):
    response = ask(client, application.number.lower(), phone)
    assert response.status_code == 200
    body = response.content.decode()
    result = body[body.index('data-testid="progress-result"'):]
    assert "社区社会组织备案" in result and "已受理，审查中" in result
    assert application.due_on.strftime("%Y-%m-%d") in result
    for secret in ("兴宁社区夕阳红合唱队", "李桂兰", "合唱排练", "兴宁社区账号", "民生街道"):
        assert secret not in body
    others = ("13900000002",) if phone != "13900000002" else ("138-0000-0001", "13800000001")
    assert not [p for p in others if p in body]  # the phone not typed is not shown either


@pytest.mark.django_db
def test_no_such_case_and_wrong_phone_get_the_same_answer(client, application):
    wrong_phone = ask(client, application.number, "13700000000")
    no_case = ask(client, "SQ2026-999999", "13800000001")
    assert wrong_phone.status_code == no_case.status_code == 200
    assert NOT_FOUND in wrong_phone.content.decode() and NOT_FOUND in no_case.content.decode()
    assert 'data-testid="progress-result"' not in wrong_phone.content.decode() + no_case.content.decode()
    # the two pages differ only in what was typed (and the CSRF token)
    def bare(response, number, phone):
        text = re.sub(r'(value|content)="[A-Za-z0-9]{32,}"', "", response.content.decode())
        return text.replace(f'value="{number}"', "N").replace(f'value="{phone}"', "P")

    assert bare(wrong_phone, application.number, "13700000000") == bare(no_case, "SQ2026-999999", "13800000001")


@pytest.mark.django_db
def test_a_draft_is_never_found(client, cast):
    draft = Application.objects.create(kind="filing", applicant=cast["organization"], division_id="450102001003",
                                       payload={"leader_phone": "13800000001"})
    assert NOT_FOUND in ask(client, f"D{draft.pk}", "13800000001").content.decode()


@pytest.mark.django_db
def test_lookups_are_limited_per_client_address(client, application, settings):
    settings.CSO_PROGRESS_LOOKUPS_PER_HOUR = 3
    for _ in range(3):
        assert ask(client, "SQ2026-999999", "13800000001", REMOTE_ADDR="10.0.0.1").status_code == 200
    refused = ask(client, application.number, "13800000001", REMOTE_ADDR="10.0.0.1")
    assert refused.status_code == 429 and TOO_MANY in refused.content.decode()
    assert 'data-testid="progress-result"' not in refused.content.decode()
    assert ask(client, application.number, "13800000001", REMOTE_ADDR="10.0.0.2").status_code == 200


@pytest.mark.django_db
def test_the_page_needs_no_sign_in(client):
    response = client.get(reverse("progress:lookup"))
    assert response.status_code == 200 and 'data-testid="progress-form"' in response.content.decode()
