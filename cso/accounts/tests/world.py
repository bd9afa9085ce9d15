"""The world the generated permission test acts in: the test tree plus a second province (广东), one account for
every role × level on the 兴宁区 line, and helpers to place organizations anywhere."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from cso.accounts.responsibilities import roles_and_levels
from cso.demo.testing import EDITION, make_user
from cso.regions import codes
from cso.regions.models import Division

LINE = {  # the account of each level sits on this line
    codes.PROVINCE: "450000000000",
    codes.CITY: "450100000000",
    codes.COUNTY: "450102000000",
    codes.STREET: "450102001000",
    codes.COMMUNITY: "450102001003",
}
GUANGDONG = [
    ("440000000000", "广东省", 1, None),
    ("440100000000", "广州市", 2, "440000000000"),
    ("440103000000", "荔湾区", 3, "440100000000"),
    ("440103001000", "沙面街道", 4, "440103000000"),
    ("440103001001", "沙面社区居委会", 5, "440103001000"),
]
_serial = itertools.count(1)


class World:
    def __init__(self, cast):
        parents = {}
        for code, name, level, parent in GUANGDONG:
            parents[code] = Division.objects.create(code=code, name=name, level=level, parent=parents.get(parent),
                                                    edition=EDITION, first_edition=EDITION,
                                                    urban_rural_code="111" if level == 5 else "",
                                                    urban_rural_edition=EDITION if level == 5 else None)
        from cso.regions.authorities import ensure_authorities

        ensure_authorities("44")
        self.cast = cast
        self.superuser = cast["superuser"]
        self.accounts = {
            (role, level): make_user(f"probe_{role}_{level}", role, LINE[level])
            for role, level in roles_and_levels()
        }

    def account(self, role, level):
        return self.accounts[(role, level)]

    @staticmethod
    def division(code: str) -> Division:
        return Division.objects.get(code=code)

    @staticmethod
    def serial() -> int:
        return next(_serial)

    @staticmethod
    def body(code: str):
        from cso.regions.authorities import civil_affairs_body

        return civil_affairs_body(Division.objects.get(code=code))

    @staticmethod
    def capital() -> Decimal:
        return Decimal("5000")

    @staticmethod
    def today() -> date:
        return date.today()
