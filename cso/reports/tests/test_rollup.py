"""The roll-up of the submitted tables for a city, a province and the country."""

from datetime import date
from decimal import Decimal

import pytest

from cso.regions.models import Division
from cso.reports import services

from .conftest import at

XINGNING_COUNTY = "450102000000"
QINGXIU = "450103000000"
CITY = "450100000000"
PROVINCE = "450000000000"


def submit(cast, user_name, code, day=(2025, 6, 18)):
    county = Division.objects.get(code=code)
    with at(*day):
        report = services.generate(county, 2025, 2, cast[user_name], prepared_by_name="张敏")
        services.review(report, cast[user_name], reviewer_name="李强")
        return services.submit(report, cast[user_name])


@pytest.fixture
def both(cast, registry):
    return submit(cast, "county", XINGNING_COUNTY), submit(cast, "outsider_county", QINGXIU, (2025, 6, 22))


def test_the_city_roll_up_sums_the_counts_of_the_submitted_tables(cast, both):
    ours, theirs = both
    rollup = services.rollup(Division.objects.get(code=CITY), 2025, 2, cast["city"], date(2025, 6, 25))
    assert [r.code for r in rollup.rows] == [XINGNING_COUNTY, QINGXIU]
    for column in rollup.columns:
        if column["kind"] == "count":
            key = column["key"]
            expected = ours.data["total"]["values"][key] + theirs.data["total"]["values"][key]
            assert rollup.total.values[key] == expected, key
    assert rollup.total.values["orgs_live"] == 5 + 2
    assert rollup.total.submitted == 2 and rollup.total.expected == 2
    # tables generated on different days: each row keeps its own 统计截止日期, the total has none in common
    assert [r.as_of for r in rollup.rows] == [date(2025, 6, 18), date(2025, 6, 22)]
    assert rollup.total.as_of is None


def test_ratios_in_a_roll_up_are_recomputed_from_the_summed_parts(cast, both):
    ours, theirs = both
    rollup = services.rollup(Division.objects.get(code=CITY), 2025, 2, cast["city"], date(2025, 6, 25))
    total = rollup.total.values
    # 每万人拥有社会组织数 = registered organizations × 10000 / population: (1 + 0) × 10000 / (16000 + 8000)
    assert total["orgs_registered"] == 1 and total["population"] == 24000
    assert total["per_10k"] == Decimal("0.42")
    naive = Decimal(ours.data["total"]["values"]["per_10k"]) + Decimal(theirs.data["total"]["values"]["per_10k"])
    assert total["per_10k"] != naive
    # the row of one county reproduces that county's own ratios
    assert rollup.rows[0].values["per_10k"] == Decimal(ours.data["total"]["values"]["per_10k"])


def test_a_county_that_has_not_submitted_is_left_out_and_shown_late(cast, registry):
    ours = submit(cast, "county", XINGNING_COUNTY)
    rollup = services.rollup(Division.objects.get(code=CITY), 2025, 2, cast["city"], date(2025, 6, 25))
    assert rollup.total.submitted == 1 and rollup.total.expected == 2
    assert rollup.total.values["orgs_live"] == ours.data["total"]["values"]["orgs_live"]
    assert rollup.rows[1].values == {}
    assert [s.county_name for s in rollup.late] == ["青秀区"]


def test_a_province_rolls_up_by_city_and_lists_every_county(cast, both):
    rollup = services.rollup(Division.objects.get(code=PROVINCE), 2025, 2, cast["province"], date(2025, 6, 25))
    assert [(r.code, r.submitted, r.expected) for r in rollup.rows] == [(CITY, 2, 2), ("450200000000", 0, 1)]
    assert rollup.child_label == "市（州、盟）"
    assert {s.county_code for s in rollup.states} == {XINGNING_COUNTY, QINGXIU, "450202000000"}
    late = {s.county_name: s.timeliness_label for s in rollup.late}
    assert late == {"青秀区": "逾期报送", "城中区": "逾期未报"}


def test_a_city_user_rolls_up_only_its_own_counties(cast, both):
    rollup = services.rollup(None, 2025, 2, cast["city"], date(2025, 6, 25))
    assert {s.county_code for s in rollup.states} == {XINGNING_COUNTY, QINGXIU}
