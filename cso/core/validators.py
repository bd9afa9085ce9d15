"""Validators shared by several apps."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# --- 电话号码 (phone numbers) -------------------------------------------------------------------------------
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Area code 0 + 2–3 digits, a 7–8 digit number not starting with 0/1, optional extension.
LANDLINE_RE = re.compile(r"^(0\d{2,3})-?([2-9]\d{6,7})(?:-(\d{1,6}))?$")
SERVICE_RE = re.compile(r"^[48]00-?\d{3}-?\d{4}$")


# Full-width ASCII (！ … ～) folded to ASCII; the patterns compiled once (the import checks two numbers a row).
_FULL_WIDTH = str.maketrans({c: c - 0xFEE0 for c in range(ord("！"), ord("～") + 1)})
_PHONE_NOISE_RE = re.compile(r"[\s()（）]")
_PHONE_COUNTRY_RE = re.compile(r"^(\+86|0086)-?")
_PLAIN_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")  # already normal: nothing to fold or strip


def normalize_phone(value: str | None) -> str:
    if not value:
        return ""
    value = str(value)
    if _PLAIN_MOBILE_RE.fullmatch(value):  # the usual cell
        return value
    value = value.translate(_FULL_WIDTH).strip()
    value = _PHONE_NOISE_RE.sub("", value)
    value = _PHONE_COUNTRY_RE.sub("", value)
    value = value.replace("—", "-").replace("转", "-")
    return value


def validate_phone(value: str) -> str:
    """A mainland mobile (11 digits, 1[3-9]…) or landline (区号-号码[-分机]) number; normalised."""
    if value and type(value) is str and _PLAIN_MOBILE_RE.fullmatch(value):
        return value
    phone = normalize_phone(value)
    if MOBILE_RE.match(phone.replace("-", "")):
        return phone.replace("-", "")
    match = LANDLINE_RE.match(phone)
    if match:
        area, number, ext = match.groups()
        return f"{area}-{number}" + (f"-{ext}" if ext else "")
    if SERVICE_RE.match(phone):
        digits = phone.replace("-", "")
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    raise ValidationError(
        f"电话号码“{value}”格式不正确：手机号为11位（如13812345678），固定电话为区号-号码（如0771-5551234）。",
        code="phone",
    )
