"""Moves of a grade evaluation: apply, score (self, evaluator, committee), publish for a notice period, objections,
finalise after it, expiry reminders. Every move records who, when and why (``EvaluationEvent``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cso.supervision import evaluation as rules
from cso.supervision.annual import _province_of
from cso.supervision.credit_rules import add_years
from cso.supervision.models import Evaluation, EvaluationEvent, EvaluationObjection, EvaluationState, Score
from cso.supervision.signals import evaluation_expiring

S = EvaluationState
E = EvaluationEvent.Kind
ADMISSIONS = ("first", "renewal", "upgrade")
COLUMNS = {"self_score": "自评分", "evaluator_score": "评估机构评分", "committee_score": "评估委员会审定分"}
NOTE_FIELDS = {"self_score": "self_note", "evaluator_score": "note", "committee_score": "committee_note"}


def today() -> date:
    return timezone.localdate()


def log(evaluation, kind, actor=None, note: str = "") -> EvaluationEvent:
    return EvaluationEvent.objects.create(evaluation=evaluation, kind=kind, actor=actor, note=note[:2000])


def conflict_of(user, org) -> str:
    """The reason ``user`` declared a conflict with ``org`` (the inspectors' 回避申报, reused), or ""."""
    from cso.supervision.models import InspectorConflict

    if user is None:
        return ""
    found = InspectorConflict.objects.filter(inspector__user=user, organization=org).first()
    return found.reason if found else ""


def previous_of(org):
    last = (Evaluation.objects.filter(organization=org, state=S.FINAL).order_by("-final_on").first())
    return (last.final_on, last.valid_until) if last else None


def in_progress(org):
    return Evaluation.objects.filter(organization=org).exclude(state__in=(S.FINAL, S.WITHDRAWN)).first()


def trees_for(org):
    """The indicator trees ``org`` may choose: the standard trees of its province (or the national defaults), and
    for a community social organization also the 规范化建设评估 tree."""
    from cso.supervision.evaluation_trees import SUGGESTED, load_default_trees
    from cso.supervision.models import IndicatorTree, Track

    if not IndicatorTree.objects.exists():
        load_default_trees()  # a new site: the default trees until a province imports its own
    province = (_province_of(org) or "")[:2]
    qs = IndicatorTree.objects.filter(province__in=("", province))
    if not org.is_community_org:
        qs = qs.exclude(track=Track.COMMUNITY)
    suggested = SUGGESTED.get(org.org_type, "")
    return sorted(qs, key=lambda t: (t.province != province, t.track != Track.STANDARD, t.code != suggested, t.code))


@transaction.atomic
def apply(org, tree, on_date: date, user=None) -> Evaluation:
    ok, reasons = rules.eligibility(org, on_date, previous_of(org))
    if not ok:
        raise ValidationError("；".join(text for code, text in reasons if code not in ADMISSIONS))
    if in_progress(org) is not None:
        raise ValidationError("该组织已有进行中的等级评估申请。")
    if tree.pk not in {t.pk for t in trees_for(org)}:
        raise ValidationError("指标体系：该组织不能选择此评估指标体系。")
    admission = next((text for code, text in reasons if code in ADMISSIONS), "")
    ev = Evaluation.objects.create(organization=org, tree=tree, year=on_date.year, applied_on=on_date,
                                   admission=admission[:300], applied_by=user)
    log(ev, E.APPLY, user, f"{tree.title}；{admission}")
    return ev


def parse_score(value, max_score) -> tuple[Decimal | None, str]:
    """``value`` as points between 0 and ``max_score`` with at most one decimal, or the error (in Chinese)."""
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        return None, "：请填写数字。"
    if not number.is_finite() or number < 0 or number > max_score:
        return None, f"的得分应在0至{max_score}之间。"
    if number != number.quantize(Decimal("0.1")):
        return None, "：得分最多保留一位小数。"
    return number, ""


def check_values(evaluation: Evaluation, values: dict, *, complete: bool) -> dict:
    """``values`` (indicator pk → text or number) as Decimals, each between 0 and its indicator's points; with
    ``complete`` every leaf must have one. Raises ValidationError whose ``error_dict`` keys are ``score_<pk>``."""
    leaves = {i.pk: i for i in evaluation.tree.indicators.filter(children__isnull=True)}
    errors: dict[str, list[str]] = {}
    out: dict[int, Decimal] = {}
    for pk, value in values.items():
        indicator = leaves.get(int(pk))
        if indicator is None:
            raise ValidationError("评分指标不属于本指标体系的末级指标。")
        if value in (None, ""):
            continue
        number, error = parse_score(value, indicator.max_score)
        if error:
            errors[f"score_{pk}"] = [f"“{indicator.code} {indicator.title}”{error}"]
        else:
            out[indicator.pk] = number
    if complete:
        for pk, indicator in leaves.items():
            if pk not in out and f"score_{pk}" not in errors:
                errors[f"score_{pk}"] = [f"“{indicator.code} {indicator.title}”：请填写得分。"]
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def record_scores(evaluation: Evaluation, column: str, values: dict, notes: dict | None = None, *, user=None,
                  final: bool = True) -> None:
    """``column`` is self_score / evaluator_score / committee_score; ``values`` maps indicator pk → points.
    The organization's self scores are a draft until ``final`` (submitted: immutable afterwards); the evaluator's
    and the committee's columns can be recorded again until the next step. An evaluator who declared a conflict
    with the organization may not score it; the committee's column is recorded by another account than the
    evaluator's (本平台建议)."""
    moves = {"self_score": (S.APPLIED, S.SELF_SCORED), "evaluator_score": (S.SELF_SCORED, S.EVALUATED),
             "committee_score": (S.EVALUATED, S.COMMITTEE)}
    before, after = moves[column]
    allowed = (before,) if column == "self_score" else (before, after)
    list(Evaluation.objects.select_for_update().filter(pk=evaluation.pk).values_list("pk"))  # one scorer at a time
    evaluation.refresh_from_db()
    if evaluation.state not in allowed:
        raise ValidationError(f"当前状态（{evaluation.get_state_display()}）不能录入{COLUMNS[column]}。")
    if column != "self_score":
        reason = conflict_of(user, evaluation.organization)
        if reason:
            raise ValidationError(f"您已申报与该组织存在利害关系（{reason}），应当回避，不能评分。")
    if column == "committee_score" and user is not None and user.pk == evaluation.evaluator_id:
        raise ValidationError("评估委员会审定分应由评估人员以外的账号录入（本平台建议）。")
    numbers = check_values(evaluation, values, complete=final)
    note_field = NOTE_FIELDS[column]
    for pk, value in numbers.items():
        score, _ = Score.objects.get_or_create(evaluation=evaluation, indicator_id=pk)
        setattr(score, column, value)
        if notes is not None:
            setattr(score, note_field, (notes.get(pk) or notes.get(str(pk)) or "")[:300])
        score.save()
    if column == "self_score" and not final:
        log(evaluation, E.SELF_SAVE, user, f"保存自评草稿（{len(numbers)}项）")
        return
    evaluation.state = after
    column_total = evaluation.scores.aggregate(t=Sum(column))["t"] or Decimal(0)
    if column == "self_score":
        evaluation.self_submitted_at = timezone.now()
        log(evaluation, E.SELF_SUBMIT, user, f"提交自评，自评总分{column_total}（提交后不能修改）")
    elif column == "evaluator_score":
        evaluation.evaluator = user
        log(evaluation, E.EVALUATOR, user, f"评估机构评分合计{column_total}")
    if column == "committee_score":
        total = evaluation.scores.aggregate(t=Sum("committee_score"))["t"] or Decimal(0)
        evaluation.total = min(total, evaluation.tree.max_total)  # bonus points capped at the maximum
        cutoffs = rules.rules_for(_province_of(evaluation.organization))["cutoffs"]
        if evaluation.tree.max_total != 1000:  # cut-offs are of 1,000; scale for trees of another total
            cutoffs = [[g, m * evaluation.tree.max_total / 1000] for g, m in cutoffs]
        evaluation.grade = rules.grade_for(evaluation.total, cutoffs)
        evaluation.committee_by = user
        cut = "、".join(f"{g}≥{m:g}" for g, m in cutoffs)
        log(evaluation, E.COMMITTEE, user, f"审定总分{evaluation.total}，等级{evaluation.grade or '未达等级'}"
                                          f"（本省等级分数线：{cut}）")
    evaluation.save()


@transaction.atomic
def publish(evaluation: Evaluation, on_date: date, user, note: str = "") -> None:
    if evaluation.state != S.COMMITTEE:
        raise ValidationError("评估委员会审定后方可公示。")
    days = rules.rules_for(_province_of(evaluation.organization))["notice_days"]
    evaluation.state, evaluation.published_on = S.PUBLISHED, on_date
    evaluation.notice_until, evaluation.decided_by = on_date + timedelta(days=days), user
    evaluation.save()
    log(evaluation, E.PUBLISH, user, f"公示{days}日，至{evaluation.notice_until:%Y-%m-%d}；{note}".rstrip("；"))


def _finalise(ev: Evaluation, user=None, note: str = "") -> None:
    years = rules.rules_for(_province_of(ev.organization))["validity_years"]
    ev.state, ev.final_on = S.FINAL, ev.notice_until + timedelta(days=1)
    ev.valid_until = add_years(ev.final_on, years) - timedelta(days=1) if ev.grade else None
    ev.save()
    until = f"，有效期至{ev.valid_until:%Y-%m-%d}（{years}年）" if ev.valid_until else ""
    log(ev, E.FINAL, user, f"公示期满无异议（或异议已答复），确定等级：{ev.grade or '未达等级'}{until}。{note}".strip())


def finalise_due(on_date: date) -> int:
    """Published evaluations whose notice period ended before ``on_date`` and with no unanswered objection stand:
    grade valid ``validity_years``."""
    done = 0
    for ev in (Evaluation.objects.filter(state=S.PUBLISHED, notice_until__lt=on_date)
               .exclude(pk__in=EvaluationObjection.objects.filter(replied_at__isnull=True).values("evaluation"))
               .select_related("organization")):
        with transaction.atomic():
            _finalise(ev)
            done += 1
    return done


@transaction.atomic
def finalise(evaluation: Evaluation, on_date: date, user) -> None:
    """The bureau confirms one result whose notice period has passed (the daily command does the same)."""
    if evaluation.state != S.PUBLISHED or evaluation.notice_until >= on_date:
        raise ValidationError("公示期满后方可确定等级。")
    if evaluation.open_objections.exists():
        raise ValidationError("公示期内提出的异议尚未答复，答复后方可确定等级。")
    _finalise(evaluation, user)


@transaction.atomic
def object_to(evaluation: Evaluation, on_date: date, user, text: str) -> EvaluationObjection:
    text = (text or "").strip()
    if evaluation.state != S.PUBLISHED or on_date > evaluation.notice_until:
        raise ValidationError("只能在公示期内对评估结果提出异议。")
    if not text:
        raise ValidationError({"text": ["异议内容：请写明异议的事实和理由。"]})
    objection = EvaluationObjection.objects.create(evaluation=evaluation, text=text[:2000], filed_by=user)
    log(evaluation, E.OBJECTION, user, text)
    return objection


@transaction.atomic
def reply(objection: EvaluationObjection, user, text: str) -> None:
    text = (text or "").strip()
    if objection.replied_at:
        raise ValidationError("该异议已答复。")
    if not text:
        raise ValidationError({"text": ["答复：请写明核查结果和理由。"]})
    objection.reply, objection.replied_by, objection.replied_at = text[:2000], user, timezone.now()
    objection.save()
    log(objection.evaluation, E.REPLY, user, text)


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
