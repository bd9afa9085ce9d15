"""The yearly (or on-demand) run of the credit rules, set-based.

Only organizations with credit events are looked at, and in an incremental run only those whose events were
recorded since the last finished run of the same scope, whose events fall between its day and this one, or whose
open entry has a timer due. Their events are loaded a chunk of organizations at a time (one query), the rules
(``credit_rules``, pure Python) give each one's episodes, and the differences with the stored entries are written
with ``bulk_create`` / ``bulk_update`` in one transaction per chunk. Staff decisions are kept: a proposal the body
dismissed is not proposed again for the same stay, a confirmed entry only gets its timers updated — or its exit.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from cso.core.scoping import subtree_q

from . import credit_rules as cr
from .models.credit import CreditEvent, CreditRun, EntryState, ListEntry

logger = logging.getLogger(__name__)
RECALCULATED = "依据更正后的信用记录重新计算，不再符合列入条件"


def _events_q(prefix: str | None) -> Q:
    return subtree_q("organization__division", prefix) if prefix else Q()


def candidate_ids(as_of: date, prefix: str | None, since: CreditRun | None):
    """The organizations this run computes (a queryset of ids, ordered, distinct)."""
    events = CreditEvent.objects.filter(_events_q(prefix))
    if since is None:
        return events.order_by("organization_id").values_list("organization_id", flat=True).distinct()
    changed = events.filter(Q(recorded_at__gte=since.started_at) | Q(date__gt=since.as_of, date__lte=as_of))
    due = ListEntry.objects.filter(_events_q(prefix), state__in=[EntryState.PROPOSED, EntryState.CONFIRMED]).filter(
        Q(escalates_on__lte=as_of) | Q(earliest_exit_on__lte=as_of, credit_list=cr.ABNORMAL))
    ids = changed.order_by().values("organization_id").union(due.order_by().values("organization_id"))
    return sorted(row["organization_id"] for row in ids)


def _chunks(ids):
    size = settings.CSO_CREDIT_RUN_CHUNK
    batch = []
    for pk in ids.iterator(chunk_size=size) if hasattr(ids, "iterator") else ids:
        batch.append(pk)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _timers(entry: ListEntry, episode: cr.Episode) -> dict:
    return {"chain": episode.chain(), "earliest_exit_on": episode.earliest_exit_on,
            "escalates_on": episode.escalates_on, "needs_correction": episode.needs_correction,
            "reason_code": episode.reason_code, "basis": episode.basis}


def reconcile(org_ids: list[int], as_of: date, run: CreditRun | None = None) -> dict[str, int]:
    """Compute the organizations' entries and write the differences; returns the counts."""
    events = defaultdict(list)
    rows = CreditEvent.objects.filter(organization_id__in=org_ids, date__lte=as_of).values_list(
        "organization_id", "id", "kind", "date", "penalty_type", "fine_amount")
    for org_id, pk, kind, day, penalty, fine in rows:
        events[org_id].append(cr.Event(pk, kind, day, penalty, fine))
    stored = defaultdict(list)
    for entry in ListEntry.objects.filter(organization_id__in=org_ids).exclude(state=EntryState.EXITED):
        stored[(entry.organization_id, entry.credit_list)].append(entry)
    create, update, counts = [], [], {"proposed": 0, "updated": 0, "exited": 0}
    for org_id in org_ids:
        episodes = cr.evaluate(events.get(org_id, []), as_of)
        for credit_list in cr.LISTS:
            mine = [e for e in episodes if e.credit_list == credit_list]
            now = next((e for e in mine if e.is_current), None)
            entries = stored.get((org_id, credit_list), [])
            open_entry = next((e for e in entries if e.is_open), None)
            if open_entry is not None and (now is None or now.entered_on != open_entry.entered_on):
                past = next((e for e in mine if e.entered_on == open_entry.entered_on and e.exit_on), None)
                open_entry.state = EntryState.EXITED
                open_entry.exit_on = past.exit_on if past else as_of
                open_entry.exit_reason = past.exit_reason if past else RECALCULATED
                update.append(open_entry)
                counts["exited"] += 1
                open_entry = None
            if now is None:
                continue
            if open_entry is not None:
                changes = _timers(open_entry, now)
                if any(getattr(open_entry, k) != v for k, v in changes.items()):
                    for key, value in changes.items():
                        setattr(open_entry, key, value)
                    update.append(open_entry)
                    counts["updated"] += 1
            elif not any(e.state == EntryState.DISMISSED and e.entered_on == now.entered_on for e in entries):
                entry = ListEntry(organization_id=org_id, credit_list=credit_list, entered_on=now.entered_on,
                                  proposed_by_run=run, state=EntryState.PROPOSED)
                for key, value in _timers(entry, now).items():
                    setattr(entry, key, value)
                create.append(entry)
                counts["proposed"] += 1
    with transaction.atomic():
        # exits first: the one-open-entry constraint must never see the old and the new stay open together
        ListEntry.objects.bulk_update(
            update, ["state", "exit_on", "exit_reason", "chain", "earliest_exit_on", "escalates_on",
                     "needs_correction", "reason_code", "basis", "updated_at"], batch_size=1000)
        ListEntry.objects.bulk_create(create, batch_size=1000)
    return counts


def _last_run(prefix: str) -> CreditRun | None:
    return CreditRun.objects.filter(status="done", division_prefix=prefix).order_by("-started_at").first()


def execute(run: CreditRun) -> CreditRun:
    """Do a recorded run (in the worker)."""
    prefix = run.division_prefix or None
    since = None if run.full else _last_run(run.division_prefix)
    ids = candidate_ids(run.as_of, prefix, since)
    totals = {"organizations": 0, "proposed": 0, "updated": 0, "exited": 0}
    for batch in _chunks(ids):
        for key, value in reconcile(batch, run.as_of, run).items():
            totals[key] += value
        totals["organizations"] += len(batch)
        CreditRun.objects.filter(pk=run.pk).update(**totals)
    CreditRun.objects.filter(pk=run.pk).update(status="done", finished_at=timezone.now(), **totals)
    run.refresh_from_db()
    return run


@task()
def run_credit_rules(as_of: str, division_prefix: str | None = None, full: bool = False,
                     run_id: int | None = None) -> str:
    """The background task: compute the lists as of ``as_of`` (ISO date) for the organizations under
    ``division_prefix`` (all without it)."""
    run = CreditRun.objects.filter(pk=run_id).first() if run_id else None
    if run is None:
        run = CreditRun.objects.create(as_of=date.fromisoformat(as_of), division_prefix=division_prefix or "",
                                       full=full)
    try:
        execute(run)
    except Exception:
        logger.exception("credit rules run %s failed", run.pk)
        CreditRun.objects.filter(pk=run.pk).update(status="failed", finished_at=timezone.now())
        return "failed"
    return "done"


def start(as_of: date, division_prefix: str = "", *, full: bool = False, user=None) -> CreditRun:
    """Record a run and hand it to the worker."""
    from cso.core import jobs

    run = CreditRun.objects.create(as_of=as_of, division_prefix=division_prefix, full=full, requested_by=user)
    jobs.enqueue(run_credit_rules, as_of.isoformat(), division_prefix or None, full, run.pk)
    run.refresh_from_db()  # run inline (tests, the immediate backend): done already
    return run
