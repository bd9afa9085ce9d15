"""Search-as-you-type on the organization form: venues, incubation bases and divisions are looked up
through the user's scope, and the form carries only the chosen option instead of the whole list."""

import pytest
from django.urls import reverse

from cso.orgs.models import IncubationBase, Organization, Venue

from .factories import COMMUNITY, FOREIGN_COMMUNITY, make_filed

LOOKUP = reverse("core:lookup")


@pytest.fixture
def places(tree):
    venues = [Venue.objects.create(name=f"兴宁社区活动室{i}", division_id=COMMUNITY, address=f"民生路{i}号")
              for i in range(300)]
    foreign = Venue.objects.create(name="新竹社区活动室", division_id=FOREIGN_COMMUNITY)
    base = IncubationBase.objects.create(name="兴宁区社会组织孵化基地", division_id="450102000000", level=3)
    foreign_base = IncubationBase.objects.create(name="青秀区社会组织孵化基地", division_id="450103000000", level=3)
    return {"venues": venues, "foreign": foreign, "base": base, "foreign_base": foreign_base}


def lookup(client, source, q):
    response = client.get(LOOKUP, {"source": source, "q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_a_county_clerk_finds_venues_of_the_county_by_name_or_address(places, cast, login):
    client = login(cast["county"])
    results = lookup(client, "orgs.venues", "活动室1")
    assert 0 < len(results) <= 20
    assert all(r["text"].startswith("兴宁社区活动室1") and r["text"].endswith("（兴宁社区居委会）") for r in results)
    assert lookup(client, "orgs.venues", "民生路299号") == [
        {"value": str(places["venues"][299].pk), "text": "兴宁社区活动室299（兴宁社区居委会）"}]


def test_an_outsider_finds_nothing_of_another_county(places, cast, login):
    client = login(cast["outsider_county"])
    assert lookup(client, "orgs.venues", "兴宁") == []
    assert lookup(client, "orgs.incubation_bases", "兴宁") == []
    assert lookup(client, "regions.divisions", "兴宁") == []
    assert lookup(client, "regions.divisions", "450102") == []
    assert [r["text"] for r in lookup(client, "orgs.venues", "活动室")] == ["新竹社区活动室（新竹社区居委会）"]


def test_incubation_bases_are_looked_up_in_scope(places, cast, login):
    results = lookup(login(cast["street"]), "orgs.incubation_bases", "孵化")
    assert results == []  # the county's base is above the street's subtree
    results = lookup(login(cast["city"]), "orgs.incubation_bases", "孵化基地")
    assert {r["text"] for r in results} == {"兴宁区社会组织孵化基地（兴宁区）", "青秀区社会组织孵化基地（青秀区）"}


def test_divisions_are_found_by_name_or_leading_code_digits(cast, login):
    client = login(cast["county"])
    assert [r["value"] for r in lookup(client, "regions.divisions", "朝阳")] == ["450102002000", "450102002001"]
    assert [r["value"] for r in lookup(client, "regions.divisions", "450102001")] == [
        "450102001000", "450102001003", "450102001004", "450102001201"]
    assert lookup(client, "regions.divisions", "兴宁社区")[0]["text"] == "兴宁社区居委会 · 民生街道（450102001003）"


def test_an_unknown_source_is_a_404_and_an_empty_term_finds_nothing(cast, login):
    client = login(cast["county"])
    assert client.get(LOOKUP, {"source": "accounts.users", "q": "a"}).status_code == 404
    assert client.get(LOOKUP).status_code == 404
    assert lookup(client, "orgs.venues", "  ") == []


def test_a_signed_out_visitor_is_sent_to_the_login_page(places, client):
    response = client.get(LOOKUP, {"source": "orgs.venues", "q": "兴宁"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_form_carries_only_the_chosen_venue_not_the_whole_list(places, cast, login):
    client = login(cast["city_registrar"])  # a registering body above the county: every venue of the city in reach
    body = client.get(reverse("orgs:create")).content.decode()
    assert "兴宁社区活动室1" not in body
    assert 'data-search-select' in body and "source=orgs.venues" in body
    assert len(body) < 60_000
    org = make_filed(cast["street"], name="兴宁社区合唱队", venue=places["venues"][7])
    client = login(cast["street"])  # the filing body edits its filed group
    body = client.get(reverse("orgs:edit", args=[org.uid])).content.decode()
    assert f'<option value="{places["venues"][7].pk}" selected>兴宁社区活动室7</option>' in body
    assert "兴宁社区活动室8" not in body
    assert 'value="450102001003" selected>兴宁社区居委会 · 民生街道（450102001003）</option>' in body


def test_the_form_still_refuses_a_venue_outside_the_users_scope(places, cast, login):
    client = login(cast["street"])
    response = client.post(reverse("orgs:create"), {
        "name": "兴宁社区舞蹈队", "track": "filed", "org_type": "activity_team", "division": COMMUNITY,
        "filed_on": "2021-03-01", "member_count": "12", "venue": places["foreign"].pk,
        "leaders-TOTAL_FORMS": "0", "leaders-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    assert "venue" in response.context["form"].errors
    assert not Organization.objects.filter(name="兴宁社区舞蹈队").exists()


def test_the_list_filter_names_the_chosen_division_and_keeps_a_typed_prefix(cast, login):
    client = login(cast["county"])
    body = client.get(reverse("orgs:list"), {"division": "450102001003"}).content.decode()
    assert 'value="450102001003" selected>兴宁社区居委会 · 民生街道（450102001003）</option>' in body
    body = client.get(reverse("orgs:list"), {"division": "4501020"}).content.decode()
    assert '<option value="4501020" selected>4501020</option>' in body
    assert 'data-create="1"' in body
    body = login(cast["outsider_county"]).get(reverse("orgs:list"), {"division": "450102001003"}).content.decode()
    assert "兴宁社区居委会" not in body


def test_the_registering_authority_is_picked_by_typing_among_the_bodies_that_may_register_there(cast, login):
    from cso.regions.models import Authority

    client = login(cast["registrar"])
    body = client.get(reverse("orgs:create")).content.decode()
    assert "source=regions.authorities" in body and 'data-forward="division"' in body
    response = client.get(LOOKUP, {"source": "regions.authorities", "q": "民政", "division": COMMUNITY})
    names = {r["text"] for r in response.json()["results"]}
    assert "南宁市兴宁区民政局" in names and "南宁市民政局" in names
    assert "南宁市青秀区民政局" not in names  # a sibling county's body does not register here
    # a county that moved registration to its approval bureau (seed 000): the 民政局 is no longer offered
    Authority.objects.filter(name="南宁市兴宁区民政局").update(registers=False)
    response = client.get(LOOKUP, {"source": "regions.authorities", "q": "兴宁区", "division": COMMUNITY})
    assert "南宁市兴宁区民政局" not in {r["text"] for r in response.json()["results"]}
