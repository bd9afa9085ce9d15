"""A county clerk opens the statistics, reads a quarter, drills into a street and clicks a number
through to the organization list; then sets a target and sees it inherited."""

import re

import pytest
from playwright.sync_api import expect

from cso.stats.models import Target
from cso.stats.tests import fixtures as fx

pytestmark = pytest.mark.browser


def test_a_county_clerk_follows_a_number_to_the_organizations_behind_it(live_cast, sign_in, live_server):
    fx.build(live_cast)
    page = sign_in("county")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(live_server.url + "/stats/?quarter=2025-2")
    expect(page.get_by_test_id("stats-title")).to_contain_text("兴宁区")
    expect(page.get_by_test_id("urban-rule")).to_contain_text("按委员会类型")
    expect(page.get_by_test_id("stats-total")).to_contain_text("6")
    expect(page.locator("body")).not_to_contain_text("青秀区")

    page.get_by_role("link", name="民生街道").first.click()
    expect(page.get_by_test_id("stats-title")).to_contain_text("民生街道")
    # the live organizations of 兴宁社区 as of the quarter's end: A, B and C
    row = page.locator("tr[data-code='450102001003']")
    row.locator("td[data-key='orgs_live'] a").click()
    expect(page).to_have_url(re.compile(r"/orgs/\?.*as_of=2025-06-30"))
    expect(page.get_by_test_id("org-count")).to_contain_text("共 3 条")


def test_a_county_clerk_sets_a_target_for_a_street(live_cast, sign_in, live_server):
    page = sign_in("county")
    page.goto(live_server.url + "/stats/targets/?division=450102001000&year=2025")
    form = page.get_by_test_id("target-form")
    form.get_by_label("指标").select_option("avg_urban")
    form.get_by_label("目标值").fill("8")
    form.get_by_role("button", name="保存").click()
    expect(page.locator("tr[data-key='avg_urban']")).to_contain_text("本级设定")
    page.goto(live_server.url + "/stats/targets/?division=450102001003&year=2025")
    expect(page.locator("tr[data-key='avg_urban']")).to_contain_text("继承自民生街道")
    assert Target.objects.get(division_id="450102001000").value == 8
