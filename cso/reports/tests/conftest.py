"""A few organizations in 兴宁区 and 青秀区 and a clock fixed inside the quarter under test."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cso.orgs.tests.factories import make_filed, make_registered
from cso.regions.models import Division

SHANGHAI = ZoneInfo("Asia/Shanghai")
XINGNING = "450102001003"  # 兴宁社区居委会 (民生街道)
BEINING = "450102001004"  # 北宁社区居委会 (民生街道)
GUANQIAO = "450102001201"  # 官桥村委会 (民生街道)
CHAOYANG = "450102002001"  # 朝阳社区居委会 (朝阳街道)
XINZHU = "450103001005"  # 新竹社区居委会 (青秀区)


def at(year, month, day, hour=10):
    """Travel to a moment in Beijing time (the clock stays still)."""
    return time_machine.travel(datetime(year, month, day, hour, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def registry(cast):
    """兴宁区: 4 live organizations on 2025-03-31, one more filed in April; 青秀区: 2."""
    county = cast["superuser"]  # setting up: the registering and filing bodies act through the superuser
    Division.objects.filter(code=XINGNING).update(population=10000, households=3000)
    Division.objects.filter(code=CHAOYANG).update(population=6000, households=2000)
    Division.objects.filter(code=XINZHU).update(population=8000, households=2500)
    orgs = {
        "a": make_registered(county, division=XINGNING, registered_on=date(2020, 5, 1)),
        "b": make_filed(county, division=XINGNING, filed_on=date(2021, 3, 1)),
        "c": make_filed(county, division=GUANQIAO, filed_on=date(2022, 3, 1)),
        "d": make_filed(county, division=CHAOYANG, filed_on=date(2023, 3, 1)),
        "e": make_filed(county, division=BEINING, filed_on=date(2025, 4, 10)),
        "x": make_filed(cast["superuser"], name="新竹社区太极拳队", division=XINZHU, filed_on=date(2021, 3, 1)),
        "y": make_filed(cast["superuser"], division=XINZHU, filed_on=date(2024, 3, 1)),
    }
    return orgs


R1 = date(2025, 5, 31)  # seed 000's first round: 截至 5/31 (this product's proposal), due 6/20
R2 = date(2025, 8, 31)  # due 9/20


@pytest.fixture
def reviewer(cast):
    """A second civil-affairs account of 兴宁区: the 审核人 of the tables the cast's county clerk prepares."""
    from cso.accounts.choices import Role
    from cso.demo.testing import make_user

    return make_user("county_reviewer", Role.CIVIL_AFFAIRS, "450102000000", full_name="李强")


@pytest.fixture
def outsider_reviewer(cast):
    from cso.accounts.choices import Role
    from cso.demo.testing import make_user

    return make_user("outsider_reviewer", Role.CIVIL_AFFAIRS, "450103000000", full_name="外县审核人")
