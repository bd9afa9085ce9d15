"""A street clerk signs in, browses down to a community and enters its households."""

import re

import pytest
from playwright.sync_api import expect

from cso.regions.models import Division

pytestmark = pytest.mark.browser


def test_a_street_clerk_browses_to_a_community_and_edits_its_households(live_cast, sign_in, live_server):
    page = sign_in("street")
    # Lands on the home page, signed in as the street clerk of 民生街道.
    expect(page.get_by_test_id("user-menu")).to_contain_text("street")

    page.get_by_role("link", name=re.compile("行政区划")).first.click()
    expect(page.get_by_test_id("division-name")).to_contain_text("民生街道")
    # The sibling street is not reachable from here.
    expect(page.locator("body")).not_to_contain_text("朝阳街道")

    page.get_by_role("link", name="兴宁社区居委会").first.click()
    expect(page.get_by_test_id("division-name")).to_contain_text("兴宁社区居委会")
    page.get_by_test_id("edit-figures").click()

    form = page.get_by_test_id("figures-form")
    form.get_by_label(re.compile("常住人口")).fill("4820")
    form.get_by_label(re.compile("户数")).fill("1730")
    form.get_by_label(re.compile("设施面积")).fill("612.5")
    form.get_by_role("button", name="保存").click()

    expect(page.get_by_test_id("households")).to_contain_text("1,730")
    expect(page.get_by_test_id("population")).to_contain_text("4,820")
    expect(page.get_by_test_id("history")).to_contain_text("street")

    community = Division.objects.get(code="450102001003")
    assert community.households == 1730
    assert community.population == 4820
    assert community.figures_source == "entered"
    assert community.history.first().history_user.username == "street"


def test_a_street_clerk_gets_a_chinese_404_for_a_foreign_community(live_cast, sign_in, live_server):
    page = sign_in("street")
    response = page.goto(live_server.url + "/divisions/450103001005/")
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("页面不存在")
