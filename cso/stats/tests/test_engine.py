"""Every indicator against hand-counted expectations (see fixtures.py for the registry)."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from cso.stats.choices import UrbanRule
from cso.stats.indicators import INDICATORS, compute, quarter_bounds
from cso.stats.models import ProvinceSetting

from . import fixtures as fx
from .fixtures import CHAOYANG_STREET, COUNTY, MINSHENG, PERIOD, D


@pytest.fixture
def registry(cast):
    return fx.build(cast)


def values(result, code=None):
    if code is None:
        return result.parent.values
    return next(r for r in result.rows if r.code == code and not r.is_direct).values


TOTAL = {
    "communities": 5, "communities_urban": 3, "communities_rural": 2, "population": 28000, "households": 9000,
    "orgs_live": 6, "orgs_registered": 2, "orgs_filed": 4, "cso_live": 6, "orgs_incubated": 1, "orgs_hub": 0,
    "tier_registered": 2, "tier_street": 1, "tier_community": 3,
    "status_active": 5, "status_abnormal": 1, "status_suspended": 0, "status_deregistered": 1,
    "status_revoked": 0, "status_cleared": 1,
    "new_in_period": 2, "ended_in_period": 2, "deregistered_in_period": 1, "cleared_in_period": 1,
    "per_10k": Decimal("0.71"), "cso_urban": 4, "cso_rural": 1, "avg_urban": Decimal("1.33"),
    "avg_rural": Decimal("0.50"), "communities_at_target": 2, "communities_at_target_share": Decimal("40.0"),
    "incubation_bases": 1, "incubation_bases_county": 1, "incubation_bases_street": 0,
    "incubation_bases_community": 1, "facility_ok": 3, "facility_share": Decimal("60.0"),
    "party_covered": 2, "party_coverage": Decimal("33.3"),
    "category:culture_sports": 1, "category:charity": 1, "category:mutual_aid": 0,
    "target:elderly": 1, "target:children": 1, "target:women": 0,
}

MINSHENG_ROW = {
    "communities": 3, "communities_urban": 2, "communities_rural": 1, "population": 19000, "households": 6000,
    "orgs_live": 4, "orgs_registered": 1, "orgs_filed": 3, "cso_live": 4, "orgs_incubated": 0,
    "tier_registered": 1, "tier_street": 1, "tier_community": 2, "status_active": 4, "status_deregistered": 1,
    "status_cleared": 0, "new_in_period": 1, "ended_in_period": 1, "per_10k": Decimal("0.53"),
    "cso_urban": 3, "cso_rural": 1, "avg_urban": Decimal("1.50"), "avg_rural": Decimal("1.00"),
    "communities_at_target": 2, "communities_at_target_share": Decimal("66.7"), "incubation_bases": 0,
    "facility_ok": 2, "facility_share": Decimal("66.7"), "party_covered": 1, "party_coverage": Decimal("25.0"),
}

CHAOYANG_ROW = {
    "communities": 2, "communities_urban": 1, "communities_rural": 1, "population": 9000, "households": 3000,
    "orgs_live": 1, "orgs_registered": 0, "orgs_filed": 1, "cso_live": 1, "tier_community": 1,
    "status_active": 0, "status_abnormal": 1, "status_cleared": 1, "new_in_period": 1, "ended_in_period": 1,
    "per_10k": Decimal("0.00"), "cso_urban": 1, "cso_rural": 0, "avg_urban": Decimal("1.00"),
    "avg_rural": Decimal("0.00"), "communities_at_target": 0, "communities_at_target_share": Decimal("0.0"),
    "incubation_bases": 0, "incubation_bases_community": 1, "facility_ok": 1, "facility_share": Decimal("50.0"),
    "party_covered": 1,
    "party_coverage": Decimal("100.0"),
}


def test_the_county_total_row_matches_the_hand_count_for_every_indicator(registry):
    result = compute(COUNTY, D)
    got = values(result)
    assert {k: got[k] for k in TOTAL} == TOTAL
    assert set(INDICATORS) <= set(got)


def test_each_street_row_matches_the_hand_count(registry):
    result = compute(COUNTY, D)
    got = values(result, MINSHENG)
    assert {k: got[k] for k in MINSHENG_ROW} == MINSHENG_ROW
    got = values(result, CHAOYANG_STREET)
    assert {k: got[k] for k in CHAOYANG_ROW} == CHAOYANG_ROW


def test_organizations_on_the_county_itself_get_a_row_of_their_own_and_counts_add_up(registry):
    result = compute(COUNTY, D)
    direct = result.rows[0]
    assert direct.is_direct and direct.name == "兴宁区本级"
    assert (direct.values["orgs_live"], direct.values["orgs_incubated"], direct.values["incubation_bases"]) == (1, 1, 1)
    assert [r.code for r in result.rows[1:]] == [MINSHENG, CHAOYANG_STREET]
    for key, indicator in INDICATORS.items():
        if indicator.kind == "count":
            assert sum(r.values[key] for r in result.rows) == result.parent.values[key], key


def test_the_day_before_a_deregistration_still_counts_the_organization(registry):
    got = compute(COUNTY, date(2025, 6, 29)).parent.values
    assert got["orgs_live"] == 7
    assert got["status_deregistered"] == 0
    assert got["ended_in_period"] == 1  # only I (cleared on the period's first day)


def test_a_later_quarter_sees_the_suspension_and_the_new_base(registry):
    result = compute(COUNTY, date(2025, 7, 31))
    got = result.parent.values
    assert result.period_start == date(2025, 7, 1)
    assert got["status_suspended"] == 1 and got["status_active"] == 4
    assert got["orgs_live"] == 6  # suspended organizations are still live
    assert got["new_in_period"] == 0 and got["ended_in_period"] == 0
    assert got["incubation_bases"] == 1  # county-run bases only (the default reading)
    assert got["incubation_bases_street"] == 1 and got["incubation_bases_community"] == 1


def test_an_earlier_quarter_does_not_see_organizations_filed_later(registry):
    got = compute(COUNTY, date(2025, 3, 31)).parent.values
    # A, B, D, E, F, I were live; C and G were not yet filed
    assert got["orgs_live"] == 6
    assert got["status_cleared"] == 0 and got["status_abnormal"] == 0
    assert got["new_in_period"] == 0


def test_a_period_start_chosen_by_hand_counts_new_organizations_since_then(registry):
    got = compute(COUNTY, D, period_start=date(2021, 1, 1)).parent.values
    assert got["new_in_period"] == 6  # B, C, D, E, G, I


def test_switching_the_urban_rule_to_the_urban_rural_code_changes_the_urban_communities(registry):
    ProvinceSetting.objects.create(division_id="450000000000", urban_rule=UrbanRule.URBAN_RURAL_CODE)
    result = compute(COUNTY, D)
    got = result.parent.values
    assert (got["communities_urban"], got["communities_rural"]) == (4, 1)  # 官桥 (112) turns urban
    assert (got["cso_urban"], got["cso_rural"]) == (5, 0)
    assert result.urban_rule == "urban_rural_code"
    assert "城乡分类代码" in result.urban_rule_label


def test_the_urban_rule_label_names_the_committee_reading_by_default(registry):
    result = compute(COUNTY, D)
    assert result.urban_rule == "committee"
    assert "居委会" in result.urban_rule_label


def test_the_city_sees_its_counties_and_the_national_view_its_provinces(registry):
    city = compute("450100000000", D)
    assert [r.code for r in city.rows] == [COUNTY, fx.FOREIGN_COUNTY]
    assert values(city, fx.FOREIGN_COUNTY)["orgs_live"] == 1
    assert city.parent.values["orgs_live"] == 7
    national = compute("", D)
    assert [r.code for r in national.rows] == ["450000000000"]
    assert national.parent.values["orgs_live"] == 7
    assert national.parent.name == "全国"


def test_a_street_shows_its_communities(registry):
    result = compute(MINSHENG, D)
    assert [r.code for r in result.rows] == [fx.XINGNING, fx.BEINING, fx.GUANQIAO]
    assert [r.values["cso_live"] for r in result.rows] == [3, 0, 1]
    assert [r.values["communities_at_target"] for r in result.rows] == [1, 0, 1]


def test_targets_are_reported_with_the_result(registry):
    result = compute(COUNTY, D)
    assert result.targets["avg_rural"] == Decimal("1")
    assert result.targets["avg_urban"] == Decimal("10")
    minsheng = next(r for r in result.rows if r.code == MINSHENG)
    assert minsheng.targets["avg_urban"] == Decimal("3")
    assert minsheng.gap("avg_urban") == Decimal("1.50")
    assert minsheng.gap("per_10k") == Decimal("5.97")


def test_a_user_outside_the_subtree_gets_a_404(registry, cast):
    with pytest.raises(Http404):
        compute(COUNTY, D, user=cast["outsider_county"])
    with pytest.raises(Http404):
        compute("", D, user=cast["province"])
    assert compute(COUNTY, D, user=cast["city"]).parent.values["orgs_live"] == 6


def test_the_engine_uses_a_fixed_number_of_queries(registry, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):
        compute(COUNTY, D)


@pytest.mark.parametrize(("quarter", "bounds"), [
    (1, (date(2025, 1, 1), date(2025, 3, 31))), (2, (date(2025, 4, 1), date(2025, 6, 30))),
    (3, (date(2025, 7, 1), date(2025, 9, 30))), (4, (date(2025, 10, 1), date(2025, 12, 31))),
])
def test_quarter_bounds(quarter, bounds):
    assert quarter_bounds(2025, quarter) == bounds


def test_period_start_defaults_to_the_quarter_start(registry):
    assert compute(COUNTY, D).period_start == PERIOD


def test_a_province_may_count_street_and_community_bases_too(registry, cast):
    from cso.regions.models import Division
    from cso.stats import services
    from cso.stats.choices import BaseLevels

    province = Division.objects.get(code="450000000000")
    services.set_base_levels(cast["province"], province, BaseLevels.ALL)
    result = compute(COUNTY, date(2025, 7, 31))
    assert result.parent.values["incubation_bases"] == 3
    assert "三级" in result.bases_rule_label
    services.set_base_levels(cast["province"], province, BaseLevels.COUNTY)
    result = compute(COUNTY, date(2025, 7, 31))
    assert result.parent.values["incubation_bases"] == 1 and "街道、社区级基地另列" in result.bases_rule_label


def test_only_the_provinces_own_staff_choose_which_bases_count(registry, cast):
    import pytest
    from django.core.exceptions import PermissionDenied

    from cso.regions.models import Division
    from cso.stats import services
    from cso.stats.choices import BaseLevels
    from cso.stats.models import ProvinceSetting

    for who in ("city", "county", "street"):
        with pytest.raises(PermissionDenied):
            services.set_base_levels(cast[who], Division.objects.get(code="450000000000"), BaseLevels.ALL)
    assert not ProvinceSetting.objects.exists()
