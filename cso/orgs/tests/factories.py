"""Helpers that build valid organizations through the services (the rules always apply)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from stdnum.cn import ric, uscc

from cso.orgs import services

_serial = itertools.count(1)

COUNTY = "450102000000"  # 兴宁区
STREET = "450102001000"  # 民生街道
COMMUNITY = "450102001003"  # 兴宁社区居委会
COMMUNITY_2 = "450102001004"  # 北宁社区居委会
FOREIGN_COUNTY = "450103000000"  # 青秀区
FOREIGN_COMMUNITY = "450103001005"  # 新竹社区居委会


def credit_code(type_digit: str = "1", region: str = "450102", body: str | None = None) -> str:
    """A civil-affairs credit code with a correct check character."""
    body = body or f"MJ{next(_serial):07d}"
    partial = f"5{type_digit}{region}{body}"
    return partial + uscc.calc_check_digit(partial)


def id_number(place: str = "450102", born: str = "19850312", seq: str = "123") -> str:
    partial = place + born + seq
    return partial + ric.calc_check_digit(partial + "0")


def county_authority(code: str = COUNTY):
    """The civil-affairs body of a county of the test tree (created on first use)."""
    from cso.regions.authorities import civil_affairs_body
    from cso.regions.models import Division

    return civil_affairs_body(Division.objects.get(pk=code))


def registered_data(**extra) -> dict:
    data = {
        "name": f"兴宁区社区服务协会{next(_serial)}",
        "track": "registered",
        "org_type": "social_group",
        "credit_code": credit_code("1"),
        "registration_authority": county_authority(),
        "division": COMMUNITY,
        "registered_on": date(2020, 5, 1),
        "founded_on": date(2020, 5, 1),
        "registered_capital": Decimal("5000"),
    }
    data.update(extra)
    return data


def filed_data(**extra) -> dict:
    data = {
        "name": f"兴宁社区太极拳队{next(_serial)}",
        "track": "filed",
        "org_type": "activity_team",
        "division": COMMUNITY,
        "filed_on": date(2021, 3, 1),
        "member_count": 15,
    }
    data.update(extra)
    return data


def make_registered(user, **extra):
    return services.create_organization(registered_data(**extra), user)


def make_filed(user, **extra):
    return services.create_organization(filed_data(**extra), user)
