"""Services of the credit lists: recording events, deciding proposed entries, objections, and the timers in words.

Other parts of supervision (annual reports, inspections) feed the rules by calling ``record_event`` with their row
as ``source_object``; this module imports none of them.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import credit_rules as cr
from .models.credit import CreditEvent, CreditList, EntryState, EventKind, ListEntry, Objection, PenaltyType
from .signals import credit_objection_filed


def record_event(organization, kind: str, on: date, *, penalty_type: str = "", fine_amount=None, source: str = "",
                 source_object=None, basis: str = "", note: str = "", user=None) -> CreditEvent:
    """Record one credit fact (the input of the rules; the next run of the rules reads it)."""
    if kind not in EventKind.values:
        raise ValidationError({"kind": f"未知的信用记录类型：{kind}"})
    if kind == EventKind.PENALTY and penalty_type not in PenaltyType.values:
        raise ValidationError({"penalty_type": "行政处罚须写明处罚种类。"})
    if penalty_type == PenaltyType.FINE and fine_amount is None:
        raise ValidationError({"fine_amount": "罚款须写明金额。"})
    event = CreditEvent(organization=organization, kind=kind, date=on,
                        penalty_type=penalty_type if kind == EventKind.PENALTY else "",
                        fine_amount=fine_amount if penalty_type == PenaltyType.FINE else None,
                        source=source[:200], basis=basis[:300], note=note, recorded_by=user)
    if source_object is not None:
        event.source_object = source_object
    event.save()
    return event


def decide(entry: ListEntry, user, confirm: bool, reason: str) -> ListEntry:
    """The registering body confirms (publishes) or dismisses a proposed entry, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写确认或不予列入的理由。"})
    with transaction.atomic():
        entry = ListEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.state != EntryState.PROPOSED:
            raise ValidationError({"reason": "该列入已处理，不能重复决定。"})
        entry.state = EntryState.CONFIRMED if confirm else EntryState.DISMISSED
        entry.decided_by, entry.decided_at, entry.decision_reason = user, timezone.now(), reason
        entry.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "updated_at"])
    return entry


def object_to(entry: ListEntry, user, text: str) -> Objection:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写异议内容。"})
    if entry.state not in (EntryState.PROPOSED, EntryState.CONFIRMED):
        raise ValidationError({"text": "只能对待确认或已列入的名录提出异议。"})
    objection = Objection.objects.create(entry=entry, organization_id=entry.organization_id, filed_by=user,
                                         text=text[:2000])
    transaction.on_commit(lambda: credit_objection_filed.send(sender=Objection, objection=objection))
    return objection


def answer(objection: Objection, user, text: str) -> Objection:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"answer": "请填写答复内容。"})
    if objection.answered_at is not None:
        raise ValidationError({"answer": "该异议已答复。"})
    objection.answer, objection.answered_by, objection.answered_at = text, user, timezone.now()
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    return objection


def timers(entry: ListEntry) -> list[str]:
    """What will happen to an open entry, in plain Chinese."""
    out = []
    if entry.credit_list == CreditList.ABNORMAL:
        if entry.escalates_on:
            if entry.needs_correction:
                out.append(f"若在 {entry.escalates_on:%Y-%m-%d} 前未纠正，将列入严重违法失信名单")
            else:
                out.append(f"若在 {entry.escalates_on:%Y-%m-%d} 前仍未移出，将列入严重违法失信名单")
        if entry.needs_correction:
            out.append("履行相关义务（完成整改）并经核实后，5个工作日内移出活动异常名录")
        elif entry.earliest_exit_on:
            out.append(f"将于 {entry.earliest_exit_on:%Y-%m-%d} 移出活动异常名录（列入满6个月，无须纠正的情形）")
    elif entry.earliest_exit_on:
        out.append(f"可于 {entry.earliest_exit_on:%Y-%m-%d} 起申请移出严重违法失信名单"
                   "（期间再发生列入情形的，重新计算）")
    return out


def reason_label(code: str) -> str:
    return cr.REASON_LABELS.get(code, code)
