"""One-time SMS codes (sign-up): issued with per-phone and per-address limits, sent by a background task,
kept only as a keyed hash, checked in constant time, valid for a few minutes and a few attempts, used once.

Settings (per place, README): ``CSO_PHONE_CODE_MINUTES`` (10), ``CSO_PHONE_CODE_ATTEMPTS`` (5),
``CSO_PHONE_CODES_PER_PHONE_HOUR`` (5), ``CSO_PHONE_CODES_PER_ADDRESS_HOUR`` (20).

Whether a number already has an account is never told before its owner proved it holds the phone: the
answer to "send me a code" is the same either way.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import PhoneCode
from .validators import mask_mobile, validate_mobile

CODE_DIGITS = 6


def code_minutes() -> int:
    return getattr(settings, "CSO_PHONE_CODE_MINUTES", 10)


def max_attempts() -> int:
    return getattr(settings, "CSO_PHONE_CODE_ATTEMPTS", 5)


def per_phone_hour() -> int:
    return getattr(settings, "CSO_PHONE_CODES_PER_PHONE_HOUR", 5)


def per_address_hour() -> int:
    return getattr(settings, "CSO_PHONE_CODES_PER_ADDRESS_HOUR", 20)


def code_of(nonce: str) -> str:
    """The code a nonce stands for (keyed by the secret key). The SMS task is queued with the nonce, not the
    code, so the task queue's table (and a Redis dump) never holds a usable code."""
    key = f"cso.phonecode.nonce:{settings.SECRET_KEY}".encode()
    number = int.from_bytes(hmac.new(key, nonce.encode(), hashlib.sha256).digest()[:8], "big")
    return f"{number % 10 ** CODE_DIGITS:0{CODE_DIGITS}d}"


def code_text(nonce: str) -> str:
    return (f"【社会组织服务平台】您的验证码为{code_of(nonce)}，{code_minutes()}分钟内有效。"
            f"如非本人操作，请忽略本短信。")


def _digest(phone: str, purpose: str, code: str) -> str:
    key = f"cso.phonecode:{settings.SECRET_KEY}".encode()
    return hmac.new(key, f"{purpose}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


class TooMany(ValidationError):
    """The phone or the client address asked for too many codes within the hour."""


@dataclass(frozen=True)
class Issued:
    phone: str
    masked: str


def issue(phone: str, purpose: str = PhoneCode.Purpose.SIGNUP, address: str | None = None) -> Issued:
    """Make a code for ``phone`` and queue its SMS (a background task). The same for registered numbers
    and new ones. Raises ``TooMany`` past the hourly limits, ValidationError for a malformed number."""
    phone = validate_mobile(phone)
    since = timezone.now() - timedelta(hours=1)
    recent = PhoneCode.objects.filter(created__gte=since)
    if recent.filter(phone=phone).count() >= per_phone_hour():
        raise TooMany(f"该手机号码一小时内获取验证码已达{per_phone_hour()}次，请稍后再试。", code="too_many_phone")
    if address and recent.filter(client_address=address).count() >= per_address_hour():
        raise TooMany("您所在的网络获取验证码过于频繁，请稍后再试。", code="too_many_address")
    nonce = secrets.token_urlsafe(16)
    code = code_of(nonce)
    with transaction.atomic():
        # an earlier code of the same phone and purpose stops working: only the newest counts
        PhoneCode.objects.filter(phone=phone, purpose=purpose, used=False).update(used=True)
        PhoneCode.objects.create(phone=phone, purpose=purpose, code_hash=_digest(phone, purpose, code),
                                 client_address=address)
    from .tasks import send_code

    transaction.on_commit(lambda: send_code.enqueue(phone, nonce))
    return Issued(phone, mask_mobile(phone))


WRONG = "验证码错误或已失效，请核对，或重新获取验证码。"


def verify(phone: str, code: str, purpose: str = PhoneCode.Purpose.SIGNUP) -> None:
    """The newest live code of ``phone`` matches ``code``: it is used up. Otherwise a ValidationError
    (each wrong try counts; after ``max_attempts`` the code is dead)."""
    phone = validate_mobile(phone)
    code = (code or "").strip()
    cutoff = timezone.now() - timedelta(minutes=code_minutes())
    record = (PhoneCode.objects.filter(phone=phone, purpose=purpose, used=False, created__gte=cutoff)
              .order_by("-created", "-id").first())
    if record is None:
        raise ValidationError(WRONG, code="no_code")
    if record.attempts >= max_attempts():
        raise ValidationError(f"验证码已输错{max_attempts()}次而失效，请重新获取验证码。", code="too_many_attempts")
    # count the try first (committed even when the caller's later work fails)
    PhoneCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
    if not hmac.compare_digest(record.code_hash, _digest(phone, purpose, code)):
        left = max_attempts() - record.attempts - 1
        if left <= 0:
            raise ValidationError(f"验证码已输错{max_attempts()}次而失效，请重新获取验证码。",
                                  code="too_many_attempts")
        raise ValidationError(f"{WRONG}（还可尝试{left}次）", code="wrong_code")
    used = PhoneCode.objects.filter(pk=record.pk, used=False).update(used=True)
    if not used:  # a concurrent request used it first
        raise ValidationError(WRONG, code="used")
