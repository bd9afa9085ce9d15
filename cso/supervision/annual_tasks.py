"""Background task of the annual reports: the daily reminders (``manage.py remind_annual_reports`` enqueues it)."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from . import annual_reminders


@task()
def remind_annual_reports(day: str = "") -> int:
    """Remind the organizations missing a report (``annual_reminders.send``); returns how many were reminded."""
    return annual_reminders.send(date.fromisoformat(day) if day else None).reminded
