"""The hub members page (so a 街道（乡镇）联合会 can be registered) and the province's registry rules page."""

from datetime import date

from django.urls import reverse

from cso.orgs.models import HubMembership, RegistryRules

from .factories import make_filed, make_registered

RULES = reverse("orgs:rules")


def test_the_body_that_decides_on_a_hub_records_its_members_on_a_page(cast, login):
    hub = make_filed(cast["street"], name="民生街道社区社会组织联合会", tier="street")
    member = make_filed(cast["street"], name="兴宁社区合唱团")
    client = login(cast["street"])
    page = client.get(reverse("orgs:members", args=[hub.uid]))
    assert page.status_code == 200 and "不少于 30 个" in page.content.decode()
    response = client.post(reverse("orgs:members", args=[hub.uid]), {"member": member.uid, "joined_on": "2024-01-01"})
    assert response.status_code == 302
    link = HubMembership.objects.get(hub=hub, member=member)
    assert link.joined_on == date(2024, 1, 1)
    client.post(reverse("orgs:members", args=[hub.uid]), {"end": link.pk})
    link.refresh_from_db()
    assert link.left_on == date.today()


def test_the_community_sees_the_members_but_records_none(cast, login):
    hub = make_registered(cast["registrar"], name="兴宁社区公益促进会")
    member = make_filed(cast["street"])
    client = login(cast["community"])
    assert client.get(reverse("orgs:members", args=[hub.uid])).status_code == 200
    response = client.post(reverse("orgs:members", args=[hub.uid]), {"member": member.uid, "joined_on": "2024-01-01"})
    assert response.status_code == 403
    assert not HubMembership.objects.exists()


def test_the_province_sets_its_registry_rules_with_history(cast, login):
    client = login(cast["province"])
    page = client.get(RULES)
    assert page.status_code == 200 and "广西壮族自治区" in page.content.decode()
    response = client.post(RULES, {"province": "45", "min_registered_capital": "3000", "federation_min_members": "",
                                   "filing_level": "3", "reason": "新规"})
    assert response.status_code == 302
    rules = RegistryRules.objects.get(province_id="450000000000")
    assert rules.min_registered_capital == 3000 and rules.federation_min_members is None and rules.filing_level == 3
    assert rules.history.first().history_user == cast["province"]


def test_cities_counties_and_other_provinces_cannot_set_the_rules(cast, login):
    for role in ("city", "county", "registrar", "street"):
        assert login(cast[role]).post(RULES, {"province": "45", "filing_level": "3"}).status_code == 403, role
    assert RegistryRules.objects.get(province_id="450000000000").filing_level == 4
    assert login(cast["province"]).get(RULES, {"province": "44"}).status_code in (403, 404)
