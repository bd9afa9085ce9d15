"""Two groups book the same room for the same time at once: the room's row is locked and the overlap checked again
inside the transaction, so exactly one booking is made (PostgreSQL: real row locks between two connections)."""

import threading
from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from cso.orgs.tests.factories import make_filed
from cso.support import services
from cso.support.models import Booking

from .helpers import COMMUNITY, link_org, make_place, make_room


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL")
def test_two_concurrent_bookings_of_one_slot_make_exactly_one(cast):
    place = make_place(cast["superuser"], COMMUNITY, kind="facility", name="兴宁社区文化活动中心")
    room = make_room(place)
    account = cast["organization"]
    orgs = [make_filed(cast["superuser"], name=f"并发队{i}") for i in range(2)]
    for org in orgs:
        link_org(account, org)
    day = date.today() + timedelta(days=2)
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(org):
        try:
            barrier.wait()
            services.book(account, room, org, day, time(14), time(16), "同一时段")
            outcomes.append("booked")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(org,)) for org in orgs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["booked", "refused"]
    assert Booking.objects.filter(room=room, date=day).count() == 1
