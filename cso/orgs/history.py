"""Field-level change history of an organization (who, when, old → new), read from
django-simple-history, with values rendered for people. Status changes and the as-of state
live in ``StatusChange`` and ``OrgStateSpan``; this is the general audit trail on top.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime

from django.db import models

from cso.regions.models import Division

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
    "division": Division, "registration_authority_division": Division, "venue": Venue,
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


def field_changes(org: Organization) -> list[FieldChange]:
    """Every change to the organization's fields, oldest first (creation is not listed)."""
    records = list(org.history.select_related("history_user").order_by("history_date", "history_id"))
    deltas = []
    fk_ids: dict[str, set] = {name: set() for name in FK_MODELS}
    for old, new in itertools.pairwise(records):
        delta = new.diff_against(old, excluded_fields=["created_by"])
        deltas.append((new, delta))
        for change in delta.changes:
            if change.field in fk_ids:
                fk_ids[change.field].update(v for v in (change.old, change.new) if v is not None)
    names: dict = {}
    for name, ids in fk_ids.items():
        if ids:
            for pk, label in FK_MODELS[name].objects.filter(pk__in=ids).values_list("pk", "name"):
                names[(name, pk)] = label
    term_names = {
        field: dict(model.objects.values_list("pk", "name")) for field, (model, _) in M2M_MODELS.items()
    }
    out: list[FieldChange] = []
    for record, delta in deltas:
        who = record.history_user.display_name if record.history_user else "系统"
        for change in delta.changes:
            if change.field in M2M_MODELS:
                _, key = M2M_MODELS[change.field]
                old = sorted(term_names[change.field].get(row[key], "?") for row in change.old)
                new = sorted(term_names[change.field].get(row[key], "?") for row in change.new)
                if old == new:
                    continue
                field = Organization._meta.get_field(change.field)
                out.append(FieldChange(record.history_date, who, record.history_change_reason or "",
                                       change.field, str(field.verbose_name), _text(None, old, names),
                                       _text(None, new, names)))
                continue
            field = Organization._meta.get_field(change.field)
            out.append(FieldChange(
                record.history_date, who, record.history_change_reason or "", change.field,
                str(field.verbose_name), _text(field, change.old, names), _text(field, change.new, names),
            ))
    return out
