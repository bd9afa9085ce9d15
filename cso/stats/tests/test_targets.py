"""Targets inherited down the tree, seed defaults by year, and the per-province urban rule."""

from decimal import Decimal

import pytest

from cso.stats.models import ProvinceSetting, Target
from cso.stats.targets import effective_targets, urban_rule_for

COUNTY = "450102000000"
STREET = "450102001000"
COMMUNITY = "450102001003"
CITY = "450100000000"


def test_without_rows_the_seed_defaults_apply(tree):
    targets = effective_targets(COMMUNITY, 2023)
    assert {k: v.value for k, v in targets.items()} == {
        "per_10k": Decimal("6.5"), "avg_urban": Decimal("10"), "avg_rural": Decimal("5"),
        "incubation_bases_min": Decimal("1"), "incubation_bases_max": Decimal("2"),
        "facility_area": Decimal("30"), "facility_share": Decimal("100"),
    }
    assert all(v.is_default for v in targets.values())


@pytest.mark.parametrize(("year", "share"), [(2020, "70"), (2021, "70"), (2022, "80"), (2023, "100"), (2026, "100")])
def test_the_facility_share_default_rises_by_year(tree, year, share):
    assert effective_targets(COUNTY, year)["facility_share"].value == Decimal(share)


def test_the_nearest_ancestor_row_wins(tree):
    Target.objects.create(division_id=CITY, year=2025, key="avg_urban", value=Decimal("8"))
    Target.objects.create(division_id=STREET, year=2025, key="avg_urban", value=Decimal("12"))
    Target.objects.create(division_id=CITY, year=2025, key="per_10k", value=Decimal("7"))
    community = effective_targets(COMMUNITY, 2025)
    assert (community["avg_urban"].value, community["avg_urban"].source_code) == (Decimal("12"), STREET)
    assert community["avg_urban"].source_label == "民生街道设定"
    assert (community["per_10k"].value, community["per_10k"].source_name) == (Decimal("7"), "南宁市")
    county = effective_targets(COUNTY, 2025)
    assert county["avg_urban"].value == Decimal("8")
    assert effective_targets("450103000000", 2025)["avg_urban"].value == Decimal("8")
    assert effective_targets("450202000000", 2025)["avg_urban"].is_default


def test_a_row_applies_to_its_year_only(tree):
    Target.objects.create(division_id=COUNTY, year=2024, key="avg_rural", value=Decimal("6"))
    assert effective_targets(COMMUNITY, 2024)["avg_rural"].value == Decimal("6")
    assert effective_targets(COMMUNITY, 2025)["avg_rural"].is_default


def test_the_urban_rule_defaults_to_committee_type_and_is_set_per_province(tree):
    assert urban_rule_for("450000000000") == "committee"
    ProvinceSetting.objects.create(division_id="450000000000", urban_rule="urban_rural_code")
    assert urban_rule_for("450102001003") == "urban_rural_code"
    assert urban_rule_for("") == "committee"
