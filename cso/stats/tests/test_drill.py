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
    for row in [result.parent, *[r for r in result.rows if not r.is_direct]]:
        for key in keys:
            url = drill_url(key, row.code, D)
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.context["page"].count == row.values[key], (row.code, key, url)


def test_drill_urls_carry_the_division_date_and_filters(db):
    url = drill_url("orgs_registered", COUNTY, D)
    assert url.startswith("/orgs/?") and "division=450102000000" in url and "as_of=2025-06-30" in url
    assert "status=live" in url and "track=registered" in url
    assert drill_url("communities_urban", COUNTY, D).startswith("/stats/communities/?")
    assert drill_url("new_in_period", COUNTY, D) is None
    assert "division" not in drill_url("orgs_live", "", D)
