"""National and provincial roll-ups in the background.

``indicators.compute`` over a province or the whole country takes seconds over millions of
organizations: it never runs in a request. Neither does any other *kind* of roll-up registered with
``@computer(kind)`` (the dashboards' cultivation to-do list, a pass over every community below).
``cached(code, day, start, kind)`` serves the result from the
process cache, else from its ``RollUp`` row (computed by the task worker and shared by every web
process); when the row is missing or older than its time to live (five minutes for today, else
``CSO_DASHBOARD_CACHE_SECONDS``), it asks the worker for a new one (``compute_rollup``, queued at
most once in ``ASK_AGAIN_SECONDS``). Meanwhile a stale result is served with the time it was
computed (the pages show it); with no result at all ``RollUpPending`` is raised and the page shows
a "being computed" notice that polls ``status`` until the result is there.

The scope check is the caller's (``indicators.compute_cached`` runs it before every read).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from cso.core import jobs

from .models import RollUp

BIG_TODAY_SECONDS = 5 * 60
# A roll-up asked for and not computed within this time is asked for again (a worker that was down).
ASK_AGAIN_SECONDS = 10 * 60


INDICATORS = "indicators"
COMPUTERS: dict[str, Callable[[str, date, date], object]] = {}


def computer(kind: str):
    """Register ``fn(code, day, start)``, which computes a roll-up of ``kind`` (in the worker)."""

    def register(fn):
        COMPUTERS[kind] = fn
        return fn

    return register


@computer(INDICATORS)
def _indicators(code: str, day: date, start: date):
    from . import indicators

    return indicators.compute(code, day, period_start=start)


class RollUpPending(Exception):
    """No result yet: the worker is computing it."""

    def __init__(self, rollup: RollUp):
        super().__init__(rollup.key)
        self.rollup = rollup


def key_for(code: str, day: date, start: date, kind: str = INDICATORS) -> str:
    return f"rollup:{kind}:v1:{code or 'national'}:{day.isoformat()}:{start.isoformat()}"


def time_to_live(day: date) -> int:
    return BIG_TODAY_SECONDS if day >= timezone.localdate() else settings.CSO_DASHBOARD_CACHE_SECONDS


def _fresh(row: RollUp | None, day: date, now: datetime) -> bool:
    return (row is not None and row.payload is not None and row.computed_at is not None
            and (now - row.computed_at).total_seconds() < time_to_live(day))


def _value(row: RollUp, day: date, now: datetime) -> tuple:
    value = (pickle.loads(bytes(row.payload)), timezone.localtime(row.computed_at))  # our own rows
    if _fresh(row, day, now):
        left = time_to_live(day) - (now - row.computed_at).total_seconds()
        cache.set(row.key, value, max(int(left), 1))
    return value


def cached(code: str, day: date, start: date, kind: str = INDICATORS) -> tuple:
    """(result, computed_at) of a national or provincial roll-up; raises ``RollUpPending``."""
    key = key_for(code, day, start, kind)
    hit = cache.get(key)
    if hit is not None:
        return hit
    now = timezone.now()
    row = RollUp.objects.filter(key=key).first()
    if _fresh(row, day, now):
        return _value(row, day, now)
    ask(code, day, start, kind)
    row = RollUp.objects.get(key=key)  # computed already when the task ran inline (immediate backend)
    if row.payload is not None:
        return _value(row, day, timezone.now())  # fresh, or stale while the worker computes anew
    raise RollUpPending(row)


def ask(code: str, day: date, start: date, kind: str = INDICATORS) -> None:
    """Queue the computation, unless it is queued already (asked for recently and not done since)."""
    if kind not in COMPUTERS:
        raise KeyError(f"no roll-up computer for {kind!r}")
    key = key_for(code, day, start, kind)
    row, _ = RollUp.objects.get_or_create(
        key=key, defaults={"kind": kind, "parent_code": code, "day": day, "period_start": start})
    now = timezone.now()
    claimed = RollUp.objects.filter(pk=row.pk).filter(
        Q(requested_at__isnull=True) | Q(requested_at__lt=now - timedelta(seconds=ASK_AGAIN_SECONDS))
        | Q(computed_at__gte=F("requested_at"))
    ).update(requested_at=now)
    if claimed:
        jobs.enqueue(compute_rollup, row.pk)


@task()
def compute_rollup(rollup_id: int) -> str:
    """Compute one roll-up in the worker and keep it for the web processes."""
    row = RollUp.objects.filter(pk=rollup_id).first()
    if row is None:
        return "gone"
    result = COMPUTERS[row.kind](row.parent_code, row.day, row.period_start)
    RollUp.objects.filter(pk=row.pk).update(payload=pickle.dumps(result), computed_at=timezone.now())
    return "computed"


def ready(rollup: RollUp) -> bool:
    """Whether a pending roll-up has its result now (the page's poll)."""
    return RollUp.objects.filter(pk=rollup.pk, payload__isnull=False).exists()


def forget() -> None:
    """Drop every kept roll-up (and the process cache): the next read asks the worker again."""
    RollUp.objects.all().delete()
    cache.clear()
