"""The portal of an organization's account: its organizations, its open applications with what is missing, and
the contact page it edits itself (history kept); another organization's page does not exist for it."""

import pytest
from django.urls import reverse

from cso.applications.models import Application, ApplicationEvent, State
from cso.orgs.models import AccountLink, Organization
from cso.orgs.tests.factories import make_filed


@pytest.fixture
def mine(cast):
    org = make_filed(cast["superuser"], name="兴宁社区夕阳红文艺队", contact_phone="13800000001")
    AccountLink.objects.create(user=cast["organization"], organization=org, division_id=org.division_id, role="head")
    return org


@pytest.fixture
def other(cast):
    return make_filed(cast["superuser"], name="兴宁社区太极拳队", contact_phone="13800000002")


def test_the_home_page_of_an_organization_account_points_to_the_portal(cast, login):
    body = login(cast["organization"]).get(reverse("core:home")).content.decode()
    assert reverse("portal:home") in body and "我的组织" in body
    assert reverse("portal:home") not in login(cast["street"]).get(reverse("core:home")).content.decode()


def test_my_page_lists_my_organizations_and_open_applications_with_what_is_missing(cast, login, mine, other):
    case = Application.objects.create(kind="filing", applicant=cast["organization"], division_id=mine.division_id,
                                      state=State.NEEDS_CORRECTION, number="SQ0001", payload={"name": "新团队"})
    ApplicationEvent.objects.create(application=case, verb="ask_correction", from_state=State.ACCEPTED,
                                    to_state=State.NEEDS_CORRECTION, missing=["成员名单"], reason="请补成员名单")
    Application.objects.create(kind="filing", applicant=cast["operator"], division_id=mine.division_id,
                               state=State.SUBMITTED, number="SQ0002", payload={"name": "别人的申请"})
    body = login(cast["organization"]).get(reverse("portal:home")).content.decode()
    assert "兴宁社区夕阳红文艺队" in body and "本账号为负责人" in body
    assert "兴宁社区太极拳队" not in body
    assert "新团队" in body and "需补正：成员名单" in body and "别人的申请" not in body
    assert "?kind=filing" in body and f"?kind=change&amp;org={mine.uid}" in body


def test_the_organization_edits_its_contact_data_and_the_history_shows_it(cast, login, mine):
    client = login(cast["organization"])
    page = client.get(reverse("portal:contact", args=[mine.uid])).content.decode()
    assert "变更" in page and f"?kind=change&amp;org={mine.uid}" in page
    assert 'name="name"' not in page and 'name="business_scope"' not in page
    response = client.post(reverse("portal:contact", args=[mine.uid]), {
        "contact_name": "李桂兰", "contact_phone": "0771-5551234", "address": "兴宁路1号",
        "activity_schedule": "每周三下午3点", "activity_place": "兴宁社区活动室", "description": "合唱和舞蹈",
        "name": "改名企图",
    })
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.contact_name, mine.contact_phone) == ("李桂兰", "0771-5551234")
    assert mine.activity_schedule == "每周三下午3点"
    assert mine.name == "兴宁社区夕阳红文艺队"
    record = mine.history.first()
    assert record.history_user == cast["organization"]
    assert record.history_change_reason == "组织账号修改联系方式和活动信息"
    page = client.get(reverse("portal:contact", args=[mine.uid])).content.decode()
    assert "每周三下午3点" in page and "活动时间" in page
    # the staff see it in the organization's history
    detail = login(cast["street"]).get(reverse("orgs:detail", args=[mine.uid])).content.decode()
    assert "每周三下午3点" in detail


def test_a_bad_phone_is_named_and_nothing_is_saved(cast, login, mine):
    client = login(cast["organization"])
    body = client.post(reverse("portal:contact", args=[mine.uid]), {"contact_name": "甲", "contact_phone": "12"}
                       ).content.decode()
    assert "电话号码“12”格式不正确" in body
    mine.refresh_from_db()
    assert mine.contact_name == ""


def test_another_organizations_contact_page_does_not_exist_for_me(cast, login, mine, other):
    client = login(cast["organization"])
    assert client.get(reverse("portal:contact", args=[other.uid])).status_code == 404
    response = client.post(reverse("portal:contact", args=[other.uid]), {"contact_name": "x", "contact_phone": ""})
    assert response.status_code == 404
    assert Organization.objects.get(pk=other.pk).contact_name == ""
    # nor for staff: they edit through the registry's pages
    assert login(cast["street"]).get(reverse("portal:contact", args=[mine.uid])).status_code == 404


def test_staff_have_no_portal(cast, login):
    assert login(cast["street"]).get(reverse("portal:home")).status_code == 403
