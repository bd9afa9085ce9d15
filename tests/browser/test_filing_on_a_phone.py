"""A group leader files a 群众活动团队 on a phone (390 × 844), photographs the member roster with the phone's
camera; the street reviews it, roster included, on a desktop."""

import re

import pytest
from playwright.sync_api import expect

from cso.applications.tests.probes import PNG

pytestmark = pytest.mark.browser


def test_a_group_is_filed_on_a_phone_and_approved_by_the_street(live_cast, sign_in, live_server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("organization")
    page.goto(live_server.url + "/applications/")
    page.get_by_test_id("new-filing").click()
    form = page.get_by_test_id("application-form")
    form.get_by_label("团队名称").fill("兴宁社区夕阳红合唱队")
    form.get_by_label("负责人姓名").fill("李桂兰")
    form.get_by_label("负责人电话").fill("13800000001")
    form.get_by_label("成员人数").fill("12")
    form.get_by_label("活动内容").fill("合唱排练")
    form.get_by_label("活动时间").fill("每周三下午3点")
    form.get_by_label("活动地点").fill("兴宁社区活动室")
    form.get_by_label(re.compile("党员到社区报到")).select_option("none")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    button = form.get_by_role("button", name="保存草稿")
    assert button.bounding_box()["height"] >= 44  # large tap target
    button.click()
    expect(page.get_by_test_id("state")).to_contain_text("草稿")
    camera = page.get_by_test_id("camera-roster")  # <input type=file capture=environment>: the camera on a phone
    assert camera.get_attribute("capture") == "environment"
    camera.set_input_files({"name": "roster.png", "mimeType": "image/png", "buffer": PNG})
    upload = page.get_by_test_id("upload-roster")
    assert upload.bounding_box()["height"] >= 44  # large tap target
    upload.click()
    expect(page.get_by_test_id("material-roster")).to_contain_text("roster.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.get_by_test_id("submit-application").click()
    expect(page.get_by_test_id("state")).to_contain_text("待受理")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in("street")
    page.goto(live_server.url + "/applications/todo/")
    page.get_by_test_id("todo-row").first.click()
    expect(page.get_by_test_id("material-roster")).to_contain_text("roster.png")
    with page.expect_download() as download:
        page.get_by_role("link", name="roster.png").click()
    assert download.value.suggested_filename == "roster.png"
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.get_by_test_id("state")).to_contain_text("审查中")
    page.get_by_role("button", name="批准", exact=True).click()
    expect(page.get_by_test_id("state")).to_contain_text("已批准")
    expect(page.get_by_test_id("timeline")).to_contain_text("批准")
    page.get_by_role("link", name="兴宁社区夕阳红合唱队").click()
    expect(page.locator("h1")).to_contain_text("兴宁社区夕阳红合唱队")
