"""Shared makers of the support tests."""

from __future__ import annotations

from datetime import time

from cso.orgs.models import AccountLink
from cso.support import services
from cso.support.models import Place, Room

COUNTY, STREET, COMMUNITY, COMMUNITY_2 = "450102000000", "450102001000", "450102001003", "450102001004"
SIBLING_COUNTY_COMMUNITY = "450103001005"


def make_place(user, division=COMMUNITY, kind="facility", level=None, name=None, **extra) -> Place:
    place = Place(kind=kind, level=level, name=name or f"测试{kind}{division[-3:]}", division_id=division, **extra)
    return services.save_place(user, place, is_new=True)


def make_base(user, division=STREET, level=4, name="民生街道孵化基地") -> Place:
    return make_place(user, division, kind="base", level=level, name=name, offers=",incubation,office,")


def link_base(account, place: Place) -> None:
    AccountLink.objects.create(user=account, base=place.base, division_id=place.division_id)


def link_org(account, org) -> None:
    AccountLink.objects.get_or_create(user=account, organization=org, defaults={"division_id": org.division_id})


def make_room(place: Place, name="多功能活动室") -> Room:
    return Room.objects.create(place=place, name=name, capacity=40, opens_at=time(8), closes_at=time(21))
