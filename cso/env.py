"""Typed helpers that read settings from the environment (healthchecks style)."""

import os
import re


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_quarter_days(name: str, default: dict[int, str]) -> dict[int, str]:
    """A day of the year for each quarter, e.g. ``1:03-20,2:06-20,3:09-20,4:12-20``."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return dict(default)
    days = dict(default)
    for item in value.split(","):
        match = re.fullmatch(r"\s*([1-4]):([0-9]{1,2})-([0-9]{1,2})\s*", item, re.ASCII)
        if match is None:
            raise ValueError(f"{name}: '{item}' should look like 2:06-20 (quarter:MM-DD)")
        quarter, month, dom = (int(group) for group in match.groups())
        if not (1 <= month <= 12 and 1 <= dom <= 31):
            raise ValueError(f"{name}: '{item}' is not a day of the year")
        days[quarter] = f"{month:02d}-{dom:02d}"
    return days
