"""A place that closes (停用) keeps its record but no longer takes bookings or intakes, no longer counts towards the
county-base target and no longer holds filed groups' money (财务代管); the list filters and marks it."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cso.funding import services as funding
from cso.orgs.tests.factories import make_filed, make_registered
from cso.regions.models import Division
from cso.support import services
from cso.support.models import Place

from .helpers import COMMUNITY, COUNTY, STREET, link_org, make_base, make_place, make_room

pytestmark = pytest.mark.django_db
TODAY = date.today()


def _close(place, day=TODAY):
    Place.objects.filter(pk=place.pk).update(closed_on=day)
    place.refresh_from_db()
    return place


def test_a_closed_base_takes_no_intake_and_does_not_count_towards_the_target(cast):
    county_base = make_base(cast["superuser"], COUNTY, level=3, name="兴宁区孵化基地")
    assert county_base in Place.placeable_by(cast["street"])
    assert [r["bases"] for r in services.county_targets(cast["county"])] == [1]
    _close(county_base)
    assert county_base not in Place.placeable_by(cast["street"])
    assert [r["bases"] for r in services.county_targets(cast["county"])] == [0]
    community_base = _close(make_base(cast["superuser"], COMMUNITY, level=5, name="兴宁社区孵化点"))
    with pytest.raises(ValidationError, match="已停用"):
        services.apply_for_intake(cast["organization"], {
            "base": community_base, "division": Division.objects.get(code=COMMUNITY), "group_name": "兴宁社区编织队",
            "contact_name": "韦丽华", "contact_phone": "13800000031", "planned_track": "filed"})
    # closing in the future: still open today
    _close(county_base, TODAY + timedelta(days=30))
    assert county_base.is_open and county_base in Place.placeable_by(cast["street"])


def test_a_closed_place_takes_no_booking_from_its_closing_day(cast):
    place = make_place(cast["superuser"], COMMUNITY, name="兴宁社区党群服务中心")
    room = make_room(place)
    org = make_filed(cast["superuser"], name="兴宁社区合唱队")
    link_org(cast["organization"], org)
    _close(place, TODAY + timedelta(days=2))
    services.book(cast["organization"], room, org, TODAY + timedelta(days=1), time(9), time(10), "排练")
    with pytest.raises(ValidationError, match="停用，不能预约"):
        services.book(cast["organization"], room, org, TODAY + timedelta(days=2), time(9), time(10), "排练")


def test_the_list_filters_and_marks_closed_places_and_the_form_checks_the_dates(cast, login):
    make_place(cast["superuser"], COMMUNITY, name="兴宁社区为老服务中心")
    _close(make_place(cast["superuser"], COMMUNITY, name="原兴宁社区文化室"), TODAY - timedelta(days=1))
    client = login(cast["street"])
    closed = client.get(reverse("support:places"), {"state": "closed"}).content.decode()
    assert "原兴宁社区文化室" in closed and "兴宁社区为老服务中心" not in closed
    assert 'data-testid="place-closed"' in closed
    open_ = client.get(reverse("support:places"), {"state": "open"}).content.decode()
    assert "兴宁社区为老服务中心" in open_ and "原兴宁社区文化室" not in open_
    response = client.post(reverse("support:place_new"), {
        "kind": "facility", "facility_type": "party", "name": "民生街道党群服务中心", "division": STREET,
        "opened_on": "2024-05-01", "closed_on": "2024-04-01"})
    assert response.status_code == 200 and "停用日期不能早于建成（启用）日期" in response.content.decode()
    assert not Place.objects.filter(name="民生街道党群服务中心").exists()


def test_the_operator_of_a_closed_service_centre_holds_no_money(cast):
    centre_org = make_registered(cast["registrar"], name="民生街道社会组织服务中心")
    group = make_filed(cast["street"], name="民生街道夕阳红服务队", division=COMMUNITY)
    centre = Place.objects.create(kind="centre", name="民生街道社会组织服务中心", division_id=STREET,
                                  operator=centre_org)
    assert list(funding.eligible_custodians(group)) == [centre_org]
    _close(centre)
    assert list(funding.eligible_custodians(group)) == []
