"""A county clerk opens the dashboard: the charts draw, the page fits a phone, numbers lead to lists."""

import importlib

import pytest
from playwright.sync_api import expect

from cso.dashboards.tests.conftest import DAY, STREET_2, build_registry

pytestmark = pytest.mark.browser

CHARTS = ("chart-gap-per_10k", "chart-gap-avg_urban", "chart-gap-avg_rural", "chart-gap-facility_share",
          "chart-trend-counts", "chart-trend-ratios", "chart-categories", "chart-targets")


@pytest.fixture
def registry(live_cast):
    # A transactional test flushes the tables between tests, the seeded categories included; the
    # dashboards' cache is emptied too, so no figure computed for an earlier test is served.
    from django.apps import apps
    from django.core.cache import cache

    cache.clear()

    seed_terms = importlib.import_module("cso.orgs.migrations.0002_seed_terms")
    seed_terms.seed(apps, None)
    return build_registry(live_cast)


def open_dashboard(page, live_server, **params):
    query = "&".join(f"{k}={v}" for k, v in {"as_of": DAY.isoformat(), **params}.items())
    page.goto(f"{live_server.url}/dashboards/?{query}")
    for testid in CHARTS:
        expect(page.get_by_test_id(testid).locator("canvas")).to_have_count(1)


def test_a_county_clerk_sees_every_chart_drawn_without_security_errors(registry, sign_in, live_server):
    page = sign_in("county")
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    open_dashboard(page, live_server)
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("兴宁区")
    expect(page.get_by_test_id("value-avg_urban")).to_have_text("4.33")
    assert problems == []


def test_on_a_phone_the_page_does_not_scroll_sideways(registry, sign_in, live_server):
    page = sign_in("county")
    page.set_viewport_size({"width": 390, "height": 844})
    open_dashboard(page, live_server)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    # The charts take the phone's width, not more.
    box = page.get_by_test_id("chart-gap-avg_urban").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    # The cultivation list is a stacked list on a phone, a table on a desktop.
    expect(page.get_by_test_id("todo-phone")).to_be_visible()
    expect(page.get_by_test_id("todo-phone")).to_contain_text("朝阳社区居委会")
    # Resizing back to a desktop widens the charts (they follow the window).
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function(
        "() => document.querySelector('[data-testid=chart-trend-counts] canvas').getBoundingClientRect().width > 390"
    )
    expect(page.get_by_test_id("todo-phone")).to_be_hidden()


def test_clicking_a_number_opens_the_organization_list_behind_it(registry, sign_in, live_server):
    page = sign_in("county")
    open_dashboard(page, live_server)
    page.get_by_test_id("part-per_10k-orgs_registered").click()
    page.wait_for_url("**/orgs/?*")
    assert "as_of=2025-06-30" in page.url and "track=registered" in page.url
    expect(page.locator("#org-results")).to_contain_text("兴宁社区服务协会")
    expect(page.locator("#org-results")).not_to_contain_text("文体队")


def test_clicking_a_bar_opens_that_streets_dashboard(registry, sign_in, live_server):
    page = sign_in("county")
    open_dashboard(page, live_server)
    chart = page.get_by_test_id("chart-gap-avg_rural")
    chart.scroll_into_view_if_needed()
    # The middle of the second bar (朝阳街道: 5 community organizations in 1 rural community).
    x, y = page.evaluate(
        """(el) => {
            const chart = echarts.getInstanceByDom(el);
            return chart.convertToPixel({seriesIndex: 0}, [2.5, 1]);
        }""",
        chart.element_handle(),
    )
    box = chart.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(f"**/dashboards/?division={STREET_2}*")
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("朝阳街道")


def test_quarters_from_submitted_tables_are_named_under_the_trend(registry, sign_in, live_server):
    from cso.dashboards.tests.test_chart_data import submitted_table

    submitted_table("450102000000", "兴宁区", 2025, 1, {"orgs_live": 17, "cso_live": 17})
    page = sign_in("county")
    open_dashboard(page, live_server)
    note = page.get_by_test_id("chart-trend-counts").locator("xpath=..").locator(".dash-note-frozen")
    expect(note).to_contain_text("2025年1季度")


def test_a_slow_trend_fills_in_over_a_few_requests(registry, sign_in, live_server, monkeypatch):
    from cso.dashboards import services

    monkeypatch.setattr(services, "TREND_BUDGET_SECONDS", 0)
    page = sign_in("county")
    open_dashboard(page, live_server)
    chart = page.get_by_test_id("chart-trend-counts")
    expect(chart).to_have_attribute("data-rendered", "true", timeout=30_000)
    expect(chart.locator("xpath=..").locator(".dash-note-pending")).to_have_count(0)
