"""The per-community list behind the community numbers: counts, own targets, gaps, what is missing."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from cso.stats.indicators import CommunityList, community_stats

from . import fixtures as fx
from .fixtures import COUNTY, D


@pytest.fixture
def registry(cast):
    return fx.build(cast)


def test_communities_are_ordered_by_gap_largest_first(registry):
    rows = community_stats(COUNTY, D)
    assert [(r.code, r.cso, r.target, r.gap) for r in rows] == [
        (fx.CHAOYANG, 1, Decimal("10.00"), Decimal("9.00")),
        (fx.BEINING, 0, Decimal("3.00"), Decimal("3.00")),
        (fx.HUQIU, 0, Decimal("1.00"), Decimal("1.00")),
        (fx.XINGNING, 3, Decimal("3.00"), Decimal("0")),
        (fx.GUANQIAO, 1, Decimal("1.00"), Decimal("0")),
    ]
    assert [r.at_target for r in rows] == [False, False, False, True, True]
    assert [r.urban for r in rows] == [True, True, False, True, False]


def test_a_community_lists_the_categories_and_service_targets_it_lacks(registry):
    xingning = next(r for r in community_stats(COUNTY, D) if r.code == fx.XINGNING)
    assert xingning.categories_present == ["公益慈善", "文体娱乐"]
    assert "生活服务" in xingning.categories_missing and "公益慈善" not in xingning.categories_missing
    assert xingning.targets_present == ["老年人", "儿童"]
    from cso.orgs.models import ServiceTarget

    assert len(xingning.targets_missing) == ServiceTarget.objects.count() - 2  # the vocabulary is the table's


def test_below_target_only_and_limit_give_the_to_do_list(registry):
    rows = community_stats(COUNTY, D, below_target_only=True, limit=2)
    assert [r.code for r in rows] == [fx.CHAOYANG, fx.BEINING]


def test_filters_by_urban_at_target_and_facility(registry):
    assert [r.code for r in community_stats(COUNTY, D, urban="rural")] == [fx.HUQIU, fx.GUANQIAO]
    assert {r.code for r in community_stats(COUNTY, D, at_target=True)} == {fx.XINGNING, fx.GUANQIAO}
    assert {r.code for r in community_stats(COUNTY, D, facility_ok=True)} == {fx.XINGNING, fx.GUANQIAO, fx.HUQIU}
    assert {r.code for r in community_stats(COUNTY, D, facility_ok=False)} == {fx.BEINING, fx.CHAOYANG}


def test_the_list_pages_lazily_with_a_count(registry, django_assert_max_num_queries):
    rows = CommunityList(COUNTY, D)
    with django_assert_max_num_queries(2):  # the targets that apply, then the count
        assert len(rows) == 5
    with django_assert_max_num_queries(4):
        page = rows[2:4]
    assert [r.code for r in page] == [fx.HUQIU, fx.XINGNING]


def test_facility_per_100_households_is_shown(registry):
    rows = {r.code: r for r in community_stats(COUNTY, D)}
    assert rows[fx.XINGNING].facility_per_100 == Decimal("33.3")
    assert rows[fx.CHAOYANG].facility_per_100 is None and not rows[fx.CHAOYANG].facility_ok


def test_an_earlier_day_counts_the_organizations_of_that_day(registry):
    rows = {r.code: r for r in community_stats(COUNTY, date(2025, 6, 29))}
    assert rows[fx.BEINING].cso == 1  # D deregistered on 06-30


def test_outsiders_get_a_404(registry, cast):
    with pytest.raises(Http404):
        community_stats(COUNTY, D, user=cast["outsider_county"])
