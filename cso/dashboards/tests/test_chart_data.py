"""The JSON the charts are drawn from: gap bars by child division, composition and the trend."""

from datetime import date

import pytest
from django.core.cache import cache

from cso.dashboards import services

from .conftest import COUNTY, DAY, STREET, STREET_2

pytestmark = pytest.mark.django_db


def data(client, chart, **params):
    response = client.get(f"/dashboards/data/{chart}/", {"as_of": DAY.isoformat(), **params})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_gap_bars_give_each_street_its_value_target_and_dashboard(registry, login):
    payload = data(login(registry["county"]), "gaps")
    assert payload["division"] == COUNTY and payload["as_of"] == "2025-06-30"
    charts = {c["key"]: c for c in payload["charts"]}
    assert list(charts) == ["per_10k", "avg_urban", "avg_rural", "facility_share"]
    urban = charts["avg_urban"]
    assert urban["target"] == 10.0
    assert [(b["name"], b["value"], b["met"]) for b in urban["bars"]] == [
        ("民生街道", 6.5, False),  # 13 / 2
        ("朝阳街道", 0.0, False),  # 0 / 1
    ]
    rural = charts["avg_rural"]
    assert [(b["code"], b["value"], b["met"]) for b in rural["bars"]] == [
        (STREET, 1.0, False),  # 官桥: 1 / 1
        (STREET_2, 5.0, True),  # 虎邱: 5 / 1
    ]
    assert rural["bars"][1]["url"] == f"/dashboards/?division={STREET_2}&as_of=2025-06-30"
    facility = charts["facility_share"]
    assert [b["value"] for b in facility["bars"]] == [66.7, 50.0]  # 2 / 3, 1 / 2
    assert facility["target"] == 100.0


def test_a_city_sees_incubation_bases_by_county(registry, login):
    from cso.orgs.models import IncubationBase

    IncubationBase.objects.create(name="兴宁区社会组织孵化基地", division_id=COUNTY, level=3,
                                  opened_on=date(2024, 1, 1))
    payload = data(login(registry["city"]), "gaps")
    charts = {c["key"]: c for c in payload["charts"]}
    bases = charts["incubation_bases"]
    assert bases["target"] == 1.0
    assert [(b["name"], b["value"], b["met"]) for b in bases["bars"]] == [("兴宁区", 1, True), ("青秀区", 0, False)]


def test_composition_counts_live_organizations_by_category_and_service_target(registry, login):
    payload = data(login(registry["county"]), "composition")
    assert payload["total"] == 19
    categories = {c["code"]: c["value"] for c in payload["categories"]}
    assert categories["culture_sports"] == 11
    assert categories["charity"] == 2
    assert categories["mutual_aid"] == 5
    assert categories["rural_production"] == 1
    assert categories["hub_support"] == 0
    targets = {t["code"]: t["value"] for t in payload["targets"]}
    assert targets["elderly"] == 12  # 1 + 10 + 1
    assert targets["children"] == 1
    assert targets["left_behind"] == 5
    assert targets["disabled"] == 0  # only in the sibling county
    charity = next(c for c in payload["categories"] if c["code"] == "charity")
    assert charity["url"] == f"/orgs/?division={COUNTY}&as_of=2025-06-30&status=live&category=charity"


def test_the_trend_has_eight_quarter_ends_ending_with_the_chosen_day(registry, login):
    payload = data(login(registry["county"]), "trend", as_of="2025-05-20")
    assert payload["days"] == [
        "2023-09-30", "2023-12-31", "2024-03-31", "2024-06-30",
        "2024-09-30", "2024-12-31", "2025-03-31", "2025-05-20",
    ]
    assert payload["labels"][-1] == "2025年2季度（截至5月20日）"
    counts = {s["key"]: s for s in payload["counts"]}
    live = [p["value"] for p in counts["orgs_live"]["data"]]
    assert live == [19] * 8  # 北宁 +1 on 2025-05-01, 官桥 −1 on 2025-05-10
    new = [p["value"] for p in counts["new_in_period"]["data"]]
    ended = [p["value"] for p in counts["ended_in_period"]["data"]]
    assert new[-1] == 1 and ended[-1] == 1 and sum(new[:-1]) == 0 and sum(ended[:-1]) == 0
    assert counts["orgs_live"]["data"][2]["url"] == f"/orgs/?division={COUNTY}&as_of=2024-03-31&status=live"
    ratios = {s["key"]: s for s in payload["ratios"]}
    assert [p["value"] for p in ratios["avg_rural"]["data"]][-2:] == [3.5, 3.0]  # 7 / 2, then 6 / 2
    assert ratios["communities_at_target_share"]["unit"] == "%"


def test_past_quarter_ends_are_cached_and_the_current_point_is_not(registry, login):
    client = login(registry["street"])
    first = data(client, "trend")
    # A registry change backdated into the past does not show until the cache expires …
    from cso.orgs.tests.factories import make_filed

    make_filed(registry["street"], division="450102001004", name="北宁新队", filed_on=date(2024, 1, 15))
    second = data(client, "trend")
    live_first = [p["value"] for p in {s["key"]: s for s in first["counts"]}["orgs_live"]["data"]]
    live_second = [p["value"] for p in {s["key"]: s for s in second["counts"]}["orgs_live"]["data"]]
    assert live_second[:-1] == live_first[:-1]
    # … but the current point (the chosen day, which is the quarter's end here) is computed fresh
    assert live_second[-1] == live_first[-1] + 1
    cache.clear()
    third = data(client, "trend")
    live_third = [p["value"] for p in {s["key"]: s for s in third["counts"]}["orgs_live"]["data"]]
    assert live_third[4:] == [v + 1 for v in live_first[4:]]


def test_a_countys_submitted_tables_feed_its_trend_as_frozen(registry, login):
    from cso.reports.models import QuarterlyReport

    county = registry["county"]
    client = login(county)
    computed = data(client, "trend")
    QuarterlyReport.objects.create(
        division_id=COUNTY, year=2025, reference_date=date(2025, 3, 31), deadline=date(2025, 4, 20), version=1,
        status="submitted", as_of=date(2025, 3, 31),
        period_start=date(2025, 1, 1), generated_at="2025-04-02T10:00:00+08:00", prepared_by_name="张三",
        submitted_at="2025-04-10T10:00:00+08:00",
        data={"rows": [], "total": {"code": COUNTY, "name": "兴宁区",
                                    "values": {"orgs_live": 17, "avg_urban": "4.10"}}},
    )
    cache.clear()
    frozen = data(client, "trend")
    assert frozen["sources"][-2] == "frozen" and computed["sources"][-2] == "computed"
    live = {s["key"]: s for s in frozen["counts"]}["orgs_live"]["data"]
    assert live[-2]["value"] == 17
    avg = {s["key"]: s for s in frozen["ratios"]}["avg_urban"]["data"]
    assert avg[-2]["value"] == 4.1


def test_last_quarters_cross_the_year(registry):
    assert services.last_quarters(date(2025, 2, 1), 3) == [(2024, 3), (2024, 4), (2025, 1)]


def test_an_unknown_chart_is_a_404(registry, login):
    assert login(registry["county"]).get("/dashboards/data/pie/").status_code == 404


def test_a_street_sees_its_communities_as_bars(registry, login):
    payload = data(login(registry["street"]), "gaps")
    bars = {c["key"]: c for c in payload["charts"]}["avg_urban"]["bars"]
    assert [(b["name"], b["value"]) for b in bars] == [("兴宁社区居委会", 11.0), ("北宁社区居委会", 2.0),
                                                        ("官桥村委会", None)]
    assert payload["division"] == STREET


def submitted_table(county_code, name, year, quarter, values):
    from cso.reports.models import QuarterlyReport

    start, end = services.indicators.quarter_bounds(year, quarter)
    return QuarterlyReport.objects.create(
        division_id=county_code, year=year, reference_date=end, deadline=end, version=1, status="submitted", as_of=end,
        period_start=start, generated_at="2025-04-02T10:00:00+08:00", prepared_by_name="张三",
        submitted_at="2025-04-10T10:00:00+08:00",
        data={"rows": [], "total": {"code": county_code, "name": name, "values": values}},
    )


def test_a_citys_trend_uses_the_roll_up_of_its_counties_only_when_all_have_submitted(registry, login):
    from cso.reports.models import ReportingRound

    # a province whose rounds end with the quarters: its round of 3/31 is the trend's point
    ReportingRound.objects.create(province_id="450000000000", reference_month=3, reference_day=31, deadline_month=4,
                                  deadline_day=20)
    client = login(registry["city"])
    submitted_table(COUNTY, "兴宁区", 2025, 1, {"orgs_live": 17, "cso_urban": 10, "communities_urban": 4})
    cache.clear()
    partial = data(client, "trend")
    assert partial["sources"][-2] == "computed"  # 青秀区 has not submitted: no partial sums
    submitted_table("450103000000", "青秀区", 2025, 1, {"orgs_live": 3, "cso_urban": 2, "communities_urban": 2})
    cache.clear()
    full = data(client, "trend")
    assert full["sources"][-2] == "frozen"
    assert {s["key"]: s for s in full["counts"]}["orgs_live"]["data"][-2]["value"] == 20
    # The ratio is recomputed by the engine from the summed parts: 12 / 6.
    assert {s["key"]: s for s in full["ratios"]}["avg_urban"]["data"][-2]["value"] == 2.0


def test_a_trend_request_with_its_time_spent_leaves_older_quarters_pending(registry):
    from cso.regions.models import Division

    county = Division.objects.get(code=COUNTY)
    user = registry["county"]
    hurried = services.trend(user, county, DAY, budget_seconds=0)
    # The chosen day and the newest past quarter are computed; each request makes progress.
    assert hurried["sources"] == ["pending"] * 6 + ["computed"] * 2
    assert hurried["pending"] == 6
    assert {s["key"]: s for s in hurried["counts"]}["orgs_live"]["data"][0]["value"] is None
    pending = [services.trend(user, county, DAY, budget_seconds=0)["pending"] for _ in range(6)]
    assert pending == [5, 4, 3, 2, 1, 0]
    again = services.trend(user, county, DAY, budget_seconds=0)
    assert again["pending"] == 0 and again["sources"] == ["computed"] * 8
    assert again == services.trend(user, county, DAY)


def test_the_trend_endpoint_says_how_many_points_are_pending(registry, login):
    payload = data(login(registry["county"]), "trend")
    assert payload["pending"] == 0


def test_a_county_level_organization_adds_no_bar_and_no_incubation_chart_for_streets(registry, login, cast):
    from cso.orgs.tests.factories import make_registered

    make_registered(cast["registrar"], division=COUNTY, name="兴宁区社会工作者协会",
                    registered_on=date(2020, 5, 1), founded_on=date(2020, 5, 1))
    payload = data(login(registry["county"]), "gaps")
    assert payload["child_level"] == "街道（乡镇）"
    charts = {c["key"]: c for c in payload["charts"]}
    assert "incubation_bases" not in charts
    assert [b["code"] for b in charts["per_10k"]["bars"]] == [STREET, STREET_2]
