import re

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """Password policy: at least letters and digits (and by default one more class)."""

    def __init__(self, min_classes: int = 2):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = sum(
            bool(re.search(pattern, password))
            for pattern in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]")
        )
        if classes < self.min_classes or not re.search(r"\d", password) or not re.search(
            r"[A-Za-z]", password
        ):
            raise ValidationError(
                "密码须同时包含字母和数字（可再加大写字母或符号以增强安全性）。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return "密码须同时包含字母和数字。"


MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(value: str) -> str:
    """Spaces, hyphens and a leading +86 / 0086 dropped: "+86 138-0013-8000" → "13800138000"."""
    text = re.sub(r"[\s\-()（）]", "", str(value or ""))
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text = text[len(prefix):]
            break
    return text


def validate_mobile(value: str) -> str:
    """A mainland mobile number (11 digits, 1[3-9]…), normalized; otherwise a Chinese ValidationError."""
    text = normalize_mobile(value)
    if not MOBILE_RE.match(text):
        raise ValidationError("请填写正确的11位手机号码（以13–19开头）。", code="invalid_mobile")
    return text


def mask_mobile(value: str) -> str:
    """For display: 13812345678 → 138****5678 (anything not a mobile number is masked all but its ends)."""
    text = normalize_mobile(value)
    if len(text) == 11 and text.isdigit():
        return f"{text[:3]}****{text[7:]}"
    if len(text) <= 4:
        return "*" * len(text)
    return f"{text[:2]}{'*' * (len(text) - 4)}{text[-2:]}"
