"""National and provincial indicator pages are served from a roll-up computed by the task worker
and kept for a while; below the province they are always computed afresh. The scope check runs on
every request."""

from datetime import date

import pytest

from cso.orgs.tests.factories import make_filed
from cso.stats import rollups
from cso.stats.indicators import compute_cached

from . import fixtures as fx
from .fixtures import COUNTY, D

PROVINCE = "450000000000"


@pytest.fixture
def registry(cast):
    return fx.build(cast)  # the cache is emptied around every test (conftest.py)


def live(result):
    return result.parent.values["orgs_live"]


def test_a_provincial_result_is_cached_and_a_county_result_is_not(registry, cast):
    province, at = compute_cached(PROVINCE, D, user=cast["province"])
    county, county_at = compute_cached(COUNTY, D, user=cast["county"])
    assert at is not None and county_at is None
    make_filed(cast["street"], name="兴宁社区新建合唱团", filed_on=date(2025, 1, 5))
    again, again_at = compute_cached(PROVINCE, D, user=cast["province"])
    assert live(again) == live(province) and again_at == at  # the cached copy
    assert live(compute_cached(COUNTY, D, user=cast["county"])[0]) == live(county) + 1
    rollups.forget()  # as when the kept result has expired
    assert live(compute_cached(PROVINCE, D, user=cast["province"])[0]) == live(province) + 1


def test_the_cache_does_not_open_a_province_to_a_county_user(registry, cast):
    from django.http import Http404

    compute_cached(PROVINCE, D, user=cast["province"])
    with pytest.raises(Http404):
        compute_cached(PROVINCE, D, user=cast["county"])


def test_the_page_says_when_a_cached_result_was_computed(registry, cast, login):
    body = login(cast["province"]).get("/stats/", {"as_of": D.isoformat()}).content.decode()
    assert 'data-testid="computed-at"' in body
    body = login(cast["county"]).get("/stats/", {"as_of": D.isoformat()}).content.decode()
    assert 'data-testid="computed-at"' not in body
