"""The organization detail page: all facts, masked ID numbers, hub, venue, history; 404 outside."""

from datetime import date

import pytest
from django.urls import reverse

from cso.orgs import services
from cso.orgs.models import AccountLink, Organization, Venue

from .factories import FOREIGN_COMMUNITY, id_number, make_filed, make_registered

ID = id_number()


@pytest.fixture
def org(cast):
    venue = Venue.objects.create(name="兴宁社区党群服务中心", division_id="450102001003", address="民生路1号")
    org = make_registered(cast["registrar"], name="兴宁区老年协会", categories=["life_service"],
                          service_targets=["elderly"], venue=venue,
                          leaders=[{"name": "王建国", "id_number": ID, "role": "legal_rep"}])
    make_filed(cast["street"], name="兴宁社区书画社", venue=venue)
    services.update_organization(org, {"address": "民生路2号", "categories": ["life_service", "charity"]},
                                 cast["registrar"], reason="换届后更新")
    services.change_status(org, "abnormal", date.today(), "未按时报送年报", cast["registrar"])
    return org


def test_the_detail_page_shows_facts_leaders_venue_and_history(org, cast, login):
    response = login(cast["registrar"]).get(reverse("orgs:detail", args=[org.uid]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("兴宁区老年协会", org.credit_code, "生活服务", "老年人", "王建国", "兴宁社区党群服务中心",
                 "兴宁社区书画社", "未按时报送年报", "活动异常", "民生路2号", "换届后更新", "公益慈善"):
        assert text in body, text
    assert ID in body  # the registering body, which may change it, sees the full number
    assert reverse("orgs:edit", args=[org.uid]) in body
    assert reverse("orgs:status", args=[org.uid]) in body


def test_the_supervising_bureau_and_the_street_see_but_are_offered_no_decision(org, cast, login):
    for role in ("county", "street", "community", "city"):
        body = login(cast[role]).get(reverse("orgs:detail", args=[org.uid])).content.decode()
        assert "兴宁区老年协会" in body
        assert ID not in body, role
        for name in ("orgs:edit", "orgs:status", "orgs:correct"):
            assert reverse(name, args=[org.uid]) not in body, (role, name)


def test_id_numbers_are_masked_for_accounts_without_change_rights(org, cast, login):
    AccountLink.objects.create(user=cast["organization"], organization=org, division_id=org.division_id)
    body = login(cast["organization"]).get(reverse("orgs:detail", args=[org.uid])).content.decode()
    assert ID not in body
    assert ID[:4] + "*" * 10 + ID[-4:] in body
    assert reverse("orgs:edit", args=[org.uid]) not in body


def test_a_filed_group_offers_registration_to_the_registering_body_only(cast, login):
    group = make_filed(cast["street"])
    body = login(cast["registrar"]).get(reverse("orgs:detail", args=[group.uid])).content.decode()
    assert reverse("orgs:register", args=[group.uid]) in body
    body = login(cast["street"]).get(reverse("orgs:detail", args=[group.uid])).content.decode()
    assert reverse("orgs:register", args=[group.uid]) not in body


def test_hub_members_and_the_hub_are_listed(cast, login):
    members = [make_filed(cast["street"], name=f"成员队{i}") for i in range(30)]
    hub = services.create_organization(
        {"name": "民生街道社区社会组织联合会", "track": "registered", "org_type": "social_group",
         "credit_code": __import__("cso.orgs.tests.factories", fromlist=["credit_code"]).credit_code("1"),
         "registration_authority": "南宁市兴宁区民政局", "registration_authority_division": "450102000000",
         "division": "450102001000", "registered_on": date(2022, 1, 1), "registered_capital": 10000,
         "is_hub": True, "members": members}, cast["registrar"])
    client = login(cast["county"])
    body = client.get(reverse("orgs:detail", args=[hub.uid])).content.decode()
    assert "会员组织（30 个）" in body and "成员队7" in body
    body = client.get(reverse("orgs:detail", args=[members[0].uid])).content.decode()
    assert "民生街道社区社会组织联合会" in body


def test_a_foreign_organization_is_a_404_on_every_page(cast, login):
    foreign = make_filed(cast["superuser"], division=FOREIGN_COMMUNITY)
    for role in ("county", "street", "community", "organization", "operator"):
        client = login(cast[role])
        for name in ("orgs:detail", "orgs:edit", "orgs:status", "orgs:register"):
            url = reverse(name, args=[foreign.uid])
            assert client.get(url).status_code == 404, (role, name)
            assert client.post(url, {"to_status": "cleared", "reason": "x"}).status_code in (404, 405), (role, name)
    foreign.refresh_from_db()
    assert foreign.status == "active"


def test_a_non_staff_account_cannot_open_the_edit_pages(org, cast, login):
    client = login(cast["organization"])
    assert client.get(reverse("orgs:edit", args=[org.uid])).status_code == 404
    assert client.get(reverse("orgs:status", args=[org.uid])).status_code == 404
    assert client.get(reverse("orgs:create")).status_code == 403


def test_the_detail_page_takes_a_bounded_number_of_queries(org, cast, login, django_assert_max_num_queries):
    """Leaders and organizations sharing the venue do not add queries.

    (Each field-history record costs two queries inside ``history.field_changes``; reported.)"""
    client = login(cast["county"])
    url = reverse("orgs:detail", args=[org.uid])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for i in range(5):
        services.save_leader(org, {"name": f"理事{i}", "role": "other"}, cast["registrar"])
        make_filed(cast["street"], name=f"共用场所队{i}", venue=org.venue)
    with django_assert_max_num_queries(len(before)):
        response = client.get(url)
    assert response.status_code == 200
    assert "理事4" in response.content.decode() and "共用场所队4" in response.content.decode()
    assert len(before) <= 50  # the blocks other apps add (credit, inspections, activities, grade, support, money)
    assert Organization.objects.get(pk=org.pk).leaders.count() == 6
