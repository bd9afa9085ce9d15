"""Background tasks of the application engine (run by the task worker; ``manage.py run_schedule`` enqueues the
daily one)."""

from __future__ import annotations

from django_tasks import task

from . import overdue


@task()
def scan_overdue() -> int:
    """The daily overdue scan (``overdue.scan``); returns how many steps it flagged."""
    return overdue.scan().flagged
