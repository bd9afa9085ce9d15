"""Pure rules about statistical division codes (统计用区划代码). No database access here.

A code has 12 digits: province 1–2, prefecture 3–4, county 5–6, township 7–9, village 10–12.
A division's subtree is every code that starts with its prefix; because all codes have the same
length and only digits, the subtree is also the closed range ``[prefix000…, prefix999…]``, which
every database answers from the primary-key index (``LIKE 'x%'`` does not on SQLite).
"""

from __future__ import annotations

import re

# The hierarchy's shape (lengths, levels, prefixes, subtree ranges) is core's, which scoping needs.
from cso.core.hierarchy import (  # noqa: F401  (re-exported)
    CITY,
    CODE_LENGTH,
    COMMUNITY,
    COUNTY,
    LEVELS,
    PREFIX_LENGTH,
    PROVINCE,
    STREET,
    subtree_bounds,
)

LEVEL_NAMES = {
    PROVINCE: "省级",
    CITY: "地级",
    COUNTY: "县级",
    STREET: "乡级（街道、乡镇）",
    COMMUNITY: "村级（社区、村）",
}
LEVEL_SHORT_NAMES = {PROVINCE: "省", CITY: "市", COUNTY: "县（区）", STREET: "街道（乡镇）", COMMUNITY: "社区（村）"}

_CODE_RE = re.compile(r"[0-9]{12}")

# Unit types read from the code (digits 7–9 for a township, 10–12 for a village-level unit).
UNIT_STREET = "street"  # 街道 001–099
UNIT_TOWN = "town"  # 镇 100–199
UNIT_TOWNSHIP = "township"  # 乡 200–399
UNIT_RESIDENTS = "residents"  # 居委会 001–199
UNIT_VILLAGERS = "villagers"  # 村委会 200–399
UNIT_OTHER = "other"  # 400–599 类似乡级单位 / other village-level units
UNIT_TYPE_NAMES = {
    UNIT_STREET: "街道",
    UNIT_TOWN: "镇",
    UNIT_TOWNSHIP: "乡",
    UNIT_RESIDENTS: "居委会",
    UNIT_VILLAGERS: "村委会",
    UNIT_OTHER: "其他",
}

# 城乡分类代码: 1xx urban, 2xx rural.
URBAN_RURAL_CODES = {
    "111": "主城区",
    "112": "城乡结合区",
    "121": "镇中心区",
    "122": "镇乡结合区",
    "123": "特殊区域",
    "210": "乡中心区",
    "220": "村庄",
}


class CodeError(ValueError):
    """A code that is not a valid statistical division code; the message is for people."""


def is_valid_code(code: str) -> bool:
    return bool(_CODE_RE.fullmatch(code or ""))


def level_of(code: str) -> int:
    """The level a 12-digit code's shape implies (trailing zero groups).

    Note: towns under prefecture cities without counties (东莞 4419, 中山 4420, 儋州 4604) have a
    level-4 code whose county digits are 00, e.g. 441900003000; the shape still says level 4.
    """
    if not is_valid_code(code):
        raise CodeError(f"区划代码应为12位数字：{code!r}")
    if code[9:] != "000":
        return COMMUNITY
    if code[6:9] != "000":
        return STREET
    if code[4:6] != "00":
        return COUNTY
    if code[2:4] != "00":
        return CITY
    if code[:2] != "00":
        return PROVINCE
    raise CodeError(f"区划代码不能全为0：{code!r}")


def prefix_of(code: str, level: int) -> str:
    return code[: PREFIX_LENGTH[level]]


def pad_code(code: str) -> str:
    """Pad a 2/4/6/9-digit code with zeros to 12 digits (as the published files do)."""
    code = (code or "").strip()
    if not code.isdigit() or len(code) > CODE_LENGTH:
        raise CodeError(f"区划代码应为数字且不超过12位：{code!r}")
    return code.ljust(CODE_LENGTH, "0")


def unit_type_of(code: str, level: int) -> str:
    """Street/town/township for level 4, residents'/villagers' committee for level 5."""
    if level == STREET:
        n = int(code[6:9])
        if 1 <= n <= 99:
            return UNIT_STREET
        if 100 <= n <= 199:
            return UNIT_TOWN
        if 200 <= n <= 399:
            return UNIT_TOWNSHIP
        return UNIT_OTHER
    if level == COMMUNITY:
        n = int(code[9:12])
        if 1 <= n <= 199:
            return UNIT_RESIDENTS
        if 200 <= n <= 399:
            return UNIT_VILLAGERS
        return UNIT_OTHER
    return ""


def is_urban_by_committee(code: str) -> bool | None:
    """Reading 1 of "urban community": a residents' committee (居委会, 001–199)."""
    t = unit_type_of(code, COMMUNITY)
    if t == UNIT_RESIDENTS:
        return True
    if t == UNIT_VILLAGERS:
        return False
    return None


def is_urban_by_urban_rural_code(urban_rural_code: str) -> bool | None:
    """Reading 2 of "urban community": 城乡分类代码 1xx is urban, 2xx rural; unknown is None."""
    if not urban_rural_code:
        return None
    if urban_rural_code.startswith("1"):
        return True
    if urban_rural_code.startswith("2"):
        return False
    return None


def expected_parent_levels(level: int) -> tuple[int, ...]:
    """Levels a parent of a unit at ``level`` may have.

    A township normally hangs under a county, but under a prefecture city that has no counties
    (东莞, 中山, 儋州) it hangs directly under the city.
    """
    if level == PROVINCE:
        return ()
    if level == STREET:
        return (COUNTY, CITY)
    return (level - 1,)
