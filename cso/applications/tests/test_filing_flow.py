"""A group files itself online: the organization's account fills the form, the street asks for 补正, the
applicant completes, the street approves → the group is in the registry with history pointing to the case."""

import pytest
from django.urls import reverse

from cso.applications.models import Application, ApplicationEvent, State
from cso.orgs.models import AccountLink, Organization, RegistryDecision

COMMUNITY = "450102001003"  # 兴宁社区, filed with 民生街道 (Guangxi: the street files)


def form_data(**extra):
    data = {
        "division": COMMUNITY, "name": "兴宁社区夕阳红合唱队", "org_type": "activity_team",
        "leader_name": "李桂兰", "leader_phone": "13800000001", "member_count": "12",
        "activity": "合唱排练和社区演出", "schedule": "每周三下午3点", "place": "兴宁社区活动室",
        "category": "", "party_reported": "yes", "token": "t-1", "then": "submit",
    }
    data.update(extra)
    return data


def the_case():
    return Application.objects.get()


@pytest.mark.django_db
def test_a_group_files_online_gets_a_correction_request_and_is_approved_into_the_registry(cast, client):
    client.force_login(cast["organization"])
    response = client.post(reverse("applications:new"), form_data(member_count="8", then="draft"))
    assert response.status_code == 302
    case = the_case()
    assert case.state == State.DRAFT and case.number is None
    response = client.post(reverse("applications:submit", args=[case.ref]))
    case.refresh_from_db()
    assert case.state == State.SUBMITTED
    assert case.number.startswith("SQ") and case.authority_division_id == "450102001000"
    assert case.due_on is not None

    client.force_login(cast["street"])
    assert case.number in client.get(reverse("applications:queue")).content.decode()
    client.post(reverse("applications:accept", args=[case.number]))
    client.post(reverse("applications:ask_correction", args=[case.number]),
                {"missing": "成员名单\n活动时间写明到小时"})
    case.refresh_from_db()
    assert case.state == State.NEEDS_CORRECTION

    client.force_login(cast["organization"])
    page = client.get(reverse("applications:edit", args=[case.number])).content.decode()
    assert "成员名单" in page
    client.post(reverse("applications:edit", args=[case.number]),
                form_data(member_count="15", schedule="每周三15:00-17:00", token=""))
    case.refresh_from_db()
    assert case.state == State.SUBMITTED and case.payload["member_count"] == 15

    client.force_login(cast["street"])
    client.post(reverse("applications:accept", args=[case.number]))
    response = client.post(reverse("applications:approve", args=[case.number]), {"reason": "材料齐全"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.APPROVED
    org = Organization.objects.get(name="兴宁社区夕阳红合唱队")
    assert case.organization == org
    assert org.track == "filed" and org.member_count == 15 and org.division_id == COMMUNITY
    assert org.registration_authority_division_id == "450102001000"
    assert org.history.first().history_change_reason == f"依据申请 {case.number}"
    assert RegistryDecision.objects.filter(organization=org, reason=f"依据申请 {case.number}").exists()
    assert AccountLink.objects.filter(user=cast["organization"], organization=org, role="head").exists()
    verbs = list(ApplicationEvent.objects.filter(application=case).values_list("verb", flat=True))
    assert verbs == ["create", "submit", "accept", "ask_correction", "resubmit", "accept", "approve"]
    page = client.get(reverse("applications:detail", args=[case.number])).content.decode()
    assert "活动时间写明到小时" in page and "批准" in page


@pytest.mark.django_db
def test_a_sibling_street_and_another_organization_cannot_touch_the_case(cast, client):
    from cso.demo.testing import make_user

    client.force_login(cast["organization"])
    client.post(reverse("applications:new"), form_data())
    case = the_case()
    assert case.state == State.SUBMITTED
    other_org = make_user("other_org", "organization", COMMUNITY)
    for user in (cast["outsider_street"], other_org, cast["outsider_county"]):
        client.force_login(user)
        for name in ("detail", "edit"):
            assert client.get(reverse(f"applications:{name}", args=[case.number])).status_code == 404
        for name in ("submit", "accept", "ask_correction", "approve", "reject"):
            response = client.post(reverse(f"applications:{name}", args=[case.number]), {"missing": "x", "reason": "x"})
            assert response.status_code in (403, 404), (user, name)
    # the county bureau sees the case but is not the filing body here: it may not decide
    client.force_login(cast["county"])
    assert client.get(reverse("applications:detail", args=[case.number])).status_code == 200
    assert client.post(reverse("applications:accept", args=[case.number])).status_code == 403
    case.refresh_from_db()
    assert case.state == State.SUBMITTED and case.events.count() == 2
    assert not Organization.objects.filter(name="兴宁社区夕阳红合唱队").exists()


@pytest.mark.django_db
def test_the_same_form_posted_twice_creates_one_application(cast, client):
    client.force_login(cast["organization"])
    client.post(reverse("applications:new"), form_data())
    client.post(reverse("applications:new"), form_data())
    assert Application.objects.count() == 1
    assert the_case().events.filter(verb="submit").count() == 1


@pytest.mark.django_db
def test_a_name_already_in_the_community_is_refused_at_submission(cast, client):
    from cso.orgs.tests.factories import make_filed

    make_filed(cast["superuser"], name="兴宁社区夕阳红合唱队", division=COMMUNITY)
    client.force_login(cast["organization"])
    response = client.post(reverse("applications:new"), form_data(), follow=True)
    assert "本社区已有名为“兴宁社区夕阳红合唱队”的组织" in response.content.decode()
    assert the_case().state == State.DRAFT


@pytest.mark.django_db
def test_shanghai_style_minimum_of_members_is_a_setting_off_by_default(cast, client, settings):
    client.force_login(cast["organization"])
    client.post(reverse("applications:new"), form_data(member_count="3", token="a"))
    assert Application.objects.get(client_token="a").state == State.SUBMITTED
    settings.CSO_FILING_MIN_MEMBERS = {"45": 10}
    response = client.post(reverse("applications:new"), form_data(name="另一支队伍", member_count="3", token="b"),
                           follow=True)
    assert "本省群众活动团队成员不少于10人" in response.content.decode()
    assert Application.objects.get(client_token="b").state == State.DRAFT
