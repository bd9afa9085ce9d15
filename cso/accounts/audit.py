"""Tabs of the audit log that other apps contribute (the registry's decisions, …) without this app importing
them: an app registers a tab in its ``AppConfig.ready``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditTab:
    key: str
    label: str
    build: Callable  # (request) -> (template name, context): the tab's body, scoped to the viewer


TABS: dict[str, AuditTab] = {}


def register(key: str, label: str, build: Callable) -> None:
    TABS[key] = AuditTab(key, label, build)
