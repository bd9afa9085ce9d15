"""The roll-up of the submitted tables for a city, a province and the country."""

from datetime import date
from decimal import Decimal

import pytest

from cso.regions.models import Division
from cso.reports import rounds, services

from .conftest import R1, at

XINGNING_COUNTY = "450102000000"
QINGXIU = "450103000000"
CITY = "450100000000"
PROVINCE = "450000000000"


def submit(cast, user_name, code, day=(2025, 6, 18)):
    from cso.accounts.choices import Role
    from cso.demo.testing import make_user

    county = Division.objects.get(code=code)
    reviewer = make_user(f"{user_name}_reviewer", Role.CIVIL_AFFAIRS, code)
    with at(*day):
        report = services.generate(county, R1, cast[user_name], prepared_by_name="张敏")
        return services.submit(report, reviewer, reviewer_name="李强")


def first_round():
    return rounds.round_at(XINGNING_COUNTY, R1)


@pytest.fixture
def both(cast, registry):
    return submit(cast, "county", XINGNING_COUNTY), submit(cast, "outsider_county", QINGXIU, (2025, 6, 22))


def test_the_city_roll_up_sums_the_counts_of_the_submitted_tables(cast, both):
    ours, theirs = both
    rollup = services.rollup(Division.objects.get(code=CITY), first_round(), cast["city"], date(2025, 6, 25))
    assert [r.code for r in rollup.rows] == [XINGNING_COUNTY, QINGXIU]
    for column in rollup.columns:
        if column["kind"] == "count":
            key = column["key"]
            expected = ours.data["total"]["values"][key] + theirs.data["total"]["values"][key]
            assert rollup.total.values[key] == expected, key
    assert rollup.total.values["orgs_live"] == 5 + 2
    assert rollup.total.submitted == 2 and rollup.total.expected == 2
    # tables of one round share its reference date, whenever they were generated
    assert [r.as_of for r in rollup.rows] == [R1, R1]
    assert rollup.total.as_of == R1


def test_ratios_in_a_roll_up_are_recomputed_from_the_summed_parts(cast, both):
    ours, theirs = both
    rollup = services.rollup(Division.objects.get(code=CITY), first_round(), cast["city"], date(2025, 6, 25))
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
    rollup = services.rollup(Division.objects.get(code=CITY), first_round(), cast["city"], date(2025, 6, 25))
    assert rollup.total.submitted == 1 and rollup.total.expected == 2
    assert rollup.total.values["orgs_live"] == ours.data["total"]["values"]["orgs_live"]
    assert rollup.rows[1].values == {}
    assert [s.name for s in rollup.late] == ["青秀区"]


def test_a_province_rolls_up_by_city_and_lists_every_county(cast, both):
    rollup = services.rollup(Division.objects.get(code=PROVINCE), first_round(), cast["province"], date(2025, 6, 25))
    assert [(r.code, r.submitted, r.expected) for r in rollup.rows] == [(CITY, 2, 2), ("450200000000", 0, 1)]
    assert rollup.child_label == "市（州、盟）"
    assert {s.code for s in rollup.states} == {XINGNING_COUNTY, QINGXIU, "450202000000"}
    late = {s.name: s.timeliness_label for s in rollup.late}
    assert late == {"青秀区": "逾期报送", "城中区": "逾期未报"}


def test_a_city_user_rolls_up_only_its_own_counties(cast, both):
    rollup = services.rollup(None, first_round(), cast["city"], date(2025, 6, 25))
    assert {s.code for s in rollup.states} == {XINGNING_COUNTY, QINGXIU}


def test_a_returned_table_is_not_counted_until_it_is_sent_again(cast, both):
    ours, _theirs = both
    services.return_table(ours, cast["city"], reason="核对")
    rollup = services.rollup(Division.objects.get(code=CITY), first_round(), cast["city"], date(2025, 6, 25))
    assert rollup.total.submitted == 1 and rollup.rows[0].values == {}
