"""The import's speed-ups change nothing a clerk sees: the field screen's memo of value combinations never lets
a bad value through after good ones, and the phone validator's fast path gives what the full path gives."""

import random
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cso.core.validators import normalize_phone, validate_phone
from cso.orgs import importing
from cso.orgs.choices import Status
from cso.orgs.models import Organization


def _org(defaults, i=1, **values):
    row = {"name": f"兴宁社区舞蹈队{i}", "track": "filed", "org_type": "activity_team", "tier": "community",
           "address": "活动室", "founded_on": date(2019, 5, 1), "filed_on": date(2021, 3, 1), "member_count": 20,
           "contact_name": "张三", "contact_phone": "13812345678", "party_building": "instructor",
           "financial_custody": False, "is_hub": False, "credit_code": None, "is_community_org": True}
    return importing._instance(Organization, defaults, **{**row, **values})


def test_the_field_screen_memo_rejects_what_a_fresh_screen_rejects():
    defaults = importing._defaults(Organization(status=Status.ACTIVE))
    screen = importing.FieldScreen(Organization, importing.ORG_UNCHECKED)
    assert all(screen.passes(_org(defaults, i)) for i in range(50))  # the combination is now remembered
    bad = [{"member_count": True}, {"member_count": 20.0}, {"member_count": -1}, {"track": "其他"},
           {"name": "名" * 201}, {"name": ""}, {"address": "a\x00"}, {"founded_on": "2019-05-01"},
           {"registered_capital": Decimal("sNaN")}, {"registered_capital": Decimal("1e30")}, {"is_hub": 1}]
    for values in bad:
        fresh = importing.FieldScreen(Organization, importing.ORG_UNCHECKED)
        assert not screen.passes(_org(defaults, **values)) and not fresh.passes(_org(defaults, **values)), values


def _old_normalize(value):  # the normalisation as it was written first
    import re

    if not value:
        return ""
    value = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in str(value)).strip()
    value = re.sub(r"[\s()（）]", "", value)
    value = re.sub(r"^(\+86|0086)-?", "", value)
    return value.replace("—", "-").replace("转", "-")


@pytest.mark.parametrize("value", ["13812345678", "１３８１２３４５６７８", " 138 1234 5678 ", "+86-13812345678",
                                   "(0771)5551234", "0771—5551234转12", "4００-123-4567", "13812345678\n", "",
                                   "12345678901", 13812345678])
def test_phone_numbers_are_normalised_and_checked_as_before(value):
    assert normalize_phone(value) == _old_normalize(value)
    try:
        expected = validate_phone(_old_normalize(value)) if _old_normalize(value) else None
    except ValidationError:
        expected = ValidationError
    try:
        got = validate_phone(value) if value else None
    except ValidationError:
        got = ValidationError
    assert got == expected


def test_random_phone_texts_normalise_as_before():
    rnd = random.Random(9)
    alphabet = "0123456789０１２３４５６７８９ -+()（）—转！～a\n"
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 16)))
        assert normalize_phone(text) == _old_normalize(text), text
