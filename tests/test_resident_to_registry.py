"""The whole path of issue 10 for one group, through the HTTP layer and the background tasks: a leader signs up
with a mobile number (code by SMS), files a 群众活动团队 with a photographed roster, the street asks for 补正 (the
leader is told), the leader completes, the street approves → the group is in the registry with history pointing
to the case, on the leader's /my/ page, and the public progress lookup shows the outcome and nothing else."""

import re

import pytest
from django.urls import reverse

from cso.accounts.models import User
from cso.applications.models import Application, State
from cso.applications.tests.probes import PNG
from cso.core.messaging import clear_sent, sent_messages
from cso.notices.models import Notification
from cso.orgs.models import Organization

PHONE = "13912340001"
COMMUNITY = "450102001003"  # 兴宁社区 under 民生街道, which files groups in 广西


@pytest.fixture(autouse=True)
def _outbox():
    clear_sent()
    yield
    clear_sent()


def _filing(**extra):
    data = {"kind": "filing", "division": COMMUNITY, "name": "兴宁社区晨曦腰鼓队", "org_type": "activity_team",
            "leader_name": "黄秀英", "leader_phone": PHONE, "member_count": "6", "activity": "腰鼓排练",
            "schedule": "每周二上午", "place": "兴宁社区广场", "category": "", "party_reported": "yes",
            "token": "resident-1", "then": "draft"}
    data.update(extra)
    return data


def test_a_resident_signs_up_files_a_group_and_ends_in_the_registry(cast, client,
                                                                    django_capture_on_commit_callbacks):
    # 1. sign-up with a one-time code by SMS
    signup = reverse("accounts:signup")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(signup, {"step": "send", "phone": PHONE})
    code = re.search(r"验证码为(\d{6})", sent_messages("sms", PHONE)[-1].body).group(1)
    response = client.post(signup, {"code": code, "full_name": "黄秀英", "division": COMMUNITY,
                                    "password1": "Yaogu-2026!", "password2": "Yaogu-2026!"})
    assert response.status_code == 302
    leader = User.objects.get(username=PHONE)

    # 2. the filing: a draft, the roster photographed, then submitted
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:new"), _filing())
        case = Application.objects.get(applicant=leader)
        response = client.post(reverse("applications:material_upload", args=[case.ref]),
                               {"material": "roster", "file": _png("roster.png")})
        assert case.attachments.count() == 1, response.content.decode()[:500]
        client.post(reverse("applications:submit", args=[case.ref]))
    case.refresh_from_db()
    assert case.state == State.SUBMITTED and case.authority_division_id == "450102001000"
    assert Notification.objects.filter(recipient=cast["street"], link__contains=case.number).exists()

    # 3. the street accepts and asks for 补正; the leader is told what is missing (in the platform and by SMS)
    client.force_login(cast["street"])
    assert case.number in client.get(reverse("applications:queue")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:accept", args=[case.number]))
        client.post(reverse("applications:ask_correction", args=[case.number]), {"missing": "成员不少于8人的名单"})
    assert Notification.objects.filter(recipient=leader, body__contains="成员不少于8人的名单").exists()
    assert any("补正" in m.body for m in sent_messages("sms", PHONE))

    # 4. the leader completes and resubmits
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:edit", args=[case.number]), _filing(member_count="9", token=""))
        client.post(reverse("applications:submit", args=[case.number]))
    case.refresh_from_db()
    assert case.state == State.SUBMITTED and case.payload["member_count"] == 9

    # 5. the street approves: the group is in the registry, its history points to the case
    client.force_login(cast["street"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:accept", args=[case.number]))
        client.post(reverse("applications:approve", args=[case.number]), {"reason": "材料齐全"})
    case.refresh_from_db()
    assert case.state == State.APPROVED
    group = Organization.objects.get(name="兴宁社区晨曦腰鼓队")
    assert case.organization == group and group.track == "filed" and group.member_count == 9
    assert group.history.first().history_change_reason == f"依据申请 {case.number}"

    # 6. the leader sees the group as its own; the public lookup tells the outcome and nothing else
    client.force_login(leader)
    assert "兴宁社区晨曦腰鼓队" in client.get(reverse("portal:home")).content.decode()
    client.logout()
    page = client.post(reverse("progress:lookup"), {"number": case.number, "phone": PHONE}).content.decode()
    assert "已批准" in page and "黄秀英" not in page and "腰鼓排练" not in page


def _png(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PNG, content_type="image/png")
