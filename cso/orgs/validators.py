"""Pure validators for the registry. No database access here; messages are for people.

Codes are checked with python-stdnum (``stdnum.cn.uscc``, ``stdnum.cn.ric``), never by hand.
"""

from __future__ import annotations

import re
import secrets
from datetime import date

from django.core.exceptions import ValidationError
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from .choices import USCC_CIVIL_AFFAIRS, USCC_TYPE_DIGITS, USCC_TYPE_NAMES, OrgType

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


# --- 统一社会信用代码 ------------------------------------------------------------------------
def normalize_credit_code(value: str | None) -> str:
    """Upper case, without spaces or hyphens; full-width characters folded to ASCII."""
    if not value:
        return ""
    value = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in str(value))
    return re.sub(r"[\s\-]", "", value).upper()


def validate_credit_code(value: str, org_type: str | None = None) -> str:
    """A civil-affairs unified social credit code; returns it normalised.

    Checks length, alphabet and check character (stdnum), then position 1 = "5" (民政) and
    position 2 = the legal-person type; with ``org_type`` the type digit must match it.
    """
    code = normalize_credit_code(value)
    try:
        uscc.validate(code)
    except InvalidLength as exc:
        raise ValidationError(
            f"统一社会信用代码应为18位，当前为{len(code)}位。", code="uscc_length"
        ) from exc
    except InvalidFormat as exc:
        raise ValidationError(
            "统一社会信用代码格式不正确：前8位须为数字，其余为数字或大写字母（不含I、O、Z、S、V）。",
            code="uscc_format",
        ) from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            "统一社会信用代码校验位不正确，请核对是否有录入错误。", code="uscc_checksum"
        ) from exc
    if code[0] != USCC_CIVIL_AFFAIRS:
        raise ValidationError(
            f"统一社会信用代码第1位应为“5”（民政部门登记），当前为“{code[0]}”。", code="uscc_department"
        )
    if code[1] not in USCC_TYPE_NAMES:
        raise ValidationError(
            f"统一社会信用代码第2位“{code[1]}”不是民政部门的机构类别"
            "（1 社会团体、2 民办非企业单位、3 基金会、9 其他）。",
            code="uscc_type",
        )
    if org_type:
        expected = USCC_TYPE_DIGITS.get(org_type)
        if expected is None:
            raise ValidationError(f"{OrgType(org_type).label}没有统一社会信用代码。", code="uscc_not_applicable")
        if code[1] != expected:
            raise ValidationError(
                f"统一社会信用代码第2位为“{code[1]}”（{USCC_TYPE_NAMES[code[1]]}），"
                f"与组织类型“{OrgType(org_type).label}”应有的“{expected}”不符。",
                code="uscc_type_mismatch",
            )
    return code


def credit_code_region(code: str) -> str:
    """Characters 3–8 of a credit code: the region code (GB/T 2260) of the registering body."""
    return normalize_credit_code(code)[2:8]


def credit_code_region_warning(code: str, authority) -> str | None:
    """A message when the credit code's region code (characters 3–8) is not the one the registering
    body ``authority`` writes (its ``region_code``); None when they agree or the code is too short
    to say."""
    region = credit_code_region(code)
    if len(region) != 6 or authority is None:
        return None
    expected = authority.region_code
    if region == expected:
        return None
    return (f"统一社会信用代码第3–8位为“{region}”，与登记管理机关“{authority.name}”的区划代码“{expected}”不符；"
            "请核对登记管理机关或信用代码（区划调整前颁发的代码可能不同）。")


def org_type_from_credit_code(code: str) -> str | None:
    """The organization type a credit code's second character names, if one of ours."""
    code = normalize_credit_code(code)
    for org_type, digit in USCC_TYPE_DIGITS.items():
        if len(code) > 1 and code[1] == digit:
            return org_type
    return None


# --- 居民身份证号码 ---------------------------------------------------------------------------
def validate_id_number(value: str) -> str:
    """An 18-digit resident ID number (check character, birth date, place code); normalised."""
    number = normalize_credit_code(value)
    try:
        ric.validate(number)
    except InvalidLength as exc:
        raise ValidationError(
            f"身份证号码应为18位，当前为{len(number)}位。", code="ric_length"
        ) from exc
    except InvalidFormat as exc:
        raise ValidationError(
            "身份证号码格式不正确：前17位须为数字，最后一位为数字或X。", code="ric_format"
        ) from exc
    except InvalidChecksum as exc:
        raise ValidationError("身份证号码校验位不正确，请核对是否有录入错误。", code="ric_checksum") from exc
    except InvalidComponent as exc:
        raise ValidationError(
            "身份证号码中的出生日期或地区代码不正确。", code="ric_component"
        ) from exc
    if ric.get_birth_date(number) > date.today():
        raise ValidationError("身份证号码中的出生日期晚于今天。", code="ric_component")
    return number


def mask_id_number(value: str | None) -> str:
    """Shown to everyone without a need to see the full number: ``4501**********002X``."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    digits = value or ""
    if len(digits) < 7:
        return digits
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


# --- 电话号码: shared with accounts, kept in cso.core.validators ----------------------------------
from cso.core.validators import (  # noqa: E402
    LANDLINE_RE,
    MOBILE_RE,
    SERVICE_RE,
    normalize_phone,
    validate_phone,
)

__all__ = ["LANDLINE_RE", "MOBILE_RE", "SERVICE_RE", "normalize_phone", "validate_phone"]


# --- 自有标识 --------------------------------------------------------------------------------
UID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U
UID_RANDOM_LENGTH = 10
UID_RE = re.compile(rf"^ZZ\d{{4}}[{UID_ALPHABET}]{{{UID_RANDOM_LENGTH}}}$")


def generate_uid(year: int | None = None) -> str:
    """The registry's own identifier: "ZZ" + year + 10 base-32 characters.

    Ten random characters (50 bits) rather than eight: with 3.5 million organizations eight
    characters (40 bits) would be expected to collide a few times within one year.
    """
    year = year or date.today().year
    bits = secrets.randbits(5 * UID_RANDOM_LENGTH)  # one draw, five bits per character
    return f"ZZ{year:04d}" + "".join(UID_ALPHABET[(bits >> shift) & 31] for shift in range(0, 5 * UID_RANDOM_LENGTH, 5))


def validate_uid(value: str) -> None:
    if not UID_RE.match(value or ""):
        raise ValidationError("组织标识格式不正确。", code="uid")
