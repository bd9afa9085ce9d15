"""The street invites a group's leader by mobile number; the person signs up with that number (the code read from
the SMS), accepts, sees the group on /my/, edits its contact data (history shows it) and cannot touch another
group's page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cso.accounts.models import User
from cso.core.messaging import clear_sent, sent_messages
from cso.orgs.models import AccountInvitation, AccountLink, Organization
from cso.orgs.tests.factories import make_filed, make_registered

PHONE = "13912340001"


@pytest.fixture(autouse=True)
def _outbox(settings):
    settings.CSO_SITE_URL = "https://cso.example.cn"
    clear_sent()
    yield
    clear_sent()


@pytest.fixture
def group(cast):
    return make_filed(cast["superuser"], name="兴宁社区夕阳红合唱队")


def sms(phone):
    texts = [m.body for m in sent_messages("sms", phone)]
    assert texts, f"no SMS to {phone}"
    return texts[-1]


def test_invite_sign_up_accept_see_edit_and_nothing_of_others(cast, client, group, django_capture_on_commit_callbacks):
    other = make_filed(cast["superuser"], name="兴宁社区太极拳队")
    client.force_login(cast["street"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("orgs:invite", args=[group.uid]), {"phone": PHONE, "role": "head"})
    assert response.status_code == 302
    invitation = AccountInvitation.objects.get()
    assert invitation.invited_by == cast["street"] and invitation.is_pending
    text = sms(PHONE)
    link = re.search(r"(https://cso\.example\.cn\S+/)", text).group(1)
    assert link == "https://cso.example.cn" + reverse("orgs:invitation_accept", args=[invitation.token])
    assert "兴宁社区夕阳红合唱队" in text and "负责人" in text
    listing = client.get(reverse("orgs:invitations_list")).content.decode()
    assert "兴宁社区夕阳红合唱队" in listing and "139****0001" in listing and "待接受" in listing

    # the invited person, signed out, follows the link and signs up with the number
    client.logout()
    path = link.removeprefix("https://cso.example.cn")
    page = client.get(path).content.decode()
    assert "注册账号并接受" in page and "139****0001" in page
    assert client.get(path + "?signup=1").url == reverse("accounts:signup")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), {"step": "send", "phone": PHONE})
    code = re.search(r"验证码为(\d{6})", sms(PHONE)).group(1)
    response = client.post(reverse("accounts:signup"), {
        "code": code, "full_name": "李桂兰", "division": "450102001003", "password1": "Hechang-2026",
        "password2": "Hechang-2026"})
    assert response.status_code == 302 and response.url == path  # back to the invitation
    user = User.objects.get(phone=PHONE)
    response = client.post(path)
    assert response.status_code == 302 and response.url == reverse("portal:home")
    link_row = AccountLink.objects.get(user=user)
    assert link_row.organization == group and link_row.role == "head"
    assert link_row.history.first().history_user == user
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and not invitation.is_pending

    home = client.get(reverse("portal:home")).content.decode()
    assert "兴宁社区夕阳红合唱队" in home and "兴宁社区太极拳队" not in home
    response = client.post(reverse("portal:contact", args=[group.uid]), {
        "contact_name": "李桂兰", "contact_phone": PHONE, "address": "", "activity_schedule": "每周二晚上",
        "activity_place": "社区广场", "description": ""})
    assert response.status_code == 302
    page = client.get(reverse("portal:contact", args=[group.uid])).content.decode()
    assert "每周二晚上" in page and "李桂兰" in page
    assert client.get(reverse("portal:contact", args=[other.uid])).status_code == 404
    assert client.post(reverse("portal:contact", args=[other.uid]), {"contact_name": "x"}).status_code == 404
    assert Organization.objects.get(pk=other.pk).contact_name == ""
    # the invitation cannot be accepted twice
    assert client.post(path).status_code == 403


def test_another_account_cannot_accept_and_a_revoked_or_expired_invitation_is_dead(cast, client, group):
    street = cast["street"]
    client.force_login(street)
    client.post(reverse("orgs:invite", args=[group.uid]), {"phone": PHONE, "role": "liaison"})
    invitation = AccountInvitation.objects.get()
    path = reverse("orgs:invitation_accept", args=[invitation.token])
    # an organization account whose verified number is another one
    stranger = cast["organization"]
    User.objects.filter(pk=stranger.pk).update(phone="13900000000", phone_verified_at=timezone.now())
    client.force_login(stranger)
    refused = client.get(path)
    assert refused.status_code == 403 and "本账号未以该手机号码验证" in refused.content.decode()
    assert client.post(path).status_code == 403
    # the same number but never verified (typed by staff) is not enough either
    User.objects.filter(pk=stranger.pk).update(phone=PHONE, phone_verified_at=None)
    assert client.post(path).status_code == 403
    assert not AccountLink.objects.filter(organization=group).exists()
    # the street revokes; even the right account cannot accept any more
    User.objects.filter(pk=stranger.pk).update(phone_verified_at=timezone.now())
    client.force_login(street)
    assert client.post(reverse("orgs:invitation_revoke", args=[invitation.pk])).status_code == 302
    assert "已撤销" in client.get(reverse("orgs:invitations_list")).content.decode()
    client.force_login(stranger)
    assert client.post(path).status_code == 403
    # a new invitation, expired
    client.force_login(street)
    client.post(reverse("orgs:invite", args=[group.uid]), {"phone": PHONE, "role": "liaison"})
    fresh = AccountInvitation.objects.exclude(pk=invitation.pk).get()
    AccountInvitation.objects.filter(pk=fresh.pk).update(expires=timezone.now() - timedelta(minutes=1))
    client.force_login(stranger)
    assert client.post(reverse("orgs:invitation_accept", args=[fresh.token])).status_code == 403
    assert "已过期" in client.get(reverse("orgs:invitation_accept", args=[fresh.token])).content.decode()
    assert not AccountLink.objects.filter(organization=group).exists()


def test_who_may_invite(cast, login, group):
    registered = make_registered(cast["superuser"], name="兴宁区书法协会")
    data = {"phone": PHONE, "role": "head"}
    # a street of another district does not see the group: 404
    assert login(cast["outsider_street"]).post(reverse("orgs:invite", args=[group.uid]), data).status_code == 404
    assert login(cast["outsider_county"]).post(reverse("orgs:invite", args=[group.uid]), data).status_code == 404
    # the community's clerk may not invite for a registered organization (the table gives it its small groups)
    assert login(cast["community"]).post(reverse("orgs:invite", args=[registered.uid]), data).status_code == 403
    # the registering body invites for the organization it registered; the street for any in its area
    assert login(cast["registrar"]).post(reverse("orgs:invite", args=[registered.uid]), data).status_code == 302
    assert login(cast["street"]).post(reverse("orgs:invite", args=[group.uid]), data).status_code == 302
    assert AccountInvitation.objects.count() == 2
    # a second pending invitation of the same number is refused by name
    body = login(cast["street"]).post(reverse("orgs:invite", args=[group.uid]), data).content.decode()
    assert "已向139****0001发出邀请" in body
    # an organization's account has no invitation pages
    assert login(cast["organization"]).get(reverse("orgs:invitations_list")).status_code == 403


def test_a_bad_number_is_named(cast, login, group):
    body = login(cast["street"]).post(reverse("orgs:invite", args=[group.uid]),
                                      {"phone": "1234", "role": "head"}).content.decode()
    assert "请填写正确的11位手机号码" in body
    assert not AccountInvitation.objects.exists()


def test_the_audit_log_shows_links_made_by_accepted_invitations(cast, client, group):
    from cso.orgs import invitations

    invitation = invitations.invite(group, PHONE, "head", cast["street"])
    account = cast["organization"]
    User.objects.filter(pk=account.pk).update(phone=PHONE, phone_verified_at=timezone.now())
    account.refresh_from_db()
    invitations.accept(invitation, account)
    client.force_login(cast["county"])
    body = client.get(reverse("accounts:audit"), {"tab": "links"}).content.decode()
    assert "账号关联建立" in body and "接受账号邀请" in body and "兴宁社区夕阳红合唱队" in body
    assert "139****0001" in body and PHONE not in body
    client.force_login(cast["outsider_county"])
    body = client.get(reverse("accounts:audit"), {"tab": "links"}).content.decode()
    assert "兴宁社区夕阳红合唱队" not in body
