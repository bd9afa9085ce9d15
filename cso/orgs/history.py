"""Field-level change history of an organization (who, when, old → new), read from
django-simple-history, with values rendered for people. Status changes and the as-of state
live in ``StatusChange`` and ``OrgStateSpan``; this is the general audit trail on top.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime

from django.db import models

from cso.regions.models import Authority, Division

from .models import Category, IncubationBase, Organization, ServiceTarget, Venue


@dataclass(frozen=True)
class FieldChange:
    when: datetime
    who: str
    reason: str
    field: str
    label: str
    old: str
    new: str


M2M_MODELS = {"categories": (Category, "category"), "service_targets": (ServiceTarget, "servicetarget")}
FK_MODELS = {
    "division": Division, "registration_authority_division": Division, "registration_authority": Authority,
    "venue": Venue,
    "incubated_by": IncubationBase,
}


def _text(field: models.Field | None, value, names: dict) -> str:
    if value in (None, "", []):
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.name in FK_MODELS:
        return names.get((field.name, value), str(value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _m2m_rows(records: list) -> dict[tuple[str, int], list[int]]:
    """The related ids of every m2m field at every history record: one query per m2m field."""
    out: dict[tuple[str, int], list[int]] = {}
    if not records:
        return out
    ids = [r.history_id for r in records]
    for name, (_, key) in M2M_MODELS.items():
        through = getattr(records[0], name).model  # HistoricalOrganization_<field>
        for history_id in ids:
            out[(name, history_id)] = []
        rows = through.objects.filter(history_id__in=ids).order_by(key, "id").values_list("history_id", key)
        for history_id, related in rows:
            out[(name, history_id)].append(related)
    return out


def timeline(org: Organization, latest: int | None = None) -> tuple[list[FieldChange], bool]:
    """Changes to the organization's fields, oldest first, and whether older ones were left out.

    ``latest`` bounds the history records read (the newest ``latest`` changes of record; each
    record may change several fields). The number of queries is fixed — the records with their
    users, the m2m history of both m2m fields, the names of changed foreign keys and of the
    terms — however long the history is.
    """
    records_qs = org.history.select_related("history_user").order_by("-history_date", "-history_id")
    # One record more than shown (the state before the oldest change shown), and one more still to
    # learn whether older changes exist.
    records = list(records_qs[: latest + 2] if latest is not None else records_qs)
    more = latest is not None and len(records) > latest + 1
    if more:
        records = records[: latest + 1]
    records.reverse()
    m2m = _m2m_rows(records)
    deltas = []
    fk_ids: dict[str, set] = {name: set() for name in FK_MODELS}
    for old, new in itertools.pairwise(records):
        # m2m fields are compared from the prefetched rows: diff_against would query them per record.
        delta = new.diff_against(old, excluded_fields=["created_by", *M2M_MODELS])
        changes = [(c.field, c.old, c.new) for c in delta.changes]
        for name in M2M_MODELS:
            before, after = m2m[(name, old.history_id)], m2m[(name, new.history_id)]
            if before != after:
                changes.append((name, before, after))
        deltas.append((new, sorted(changes, key=lambda c: c[0])))
        for name, before, after in changes:
            if name in fk_ids:
                fk_ids[name].update(v for v in (before, after) if v is not None)
    names: dict = {}
    for name, ids in fk_ids.items():
        if ids:
            for pk, label in FK_MODELS[name].objects.filter(pk__in=ids).values_list("pk", "name"):
                names[(name, pk)] = label
    term_names = {}
    if any(name in M2M_MODELS for _, changes in deltas for name, _, _ in changes):
        term_names = {name: dict(model.objects.values_list("pk", "name")) for name, (model, _) in M2M_MODELS.items()}
    out: list[FieldChange] = []
    for record, changes in deltas:
        who = record.history_user.display_name if record.history_user else "系统"
        reason = record.history_change_reason or ""
        for name, before, after in changes:
            if name in M2M_MODELS:
                old = sorted(term_names[name].get(pk, "?") for pk in before)
                new = sorted(term_names[name].get(pk, "?") for pk in after)
                if old == new:
                    continue
                field = Organization._meta.get_field(name)
                out.append(FieldChange(record.history_date, who, reason, name, str(field.verbose_name),
                                       _text(None, old, names), _text(None, new, names)))
                continue
            field = Organization._meta.get_field(name)
            out.append(FieldChange(record.history_date, who, reason, name, str(field.verbose_name),
                                   _text(field, before, names), _text(field, after, names)))
    return out, more


def field_changes(org: Organization, latest: int | None = None) -> list[FieldChange]:
    """Every change to the organization's fields (or those of the newest ``latest`` history
    records), oldest first; creation is not listed."""
    return timeline(org, latest)[0]
