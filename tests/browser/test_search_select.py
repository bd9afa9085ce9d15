"""Light pages in a browser: picking a venue and a division by typing, and the registry list on a phone."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def venues(live_cast):
    from cso.orgs.models import Venue

    return [Venue.objects.create(name=f"兴宁社区活动室{i}", division_id="450102001003") for i in range(50)]


def _problems(page):
    """Console errors (a CSP violation is one) and uncaught script errors."""
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def test_a_street_clerk_files_a_group_picking_a_venue_and_a_community_by_typing(venues, sign_in, live_server):
    page = sign_in("street")  # the filing body of the province (广西: the street)
    problems = _problems(page)
    page.goto(live_server.url + "/orgs/new/")
    assert page.locator("select[name=venue] option").count() == 1  # only 「（无）」 is on the page
    page.fill("input[name=name]", "兴宁社区书法队")
    page.select_option("select[name=track]", "filed")
    page.select_option("select[name=org_type]", "activity_team")

    page.locator("select[name=division] + .ts-wrapper .ts-control").click()
    page.keyboard.type("兴宁社区")
    page.locator(".ts-dropdown .option", has_text="兴宁社区居委会 · 民生街道（450102001003）").click()
    assert page.locator("select[name=division]").input_value() == "450102001003"

    page.locator("select[name=venue] + .ts-wrapper .ts-control").click()
    page.keyboard.type("活动室17")
    page.locator(".ts-dropdown .option", has_text="兴宁社区活动室17").first.click()
    page.fill("input[name=filed_on]", "2021-03-01")
    page.fill("input[name=member_count]", "12")
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('保存')")
    assert "兴宁社区书法队" in page.content()
    assert "兴宁社区活动室17" in page.content()
    assert problems == []

    from cso.orgs.models import Organization

    org = Organization.objects.get(name="兴宁社区书法队")
    assert org.venue.name == "兴宁社区活动室17" and org.division_id == "450102001003"


def test_on_a_phone_the_filters_are_folded_until_asked_for(live_cast, sign_in, live_server):
    page = sign_in("county")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/orgs/")
    fields = page.locator("[data-testid=org-filter-fields]")
    assert not fields.is_visible()
    assert page.locator("select[name=status]").is_hidden()
    # The search box and the first result area come right after the 筛选 button.
    toggle = page.locator("[data-testid=org-filter-toggle]")
    assert toggle.is_visible()
    results_top = page.locator("#org-results").bounding_box()["y"]
    assert results_top < 844
    toggle.click()
    page.wait_for_selector("[data-testid=org-filter-fields].show")
    assert page.locator("select[name=status]").is_visible()
    page.select_option("select[name=status]", "live")
    with page.expect_navigation():
        page.locator("[data-testid=org-filter-fields] button[type=submit]").click()
    assert "status=live" in page.url
    assert "已选 1 项" in page.locator("[data-testid=org-filter-toggle]").inner_text()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390


def test_on_a_desktop_the_filters_are_open(live_cast, sign_in, live_server):
    page = sign_in("county")
    page.goto(live_server.url + "/orgs/")
    assert page.locator("[data-testid=org-filter-fields]").is_visible()
    assert page.locator("select[name=status]").is_visible()
    assert page.locator("[data-testid=org-filter-toggle]").is_hidden()
    page.locator("select[name=division] + .ts-wrapper .ts-control").click()
    page.keyboard.type("朝阳")
    page.locator(".ts-dropdown .option", has_text="朝阳街道").first.click()
    with page.expect_navigation():
        page.locator("[data-testid=org-filter-fields] button[type=submit]").click()
    assert "division=450102002000" in page.url
