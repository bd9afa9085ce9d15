"""Moves of a grade evaluation: apply, score, publish for a notice period, finalise after it, expiry reminders."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from cso.supervision import evaluation as rules
from cso.supervision.annual import _province_of
from cso.supervision.credit_rules import add_years
from cso.supervision.models import Evaluation, EvaluationState, Score
from cso.supervision.signals import evaluation_expiring

S = EvaluationState


def previous_of(org):
    last = (Evaluation.objects.filter(organization=org, state=S.FINAL).order_by("-final_on").first())
    return (last.final_on, last.valid_until) if last else None


@transaction.atomic
def apply(org, tree, on_date: date) -> Evaluation:
    ok, reasons = rules.eligibility(org, on_date, previous_of(org))
    if not ok:
        raise ValidationError("；".join(text for code, text in reasons if code not in ("first", "renewal", "upgrade")))
    if Evaluation.objects.filter(organization=org).exclude(state__in=(S.FINAL, S.WITHDRAWN)).exists():
        raise ValidationError("该组织已有进行中的等级评估申请。")
    return Evaluation.objects.create(organization=org, tree=tree, year=on_date.year, applied_on=on_date)


@transaction.atomic
def record_scores(evaluation: Evaluation, column: str, values: dict, notes: dict | None = None) -> None:
    """``column`` is self_score / evaluator_score / committee_score; ``values`` maps indicator pk → points."""
    moves = {"self_score": (S.APPLIED, S.SELF_SCORED), "evaluator_score": (S.SELF_SCORED, S.EVALUATED),
             "committee_score": (S.EVALUATED, S.COMMITTEE)}
    before, after = moves[column]
    if evaluation.state not in (before, after):
        raise ValidationError(f"当前状态（{evaluation.get_state_display()}）不能录入该评分。")
    leaves = {i.pk: i for i in evaluation.tree.indicators.filter(children__isnull=True)}
    for pk, value in values.items():
        indicator = leaves.get(int(pk))
        if indicator is None:
            raise ValidationError("评分指标不属于本指标体系的末级指标。")
        value = Decimal(value)
        if value < 0 or value > indicator.max_score:
            raise ValidationError(f"“{indicator.title}”的得分应在0至{indicator.max_score}之间。")
        score, _ = Score.objects.get_or_create(evaluation=evaluation, indicator=indicator)
        setattr(score, column, value)
        if notes and notes.get(pk):
            score.note = notes[pk][:300]
        score.save()
    evaluation.state = after
    if column == "committee_score":
        total = evaluation.scores.aggregate(t=Sum("committee_score"))["t"] or Decimal(0)
        evaluation.total = min(total, evaluation.tree.max_total)  # bonus points capped at the maximum
        cutoffs = rules.rules_for(_province_of(evaluation.organization))["cutoffs"]
        if evaluation.tree.max_total != 1000:  # cut-offs are of 1,000; scale for trees of another total
            cutoffs = [[g, m * evaluation.tree.max_total / 1000] for g, m in cutoffs]
        evaluation.grade = rules.grade_for(evaluation.total, cutoffs)
    evaluation.save()


@transaction.atomic
def publish(evaluation: Evaluation, on_date: date, user) -> None:
    if evaluation.state != S.COMMITTEE:
        raise ValidationError("评估委员会审定后方可公示。")
    days = rules.rules_for(_province_of(evaluation.organization))["notice_days"]
    evaluation.state, evaluation.published_on = S.PUBLISHED, on_date
    evaluation.notice_until, evaluation.decided_by = on_date + timedelta(days=days), user
    evaluation.save()


def finalise_due(on_date: date) -> int:
    """Published evaluations whose notice period ended before ``on_date`` stand: grade valid ``validity_years``."""
    done = 0
    for ev in Evaluation.objects.filter(state=S.PUBLISHED, notice_until__lt=on_date).select_related("organization"):
        with transaction.atomic():
            years = rules.rules_for(_province_of(ev.organization))["validity_years"]
            ev.state, ev.final_on = S.FINAL, ev.notice_until + timedelta(days=1)
            ev.valid_until = add_years(ev.final_on, years) - timedelta(days=1) if ev.grade else None
            ev.save()
            done += 1
    return done


def remind_expiring(on_date: date, days_ahead: int = 180) -> int:
    """Send ``evaluation_expiring`` once for each standing grade ending within ``days_ahead`` days."""
    from cso.orgs.models import AccountLink

    sent = 0
    for ev in Evaluation.objects.filter(state=S.FINAL, valid_until__gte=on_date, expiry_reminded_on__isnull=True,
                                        valid_until__lte=on_date + timedelta(days=days_ahead)):
        users = [link.user for link in AccountLink.objects.filter(organization=ev.organization_id,
                                                                  user__is_active=True).select_related("user")]
        evaluation_expiring.send(sender=Evaluation, evaluation=ev, users=users)
        Evaluation.objects.filter(pk=ev.pk).update(expiry_reminded_on=on_date)
        sent += 1
    return sent
