"""An organization applies to a 公益创投 call on a phone (390 × 844); the county officer scores and awards it on a
desktop; the award shows on the organization's page and in the money view."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_venture_application_on_a_phone_is_scored_and_awarded_on_a_desktop(live_cast, sign_in, live_server, page):
    from cso.funding.tests.helpers import linked_org, programme

    prog = programme(live_cast["county"], title="兴宁区社区公益创投")
    prog.reviewers.add(live_cast["county"])
    org = linked_org(live_cast["organization"], live_cast["registrar"])

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("organization")
    page.goto(live_server.url + "/funding/calls/")
    page.get_by_role("link", name="兴宁区社区公益创投").click()
    page.get_by_test_id(f"apply-{org.uid}").click()
    form = page.get_by_test_id("apply-form")
    form.get_by_label("服务项目名称").fill("长者饭堂志愿服务")
    form.get_by_label("项目计划书（目标、内容、进度、预期成效）").fill("每周三次为独居老人送餐。")
    form.get_by_label("申请金额（元）").fill("30000")
    form.get_by_label("预算明细").fill("餐费补贴 20000\n志愿者交通 10000")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    button = page.get_by_test_id("submit-application")
    assert button.bounding_box()["height"] >= 44  # large tap target
    button.click()
    expect(page.get_by_test_id("application-state")).to_contain_text("已申报")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in("county")
    page.goto(live_server.url + f"/funding/programmes/{prog.pk}/")
    # the navigation bar with the 培育扶持 section still fits 1280 px on one line
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.locator(".site-navbar").bounding_box()["height"] < 80
    page.get_by_role("link", name="长者饭堂志愿服务").click()
    page.get_by_test_id("score-form").get_by_label("评分（百分制）").fill("91")
    page.get_by_test_id("submit-score").click()
    award_form = page.get_by_test_id("award-form")
    award_form.get_by_label("立项金额（元）").fill("28000")
    award_form.get_by_label("立项理由（依据）").fill("评审91分，名列第一")
    page.get_by_test_id("submit-award").click()
    expect(page.get_by_test_id("awarded")).to_contain_text("28000.00")

    page.goto(live_server.url + f"/orgs/{org.uid}/")
    expect(page.get_by_test_id("funding-section")).to_contain_text("28000.00")
    page.goto(live_server.url + "/funding/money/")
    expect(page.get_by_test_id("money-committed")).to_contain_text("28000.00")
