"""The demo's support side: bases at three levels, a service centre, idle premises, a facility with rooms, photos of
the county base; intakes applied, incubating (one placed by the street into the county's base), declined and
graduated through an approved 备案 (the registry records the base); bookings booked, cancelled and used (activity
evidence); once."""

import io

import pytest

from cso.supervision.models import ActivityRecord


@pytest.mark.django_db
def test_the_demo_shows_places_incubation_and_bookings(cast):
    from cso.demo import support_demo
    from cso.demo.testing import make_user
    from cso.orgs.models import AccountLink, IncubationBase, Organization, Venue
    from cso.orgs.tests.factories import make_filed
    from cso.support.models import Booking, Intake, Place

    for name, role, code in (("xn_minzheng", "civil_affairs", "450102000000"),
                             ("minsheng_jd", "street", "450102001000"), ("xingning_sq", "community", "450102001003"),
                             ("xn_fuhua", "operator", "450102000000"), ("xn_zuzhi", "organization", "450102001003"),
                             ("admin", "admin", None)):
        make_user(name, role, code)
    base = IncubationBase.objects.create(name="兴宁区社会组织孵化基地", division_id="450102000000", level=3)
    from cso.accounts.models import User

    AccountLink.objects.create(user=User.objects.get(username="xn_fuhua"), base=base, division_id="450102000000")
    Venue.objects.create(name="兴宁社区党群服务中心", division_id="450102001003")
    org = make_filed(cast["superuser"], name="兴宁社区夕阳红文艺队")
    AccountLink.objects.create(user=User.objects.get(username="xn_zuzhi"), organization=org,
                               division_id=org.division_id)

    support_demo.load(io.StringIO())
    support_demo.load(io.StringIO())
    bases = Place.objects.filter(kind="base")
    assert sorted(bases.values_list("level", flat=True)) == [3, 4, 5]
    assert Place.objects.filter(kind="centre").exists() and Place.objects.filter(kind="idle", free_of_charge=True)
    facility = Place.objects.get(kind="facility", facility_type="party")
    assert facility.rooms.count() == 2
    states = sorted(Intake.objects.values_list("state", flat=True))
    assert states == ["applied", "declined", "graduated", "incubating", "incubating"]
    placed = Intake.objects.get(group_name="兴宁社区书法兴趣队")  # the street placed it into the county's base
    assert (placed.source, placed.base.base_id, placed.created_by.username) == ("placed", base.pk, "minsheng_jd")
    assert Place.objects.get(base=base).photos.count() == 2
    hatched = Organization.objects.get(name="兴宁社区邻里守望队")
    assert hatched.incubated_by_id == base.pk
    assert sorted(Booking.objects.values_list("state", flat=True)) == ["booked", "cancelled", "used"]
    assert ActivityRecord.objects.filter(organization=org).count() == 1
