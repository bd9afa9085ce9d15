"""An organization books a room of a community facility on a phone (390 × 844): a time clashing with an existing
booking is refused with a clear message, another time is booked; the street, which keeps the facility, marks the
booking used, and the organization's activity record appears on its page of activity records."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _facility(cast):
    from cso.orgs.models import AccountLink
    from cso.orgs.tests.factories import make_filed
    from cso.support.models import Booking
    from cso.support.tests.helpers import make_place, make_room

    place = make_place(cast["superuser"], "450102001003", kind="facility", facility_type="party",
                       name="兴宁社区党群服务中心", offers=",activity,party,")
    room = make_room(place, "多功能活动室")
    org = make_filed(cast["superuser"], name="兴宁社区夕阳红合唱队", division="450102001003")
    AccountLink.objects.create(user=cast["organization"], organization=org, division_id=org.division_id)
    other = make_filed(cast["superuser"], name="兴宁社区太极拳队", division="450102001003")
    Booking.objects.create(room=room, division_id=place.division_id, organization=other, booked_by=cast["superuser"],
                           date=timezone.localdate(), start=time(15), end=time(16), purpose="太极拳练习")
    return place, org


def test_a_room_is_booked_on_a_phone_a_clash_refused_and_the_use_recorded_as_activity(
        live_cast, sign_in, live_server, page):
    _place, org = _facility(live_cast)
    today = timezone.localdate().isoformat()

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("organization")
    page.goto(live_server.url + "/support/places/?kind=facility")
    page.get_by_role("link", name="兴宁社区党群服务中心").first.click()
    expect(page.get_by_test_id("room")).to_contain_text("多功能活动室")
    page.get_by_test_id("book-room").click()
    page.get_by_label("组织").select_option(label="兴宁社区夕阳红合唱队")
    page.get_by_label("日期").fill(today)
    page.get_by_label("开始时间").fill("15:30")
    page.get_by_label("结束时间").fill("16:30")
    page.get_by_label("活动内容").fill("合唱排练")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.get_by_test_id("booking-save").click()
    # the clash is refused, naming the time already taken
    expect(page.get_by_test_id("booking-error")).to_contain_text("该时段已被预约（15:00–16:00），请另选时间")
    page.get_by_label("开始时间").fill("18:00")
    page.get_by_label("结束时间").fill("19:30")
    page.get_by_test_id("booking-save").click()
    expect(page.get_by_test_id("booking-row")).to_contain_text("18:00–19:30")
    expect(page.get_by_test_id("booking-row")).to_contain_text("已预约")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in("street")
    page.goto(live_server.url + "/support/bookings/")
    row = page.get_by_test_id("booking-row").filter(has_text="兴宁社区夕阳红合唱队")
    row.get_by_label("参加人数").fill("18")
    row.get_by_role("button", name="确认使用").click()
    expect(page.get_by_text("已确认使用，并记为该组织的活动记录")).to_be_visible()
    expect(page.get_by_test_id("booking-row").filter(has_text="兴宁社区夕阳红合唱队")).to_contain_text("已使用（18人）")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("organization")
    page.goto(live_server.url + reverse("supervision:org_activities", args=[org.uid]))
    expect(page.locator("body")).to_contain_text("在兴宁社区党群服务中心·多功能活动室开展活动：合唱排练（18人）")
    page.goto(live_server.url + reverse("orgs:detail", args=[org.uid]))
    expect(page.get_by_test_id("section-activities")).to_contain_text("合唱排练")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
