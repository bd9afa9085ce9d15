"""Whether a kind of application waits for the community's (or the street's) opinion before the deciding body
acts: ``CSO_COMMUNITY_OPINION``, per kind and per province (本平台建议; seed 001: registered community
organizations are under the registering body and the street's 双重负责 — the street sees and gives opinions
without deciding).

``CSO_COMMUNITY_OPINION = {"registration": {"default": True, "31": False}, "filing": True}`` — a kind maps to a
bool, or to a dict of province codes (the first two digits) with a ``"default"``."""

from __future__ import annotations

from django.conf import settings

DEFAULT_COMMUNITY_OPINION = {"preparation": True, "registration": True, "filing": False}


def opinion_required(kind_code: str, division_code: str | None) -> bool:
    table = {**DEFAULT_COMMUNITY_OPINION, **getattr(settings, "CSO_COMMUNITY_OPINION", {})}
    value = table.get(kind_code, False)
    if isinstance(value, dict):
        fallback = value.get("default", DEFAULT_COMMUNITY_OPINION.get(kind_code, False))
        return bool(value.get((division_code or "")[:2], fallback))
    return bool(value)
