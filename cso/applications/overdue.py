"""The daily scan of overdue steps: open applications whose step deadline (``due_on``) has passed and that were
not yet flagged for that step are flagged, and the people who are late are told — one digest per official of
the filing body who may make the next move (not one message per case), and the applicant when the applicant is
the one late (补正). Each run is an ``OverdueScan`` row: a second run the same day does nothing.

Telling goes through the ``notifying`` hook (``cso.notices`` connects to it)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import notifying
from .models import OPEN_STATES, Application, OverdueScan, State
from .recipients import officials_for


def candidates(today: date):
    """Open steps past their deadline and not yet flagged (served by the ``applications_overdue_scan`` index)."""
    return Application.objects.filter(state__in=OPEN_STATES, due_on__lt=today, overdue_flagged_on__isnull=True)


def _line(application) -> str:
    name = application.payload.get("name", "")
    return (f"{application.number} {name}（{application.get_state_display()}，"
            f"期限 {application.due_on:%Y-%m-%d}）")


def scan(today: date | None = None) -> OverdueScan:
    """Flag today's overdue steps and tell who is late. Idempotent per day."""
    today = today or date.today()
    run, _ = OverdueScan.objects.get_or_create(day=today)
    if run.finished_at is not None:
        return run
    with transaction.atomic():
        run = OverdueScan.objects.select_for_update().get(pk=run.pk)
        if run.finished_at is not None:  # another worker finished it meanwhile
            return run
        cases = list(candidates(today).select_related("applicant").order_by("due_on", "id"))
        officials: dict[int, tuple] = {}
        late_by_official: dict[int, list] = defaultdict(list)
        late_by_applicant: dict[int, list] = defaultdict(list)
        seen: dict[tuple, list] = {}  # (body, state, kind) -> officials: one lookup per queue, not per case
        for application in cases:
            if application.state == State.NEEDS_CORRECTION:
                late_by_applicant[application.applicant_id].append(application)
                continue
            key = (application.authority_division_id, application.state, application.kind)
            if key not in seen:
                seen[key] = officials_for(application)
            for user in seen[key]:
                officials[user.pk] = user
                late_by_official[user.pk].append(application)
        Application.objects.filter(pk__in=[a.pk for a in cases], overdue_flagged_on__isnull=True).update(
            overdue_flagged_on=today)
        queue = reverse("applications:queue")
        for pk, late in late_by_official.items():
            single = late[0] if len(late) == 1 else None
            notifying.notify(
                officials[pk], f"{len(late)}件申请已超过办理期限",
                "以下申请已超过本步骤的办理期限，请尽快办理：\n" + "\n".join(_line(a) for a in late),
                reverse("applications:detail", args=[single.ref]) if single else queue,
                kind="applications.overdue", related=single)
        for late in late_by_applicant.values():
            applicant = late[0].applicant
            notifying.notify(
                applicant, "您的申请补正已逾期",
                "以下申请的补正期限已过，请尽快按要求补正后重新提交：\n" + "\n".join(_line(a) for a in late),
                reverse("applications:detail", args=[late[0].ref]),
                kind="applications.overdue", related=late[0] if len(late) == 1 else None)
        run.finished_at = timezone.now()
        run.flagged = len(cases)
        run.save(update_fields=["finished_at", "flagged"])
    return run
