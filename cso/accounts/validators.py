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
