"""执法监察: cases against organizations; a decided penalty is a credit event (it feeds the list rules)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .credit import record_event
from .models.credit import EnforcementCase, EventKind, PenaltyType


def next_number(on) -> str:
    count = EnforcementCase.objects.filter(opened_on__year=on.year).count() + 1
    while True:
        number = f"ZF{on.year}-{count:06d}"
        if not EnforcementCase.objects.filter(number=number).exists():
            return number
        count += 1


def open_case(organization, user, *, facts: str, opened_on, basis: str = "") -> EnforcementCase:
    if not (facts or "").strip():
        raise ValidationError({"facts": "请填写违法事实。"})
    with transaction.atomic():
        return EnforcementCase.objects.create(organization=organization, number=next_number(opened_on),
                                              facts=facts.strip(), basis=basis.strip(), opened_on=opened_on,
                                              opened_by=user)


def decide_case(case: EnforcementCase, user, *, decision: str, basis: str, decided_on, penalty_type: str = "",
                fine_amount=None, close: bool = True):
    """Record the decision; a penalty becomes a credit event (one transaction: both or nothing)."""
    errors = {}
    if case.decided_on is not None:
        errors["decision"] = "该案件已作出决定。"
    if not (decision or "").strip():
        errors["decision"] = "请填写处理决定。"
    if not (basis or "").strip():
        errors["basis"] = "请填写处罚（处理）依据。"
    if penalty_type and penalty_type not in PenaltyType.values:
        errors["penalty_type"] = "处罚种类不正确。"
    if penalty_type == PenaltyType.FINE and not fine_amount:
        errors["fine_amount"] = "罚款须写明金额。"
    if decided_on and decided_on < case.opened_on:
        errors["decided_on"] = "决定日期不能早于立案日期。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case.decision, case.basis, case.decided_on, case.decided_by = decision.strip(), basis.strip(), decided_on, user
        case.penalty_type = penalty_type
        case.fine_amount = fine_amount if penalty_type == PenaltyType.FINE else None
        if close:
            case.closed_on = decided_on
        case.save()
        event = None
        if penalty_type:
            event = record_event(case.organization, EventKind.PENALTY, decided_on, penalty_type=penalty_type,
                                 fine_amount=case.fine_amount, source=f"执法监察案件 {case.number}",
                                 source_object=case, basis=case.basis, user=user)
    return case, event
