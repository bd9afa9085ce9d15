"""The hook through which every domain lets the generated permission test try its actions over HTTP.

The test (tests/test_responsibilities.py) takes every action of ``responsibilities.ACTIONS`` and every
role × level, builds each of the action's *subjects* (objects placed inside and outside every row's
reach), tries the action through the HTTP layer as that account and checks the answer against
``responsibilities.can``: done exactly where the table allows it, otherwise a 403 or a 404 and nothing changed.
An action without a probe fails the test.

A domain registers its probes in ``cso/<app>/tests/probes.py`` (found by ``autodiscover``)::

    from cso.accounts.probes import Probe, register

    register(Probe(
        action="reports.accept",
        subjects=("submitted_here", "submitted_elsewhere"),
        build=lambda world, subject, account: ...,   # the object (or a Prospect-like object) to act on
        attempt=lambda client, obj: ...,             # True: done; False: refused (use ``refused``)
    ))

``build`` runs inside a savepoint rolled back after each attempt, as the superuser ``world.superuser``;
``world`` also gives the divisions (``world.division(level)``) and ``world.account(role, level)``.
Subjects named ``None`` stand for actions done to no object ("anywhere": pages, exports, imports).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class Probe:
    action: str
    subjects: Sequence[str | None]
    build: Callable  # (world, subject, account) -> object or None
    attempt: Callable  # (client, obj) -> bool: done (True) or refused (False)


PROBES: dict[str, Probe] = {}


def register(probe: Probe) -> Probe:
    PROBES[probe.action] = probe
    return probe


def autodiscover() -> dict[str, Probe]:
    for config in apps.get_app_configs():
        if not config.name.startswith("cso."):
            continue
        try:
            importlib.import_module(f"{config.name}.tests.probes")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{config.name}.tests.probes", f"{config.name}.tests"):
                raise
    return PROBES


def refused(response, unchanged: bool = True) -> bool:
    """An attempt that must have been refused: 403 or 404, and nothing changed. Returns False."""
    assert response.status_code in (403, 404), f"expected 403/404, got {response.status_code}"
    assert unchanged, "a refused request changed something"
    return False


def answered(response, done: bool) -> bool:
    """The outcome of an attempt: a success that changed what it should (True), or a refusal (False).
    Anything else (a form shown again, a change without success, a refusal that changed something) fails."""
    if response.status_code in (403, 404):
        return refused(response, unchanged=not done)
    assert response.status_code in (200, 302), f"unexpected status {response.status_code}"
    assert done, f"answered {response.status_code} but nothing was done"
    return True
