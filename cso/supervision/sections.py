"""Blocks of supervision on the organization page (``cso.core.navigation.register_section``, page "orgs.detail"):
its credit status (open listings with their reason chain and timers), its published inspection results and its
latest activity records. Each is shown only to accounts the responsibilities table lets read it for that
organization (the page itself is reached through ``visible_to``)."""

from __future__ import annotations

from cso.accounts.responsibilities import can

from . import credit
from .inspections import published_results
from .models.credit import EntryState, ListEntry

LATEST = 5


def may_see_credit(user, org) -> bool:
    return can(user, "supervision.credit_view", org)


def may_see_activities(user, org) -> bool:
    return can(user, "supervision.activity_view", org)


def credit_status(request, org) -> dict | None:
    """Current listings (proposed or confirmed, as on the credit page; dismissed ones are left out) with their
    reason chain and timers; registered organizations only (the credit rules do not apply to filed groups)."""
    if org.track != "registered":
        return None
    entries = ListEntry.objects.filter(organization=org, state__in=(EntryState.PROPOSED, EntryState.CONFIRMED))
    entries = list(entries.order_by("-entered_on", "-id"))
    for entry in entries:
        entry.timers = credit.timers(entry)
    return {"org": org, "entries": entries}


def inspections(request, org) -> dict | None:
    results = list(published_results(org)[:LATEST])
    return {"org": org, "results": results} if results else None


def activities(request, org) -> dict:
    records = list(org.activity_records.order_by("-date", "-id")[:3])
    return {"org": org, "records": records, "may_record": org.is_live and can(
        request.user, "supervision.activity_record", org)}
