"""A small real hierarchy and a fixed cast of users for tests (one per role plus outsiders).

南宁市 兴宁区 is "home"; 青秀区 is the sibling county and 朝阳街道 the sibling street, where the
outsiders live. Codes and names are real (2023 statistical codes).
"""

from __future__ import annotations

from cso.accounts.choices import Role
from cso.accounts.models import User
from cso.regions.models import Division

EDITION = 2023
PASSWORD = "Cso-test-2026"

# code, name, level, parent, urban_rural_code
TREE = [
    ("450000000000", "广西壮族自治区", 1, None, ""),
    ("450100000000", "南宁市", 2, "450000000000", ""),
    ("450102000000", "兴宁区", 3, "450100000000", ""),
    ("450102001000", "民生街道", 4, "450102000000", ""),
    ("450102001003", "兴宁社区居委会", 5, "450102001000", "111"),
    ("450102001004", "北宁社区居委会", 5, "450102001000", "111"),
    ("450102001201", "官桥村委会", 5, "450102001000", "112"),
    ("450102002000", "朝阳街道", 4, "450102000000", ""),
    ("450102002001", "朝阳社区居委会", 5, "450102002000", "111"),
    ("450102002201", "虎邱村委会", 5, "450102002000", "220"),
    ("450103000000", "青秀区", 3, "450100000000", ""),
    ("450103001000", "新竹街道", 4, "450103000000", ""),
    ("450103001005", "新竹社区居委会", 5, "450103001000", "111"),
    ("450103001006", "思贤社区居委会", 5, "450103001000", "111"),
    ("450200000000", "柳州市", 2, "450000000000", ""),
    ("450202000000", "城中区", 3, "450200000000", ""),
    ("450202001000", "城中街道", 4, "450202000000", ""),
    ("450202001001", "龙城社区居委会", 5, "450202001000", "111"),
]

# name, role, division code
CAST = {
    "province": (Role.CIVIL_AFFAIRS, "450000000000"),
    "city": (Role.CIVIL_AFFAIRS, "450100000000"),
    "county": (Role.CIVIL_AFFAIRS, "450102000000"),
    "street": (Role.STREET, "450102001000"),
    "community": (Role.COMMUNITY, "450102001003"),
    "operator": (Role.OPERATOR, "450102001000"),
    "organization": (Role.ORGANIZATION, "450102001003"),
    # the registering body of 兴宁区 (登记管理机关), apart from the bureau that supervises ("county")
    "registrar": (Role.REGISTRAR, "450102000000"),
    "city_registrar": (Role.REGISTRAR, "450100000000"),
    # outsiders: a sibling county and a sibling street
    "outsider_county": (Role.CIVIL_AFFAIRS, "450103000000"),
    "outsider_street": (Role.STREET, "450102002000"),
    "outsider_community": (Role.COMMUNITY, "450103001005"),
    "outsider_registrar": (Role.REGISTRAR, "450103000000"),
}


def build_tree() -> dict[str, Division]:
    divisions: dict[str, Division] = {}
    for code, name, level, parent, urban_rural in TREE:
        divisions[code] = Division.objects.create(
            code=code,
            name=name,
            level=level,
            parent=divisions.get(parent) if parent else None,
            urban_rural_code=urban_rural,
            urban_rural_edition=EDITION if urban_rural else None,
            edition=EDITION,
            first_edition=EDITION,
        )
    from cso.regions.authorities import ensure_authorities

    ensure_authorities()  # 民政部 and the civil-affairs bodies, as a division import creates them
    return divisions


def make_user(username: str, role: str, division_code: str | None, **extra) -> User:
    user = User(
        username=username,
        role=role,
        division_id=division_code,
        full_name=extra.pop("full_name", username),
        **extra,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def build_cast() -> dict[str, User]:
    users = {name: make_user(name, role, code) for name, (role, code) in CAST.items()}
    users["superuser"] = make_user("superuser", Role.ADMIN, None, is_superuser=True, is_staff=True)
    return users
