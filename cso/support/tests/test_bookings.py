"""Venue sharing: a group's account books a room of a community facility; an overlapping booking is refused, a
cancelled one frees the time, and the keeper marks a booking used — recorded as the organization's activity
(``supervision.ActivityRecord``). Outsiders get 404s."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from cso.orgs.tests.factories import make_filed
from cso.supervision.models import ActivityRecord
from cso.support import services
from cso.support.models import Booking

from .helpers import COMMUNITY, link_org, make_place, make_room

TOMORROW = date.today() + timedelta(days=1)


def slot(org, start="09:00", end="11:00", day=TOMORROW, purpose="合唱排练"):
    return {"organization": org.pk, "date": day.isoformat(), "start": start, "end": end, "purpose": purpose}


@pytest.fixture
def room(cast):
    place = make_place(cast["superuser"], COMMUNITY, kind="facility", facility_type="party",
                       name="兴宁社区党群服务中心")
    return make_room(place)


@pytest.fixture
def org(cast):
    org = make_filed(cast["superuser"], name="兴宁社区合唱队")
    link_org(cast["organization"], org)
    return org


@pytest.mark.django_db
def test_a_group_books_a_room_and_overlaps_are_refused(cast, login, room, org):
    client = login(cast["organization"])
    assert client.get(reverse("support:place", args=[room.place.pk])).status_code == 200
    assert client.post(reverse("support:book", args=[room.pk]), slot(org)).status_code == 302
    response = client.post(reverse("support:book", args=[room.pk]), slot(org, "10:30", "12:00"))
    assert response.status_code == 200 and "该时段已被预约" in response.content.decode()
    assert client.post(reverse("support:book", args=[room.pk]), slot(org, "11:00", "12:00")).status_code == 302
    assert Booking.objects.count() == 2
    # outside the opening hours, or ending before it starts
    assert client.post(reverse("support:book", args=[room.pk]), slot(org, "06:00", "07:00")).status_code == 200
    assert client.post(reverse("support:book", args=[room.pk]), slot(org, "15:00", "14:00")).status_code == 200
    first = Booking.objects.order_by("start").first()
    client.post(reverse("support:booking_cancel", args=[first.pk]), {"reason": "改期"})
    first.refresh_from_db()
    assert first.state == "cancelled"
    assert client.post(reverse("support:book", args=[room.pk]), slot(org, "09:30", "10:30")).status_code == 302


@pytest.mark.django_db
def test_a_used_booking_becomes_activity_evidence(cast, login, room, org):
    booking = services.book(cast["organization"], room, org, TOMORROW, time(9), time(11), "合唱排练")
    Booking.objects.filter(pk=booking.pk).update(date=date.today() - timedelta(days=1))
    assert login(cast["organization"]).post(reverse("support:booking_use", args=[booking.pk])).status_code == 403
    response = login(cast["community"]).post(reverse("support:booking_use", args=[booking.pk]),
                                              {"attendance": "25"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.state == "used" and booking.attendance == 25
    record = ActivityRecord.objects.get()
    assert record.organization == org and record.date == booking.date and "合唱排练" in record.what
    page = login(cast["street"]).get(reverse("orgs:detail", args=[org.uid])).content.decode()
    assert 'data-testid="org-support"' in page and "已使用" in page


@pytest.mark.django_db
def test_outsiders_cannot_see_book_cancel_or_use(cast, login, room, org):
    booking = services.book(cast["organization"], room, org, TOMORROW, time(9), time(11), "合唱排练")
    for name in ("outsider_street", "outsider_county", "outsider_community"):
        client = login(cast[name])
        assert client.get(reverse("support:place", args=[room.place.pk])).status_code == 404
        assert client.post(reverse("support:booking_cancel", args=[booking.pk])).status_code == 404
        assert client.post(reverse("support:booking_use", args=[booking.pk])).status_code == 404
        assert "合唱排练" not in client.get(reverse("support:bookings")).content.decode()
    # an organization account of another community neither sees the room nor can book it
    from cso.demo.testing import make_user

    stranger = make_user("stranger_org", "organization", "450102001004")
    other = make_filed(cast["superuser"], name="北宁社区舞蹈队", division="450102001004")
    link_org(stranger, other)
    client = login(stranger)
    assert client.get(reverse("support:book", args=[room.pk])).status_code == 404
    assert client.post(reverse("support:booking_cancel", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.state == "booked"
