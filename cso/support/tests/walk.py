"""Objects of cultivation's support side in the sibling county, for the permission walk
(tests/test_permission_walk.py): a base with a photo and a room, an intake with a milestone, and a booking."""

from datetime import date, time

from cso.support.models import Booking, Intake, Milestone, Place, PlacePhoto, Room


def foreign_support(organization, cast) -> dict:
    place = Place.objects.create(kind="base", level=4, name="新竹街道组织孵化基地", division_id="450103001000",
                                 offers=",incubation,")
    photo = PlacePhoto.objects.create(place=place, original_name="新竹街道组织.png", stored_name="1" * 32 + ".png",
                                      content_type="image/png", size=1, sha256="0" * 64)
    room = Room.objects.create(place=place, name="新竹街道组织活动室")
    intake = Intake.objects.create(base=place, division_id="450103001005", group_name="新竹街道组织孵化队",
                                   contact_name="新竹街道组织", contact_phone="1", source="placed", state="incubating",
                                   applied_on=date(2026, 1, 5), started_on=date(2026, 1, 5),
                                   account=cast["outsider_county"])
    milestone = Milestone.objects.create(intake=intake, title="新竹街道组织", due_on=date(2026, 6, 1))
    booking = Booking.objects.create(room=room, division_id="450103001000", organization=organization,
                                     booked_by=cast["outsider_county"], date=date(2026, 1, 5), start=time(9),
                                     end=time(10), purpose="新竹街道组织")
    return {"place_id": place.pk, "photo": photo.pk, "room": room.pk, "intake_id": intake.pk,
            "milestone": milestone.pk, "booking_id": booking.pk}
