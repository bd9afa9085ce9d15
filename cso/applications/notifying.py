"""The hook through which the application engine tells people something without knowing how they are told.

``cso.notices`` (a layer above) connects its ``notify`` here when it is ready; the engine (the overdue scan)
calls ``notify(user, title, body, link, kind=..., related=...)``. With nothing connected nothing is sent."""

from __future__ import annotations

from collections.abc import Callable

_NOTIFIERS: list[Callable] = []


def connect(notifier: Callable) -> None:
    if notifier not in _NOTIFIERS:
        _NOTIFIERS.append(notifier)


def notify(user, title: str, body: str = "", link: str = "", *, kind: str = "", related=None) -> None:
    for notifier in _NOTIFIERS:
        notifier(user, title, body, link, kind=kind, related=related)
