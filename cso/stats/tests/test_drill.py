"""Every organization number links to the registry list with the same filters and as-of date, and
that list holds exactly as many organizations as the number says."""

import pytest

from cso.stats.indicators import INDICATORS, compute, drill_url

from . import fixtures as fx
from .fixtures import COUNTY, D


@pytest.fixture
def registry(cast):
    return fx.build(cast)


def org_keys(result):
    keys = [k for k, i in INDICATORS.items() if i.kind == "count"] + [i.key for i in result.dynamic]
    return [k for k in keys if (drill_url(k, COUNTY, D) or "").startswith("/orgs/")]


def test_each_organization_count_equals_the_length_of_its_list(registry, cast, login):
    client = login(cast["county"])
    result = compute(COUNTY, D)
    keys = org_keys(result)
    assert {"orgs_live", "orgs_registered", "status_deregistered", "category:charity", "party_covered"} <= set(keys)
    assert any(r.is_direct for r in result.rows)  # 兴宁区本级: an organization registered on the county
    for row in [result.parent, *result.rows]:
        for key in keys:
            url = drill_url(key, row.code, D, direct=row.is_direct)
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.context["page"].count == row.values[key], (row.code, key, url)


def test_drill_urls_carry_the_division_date_and_filters(db):
    url = drill_url("orgs_registered", COUNTY, D)
    assert url.startswith("/orgs/?") and "division=450102000000" in url and "as_of=2025-06-30" in url
    assert "status=live" in url and "track=registered" in url
    assert drill_url("communities_urban", COUNTY, D).startswith("/stats/communities/?")
    assert drill_url("incubation_bases", COUNTY, D).startswith("/stats/bases/?")
    assert "own=yes" in drill_url("orgs_live", COUNTY, D, direct=True)
    assert drill_url("communities", COUNTY, D, direct=True) is None
    assert "division" not in drill_url("orgs_live", "", D)


def test_new_and_ended_numbers_link_to_lists_of_that_many_organizations(registry, cast, login):
    client = login(cast["county"])
    result = compute(COUNTY, D)
    for key in ("new_in_period", "ended_in_period"):
        for row in [result.parent, *result.rows]:
            response = client.get(drill_url(key, row.code, D, result.period_start, direct=row.is_direct))
            assert response.status_code == 200
            assert response.context["page_obj"].paginator.count == row.values[key], (key, row.code)
    body = client.get(drill_url("new_in_period", COUNTY, D)).content.decode()
    assert "本期新增的组织" in body and "兴宁社区太极拳队" in body
    assert client.get(drill_url("new_in_period", fx.FOREIGN_COUNTY, D)).status_code == 404


def test_a_period_chosen_on_the_page_reaches_the_change_list(registry, cast, login):
    client = login(cast["county"])
    response = client.get("/stats/", {"as_of": "2025-06-30", "period_start": "2021-01-01"})
    assert response.context["total"]["row"].values["new_in_period"] == 6
    url = drill_url("new_in_period", COUNTY, D, response.context["result"].period_start)
    assert client.get(url).context["page_obj"].paginator.count == 6
    response = client.get("/stats/", {"as_of": "2025-06-30", "period_start": "2025-07-01"})
    assert "本期起始日不能晚于截至日期" in response.content.decode()


def test_each_incubation_base_number_links_to_a_list_of_that_many_bases(registry, cast, login):
    client = login(cast["county"])
    result = compute(COUNTY, D)
    for row in [result.parent, *result.rows]:
        response = client.get(drill_url("incubation_bases", row.code, D, direct=row.is_direct))
        assert response.status_code == 200
        assert response.context["page_obj"].paginator.count == row.values["incubation_bases"], row.code
    body = client.get(drill_url("incubation_bases_community", COUNTY, D)).content.decode()
    assert "朝阳社区孵化点" in body and "兴宁区社会组织孵化基地" not in body
    body = client.get(drill_url("incubation_bases", COUNTY, D).replace("levels=3", "levels=3,4,5")).content.decode()
    # 民生街道孵化基地 opens on 2025-07-01, after the day
    assert "兴宁区社会组织孵化基地" in body and "朝阳社区孵化点" in body and "民生街道孵化基地" not in body
    own = client.get(drill_url("incubation_bases", COUNTY, D, direct=True))
    assert [b.name for b in own.context["rows"]] == ["兴宁区社会组织孵化基地"]
    assert client.get(drill_url("incubation_bases", fx.FOREIGN_COUNTY, D)).status_code == 404
