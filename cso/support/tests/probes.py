"""Probes of cultivation's support side for the generated permission test (tests/test_responsibilities.py).

Subjects are places (incubation bases, so that an operator's account can be linked to one) in the account's own
community, another community of its street, another street, a sibling county and another province, and one linked
to the account trying (an operator's base; for an organization's account the intake or booking is its own). Intakes
and bookings hang on those places."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.urls import reverse

from cso.accounts.probes import Probe, answered, register
from cso.orgs.models import AccountLink
from cso.orgs.tests.factories import make_filed
from cso.support import services
from cso.support.models import Booking, Intake, Milestone, Place, Room

WHERE = {
    "own_community": "450102001003",
    "other_community": "450102001004",
    "other_street": "450102002001",
    "sibling_county": "450103001005",
    "other_province": "440103001001",
    "linked": "450102001003",
}
SUBJECTS = tuple(WHERE)


def _place(world, subject, account) -> Place:
    n = world.serial()
    place = services.save_place(world.superuser, Place(
        kind="base", level=5, name=f"探针基地{n}", division_id=WHERE[subject], opening_hours="9:00-17:00",
        offers=",incubation,"), is_new=True)
    if subject == "linked" and account.role == "operator":
        AccountLink.objects.create(user=account, base=place.base, division_id=place.division_id)
    return place


def _view(client, place):
    response = client.get(reverse("support:place", args=[place.pk]))
    return answered(response, response.status_code == 200)




def _edit(client, place):
    response = client.post(reverse("support:place_edit", args=[place.pk]), {
        "kind": "base", "level": "5", "name": place.name, "division": place.division_id, "opening_hours": "全天",
        "offers": ["incubation"], "facility_type": ""})
    return answered(response, Place.objects.get(pk=place.pk).opening_hours == "全天")


register(Probe("support.place_edit", SUBJECTS, _place, _edit))


def _export(client, _):
    response = client.get(reverse("support:places"), {"format": "csv"})
    return answered(response, response.status_code == 200)


register(Probe("support.place_export", (None,), lambda world, subject, account: None, _export))


def _targets(client, _):
    response = client.get(reverse("support:targets"))
    return answered(response, response.status_code == 200)


register(Probe("support.targets", (None,), lambda world, subject, account: None, _targets))


# --- incubation ---------------------------------------------------------------------------------------------
def _intake(world, subject, account) -> Intake:
    place = _place(world, subject, account)
    mine = subject == "linked" and account.role == "organization"
    return Intake.objects.create(
        base=place, division_id=place.division_id, group_name=f"探针团队{world.serial()}", contact_name="探针",
        contact_phone="13800000000", planned_track="filed", member_count=12, account=account if mine else None,
        source="placed", state="incubating", applied_on=date.today(), started_on=date.today())


def _intake_view(client, intake):
    response = client.get(reverse("support:intake", args=[intake.pk]))
    return answered(response, response.status_code == 200)


register(Probe("support.intake_view", SUBJECTS, _intake, _intake_view))


def _apply(client, _):
    user = client.get(reverse("core:home")).wsgi_request.user
    response = client.post(reverse("support:intake_apply"), {
        "group_name": "探针申请队", "contact_name": "探针", "contact_phone": "13800000000", "planned_track": "filed",
        "division": user.division_id, "base": ""})
    return answered(response, Intake.objects.filter(group_name="探针申请队").exists())


register(Probe("support.intake_apply", (None,), lambda world, subject, account: None, _apply))


def _incubate(client, intake):
    response = client.post(reverse("support:milestone_add", args=[intake.pk]), {"title": "探针节点",
                                                                               "due_on": "2027-06-30"})
    return answered(response, Milestone.objects.filter(intake=intake).exists())


register(Probe("support.incubate", SUBJECTS, _intake, _incubate))


PLACE_INTO_WHERE = {**WHERE, "county_base": "450102000000", "sibling_county_base": "450103000000"}


def _base_to_place_into(world, subject, account) -> Place:
    """A base at the subject's division: a community-level one in the line's places, a county-level one at the
    account's own county and at the sibling county (a street may place into the county base serving it)."""
    if subject not in ("county_base", "sibling_county_base"):
        return _place(world, subject, account)
    return services.save_place(world.superuser, Place(
        kind="base", level=3, name=f"探针县级基地{world.serial()}", division_id=PLACE_INTO_WHERE[subject],
        offers=",incubation,"), is_new=True)


def _place_into(client, place):
    user = client.get(reverse("core:home")).wsgi_request.user
    name = f"探针安排队{place.pk}"
    response = client.post(reverse("support:intake_place"), {
        "base": place.pk, "division": user.division_id, "group_name": name, "contact_name": "探针",
        "contact_phone": "13800000000", "planned_track": "filed"})
    return answered(response, Intake.objects.filter(group_name=name, base=place, source="placed").exists())


register(Probe("support.place_into", tuple(PLACE_INTO_WHERE), _base_to_place_into, _place_into))
# a street reads the county base serving it as well (read-only)
register(Probe("support.place_view", tuple(PLACE_INTO_WHERE), _base_to_place_into, _view))


def _graduate(client, intake):
    response = client.post(reverse("support:intake_graduate", args=[intake.pk]))
    return answered(response, Intake.objects.get(pk=intake.pk).application_id is not None)


register(Probe("support.graduate", SUBJECTS, _intake, _graduate))


# --- bookings -----------------------------------------------------------------------------------------------
def _room(world, subject, account, link=True):
    place = _place(world, subject, account)
    room = Room.objects.create(place=place, name="探针活动室", opens_at=time(8), closes_at=time(21))
    org = make_filed(world.superuser, name=f"探针队{world.serial()}", division="450102001003")
    if link and account.role == "organization":
        AccountLink.objects.create(user=account, organization=org, division_id=org.division_id)
    return room, org


def _prospect(world, subject, account) -> Booking:
    room, org = _room(world, subject, account)
    return Booking(room=room, division_id=room.place.division_id, organization=org, booked_by=account)


def _book(client, booking):
    day = date.today() + timedelta(days=3)
    response = client.post(reverse("support:book", args=[booking.room.pk]), {
        "organization": booking.organization.pk, "date": day.isoformat(), "start": "09:00", "end": "10:00",
        "purpose": "探针活动"})
    return answered(response, Booking.objects.filter(room=booking.room).exists())


register(Probe("support.book", SUBJECTS, _prospect, _book))


def _booking(world, subject, account) -> Booking:
    mine = subject == "linked" and account.role == "organization"
    room, org = _room(world, subject, account, link=mine)
    return Booking.objects.create(room=room, division_id=room.place.division_id, organization=org,
                                  booked_by=account if mine else world.superuser, date=date.today(), start=time(9),
                                  end=time(10), purpose="探针活动")


def _state(booking) -> str:
    return Booking.objects.get(pk=booking.pk).state


def _cancel(client, booking):
    response = client.post(reverse("support:booking_cancel", args=[booking.pk]), {"reason": "探针"})
    return answered(response, _state(booking) == "cancelled")


def _use(client, booking):
    response = client.post(reverse("support:booking_use", args=[booking.pk]), {"attendance": "10"})
    return answered(response, _state(booking) == "used")


register(Probe("support.booking_cancel", SUBJECTS, _booking, _cancel))
register(Probe("support.booking_use", SUBJECTS, _booking, _use))
