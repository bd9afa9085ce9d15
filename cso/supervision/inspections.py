"""Services of random inspections: the population of a plan, the draw, publication, results and follow-up.

Each decision records who and when (and why where there is a why); each runs in one transaction.
``published_results(organization)`` is what evaluation, purchase of services and awards read.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cso.orgs.choices import LIVE_STATUSES, Track
from cso.orgs.models import Organization

from . import draw as drawing
from . import feeds
from .models import (
    InspectionPlan,
    InspectionResult,
    InspectionTarget,
    Inspector,
    InspectorConflict,
    TargetInspector,
)

State = InspectionPlan.State


def population(plan: InspectionPlan, categories=None):
    """The organizations the plan draws from: live legal-person organizations registered by the body of the
    plan's level (its division), narrowed by the plan's filters. ``categories`` overrides the plan's (a form
    previewing a plan not yet saved)."""
    qs = Organization.objects.filter(registration_authority_division_id=plan.division_id,
                                     track=Track.REGISTERED, status__in=LIVE_STATUSES)
    if plan.org_type:
        qs = qs.filter(org_type=plan.org_type)
    if categories is None and plan.pk:
        categories = list(plan.categories.all())
    if categories:
        qs = qs.filter(categories__in=categories).distinct()
    return qs


def pool(plan: InspectionPlan):
    return Inspector.objects.filter(division_id=plan.division_id, active=True).select_related("user")


def frozen_input(plan: InspectionPlan) -> dict:
    uids = sorted(population(plan).values_list("uid", flat=True))
    inspectors = {i.key: i.pk for i in pool(plan)}
    conflicts: dict[str, dict[str, str]] = {}
    rows = InspectorConflict.objects.filter(inspector__in=inspectors.values(), organization__uid__in=uids)
    for row in rows.select_related("inspector__user", "organization"):
        conflicts.setdefault(row.organization.uid, {})[row.inspector.key] = row.reason
    return {"population": uids, "inspectors": sorted(inspectors), "conflicts": conflicts,
            "rate": str(plan.rate), "min_rate": str(plan.min_rate), "site_share": str(plan.site_share),
            "per_visit": plan.inspectors_per_visit}


def compute(seed: str, frozen: dict) -> drawing.DrawResult:
    """The draw from the inputs frozen on a plan (what the verification re-runs)."""
    return drawing.draw(seed, frozen["population"], frozen["rate"], min_rate_percent=frozen["min_rate"],
                        site_share_percent=frozen["site_share"], inspectors=frozen["inspectors"],
                        conflicts=frozen["conflicts"], per_visit=frozen["per_visit"])


@transaction.atomic
def run_draw(plan: InspectionPlan, user) -> drawing.DrawResult:
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != State.DRAFT:
        raise ValidationError("该计划已经抽取，不能重新抽取（种子已公开，结果可由任何人复核）。")
    frozen = frozen_input(plan)
    try:
        result = compute(plan.seed, frozen)
    except drawing.DrawError as exc:
        raise ValidationError(str(exc)) from exc
    orgs = {o.uid: o for o in Organization.objects.filter(uid__in=result.uids)}
    inspectors = {i.key: i for i in pool(plan)}
    for drawn in result.targets:
        target = InspectionTarget.objects.create(plan=plan, organization=orgs[drawn.uid], org_uid=drawn.uid,
                                                 rank=drawn.rank, score=drawn.score, method=drawn.method)
        order = 0
        for skip in drawn.skipped:
            order += 1
            TargetInspector.objects.create(target=target, inspector=inspectors[skip.inspector], order=order,
                                           status=TargetInspector.Status.SKIPPED, reason=skip.reason)
        for key in drawn.inspectors:
            order += 1
            TargetInspector.objects.create(target=target, inspector=inspectors[key], order=order,
                                           status=TargetInspector.Status.ASSIGNED)
    plan.draw_input = frozen
    plan.state = State.DRAWN
    plan.drawn_by = user
    plan.drawn_at = timezone.now()
    plan.save(update_fields=["draw_input", "state", "drawn_by", "drawn_at"])
    return result


def recorded(plan: InspectionPlan) -> list[tuple[str, str, tuple[str, ...]]]:
    targets = plan.targets.prefetch_related("inspector_rows__inspector__user").order_by("rank")
    return [(t.org_uid, t.method, tuple(r.inspector.key for r in t.assigned)) for t in targets]


def verify(plan: InspectionPlan) -> list[str]:
    """Re-run the draw from the plan's seed and frozen inputs and compare with what was recorded: [] when equal."""
    if plan.state == State.DRAFT:
        return ["该计划尚未抽取。"]
    if not plan.commitment_holds:
        return [f"公开的种子与制定计划时公开的承诺值不符：SHA-256(种子) ≠ {plan.seed_commitment or '（无承诺值）'}。"]
    try:
        result = compute(plan.seed, plan.draw_input)
    except drawing.DrawError as exc:
        return [str(exc)]
    return drawing.compare(recorded(plan), result)


@transaction.atomic
def publish(plan: InspectionPlan, user) -> None:
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != State.DRAWN:
        raise ValidationError("只有已抽取、尚未公开的计划可以公开。")
    plan.state = State.PUBLISHED
    plan.published_by, plan.published_at = user, timezone.now()
    plan.save(update_fields=["state", "published_by", "published_at"])


@transaction.atomic
def close(plan: InspectionPlan, user, note: str) -> None:
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != State.PUBLISHED:
        raise ValidationError("只有已公开的计划可以结束。")
    missing = plan.targets.filter(result__isnull=True).count()
    if missing and not note.strip():
        raise ValidationError({"close_note": f"还有{missing}个抽查对象未记录结果，结束计划须填写结束说明。"})
    plan.state = State.CLOSED
    plan.closed_by, plan.closed_at, plan.close_note = user, timezone.now(), note.strip()
    plan.save(update_fields=["state", "closed_by", "closed_at", "close_note"])


@transaction.atomic
def schedule_visit(target: InspectionTarget, visit_on: date, user) -> None:
    """Set the date of a site visit and number its written notice (检查通知书)."""
    if target.method != InspectionTarget.Method.SITE:
        raise ValidationError("书面检查无须检查通知书。")
    target.visit_on = visit_on
    if not target.notice_number:
        target.notice_number = f"{target.plan.year}-{target.plan_id:04d}-{target.rank:03d}"
    target.save(update_fields=["visit_on", "notice_number"])


@transaction.atomic
def record_result(target: InspectionTarget, data: dict, user) -> InspectionResult:
    if InspectionPlan.objects.get(pk=target.plan_id).state not in (State.DRAWN, State.PUBLISHED):
        raise ValidationError("只有已抽取、尚未结束的计划可以记录检查结果。")
    if InspectionResult.objects.filter(target=target).exists():
        raise ValidationError("该对象已记录检查结果；整改情况请在“跟进”中记录。")
    result = InspectionResult(target=target, recorded_by=user, **data)
    result.full_clean()
    result.save()
    feeds.inspection_failed(result, user)  # 责令限期整改 feeds the credit rules, in this transaction
    return result


@transaction.atomic
def record_follow_up(result: InspectionResult, text: str, on: date, user) -> None:
    if not text.strip():
        raise ValidationError({"follow_up": "请填写整改情况。"})
    result.follow_up = text.strip()
    result.follow_up_on = on
    result.follow_up_by = user
    result.save(update_fields=["follow_up", "follow_up_on", "follow_up_by"])


@transaction.atomic
def publish_results(plan: InspectionPlan, user) -> int:
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != State.PUBLISHED:
        raise ValidationError("请先公开抽查计划和抽查名单，再公开检查结果。")
    return InspectionResult.objects.filter(target__plan=plan, published_at__isnull=True).update(
        published_at=timezone.now(), published_by=user)


def published_results(organization):
    """The published inspection results of an organization, newest first: for evaluation (等级评估), purchase of
    services (政府购买服务) and awards (评比表彰)."""
    return (InspectionResult.objects.filter(target__organization=organization, published_at__isnull=False)
            .select_related("target__plan").order_by("-inspected_on", "-id"))


@transaction.atomic
def declare_conflict(inspector: Inspector, organization, reason: str) -> InspectorConflict:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写回避原因（如：亲属在该组织任职、曾在该组织任职）。"})
    conflict, created = InspectorConflict.objects.get_or_create(
        inspector=inspector, organization=organization, defaults={"reason": reason})
    if not created:
        raise ValidationError({"organization": f"已申报过与“{organization.name}”的回避。"})
    return conflict


def eligible_accounts(division):
    """Accounts a body may put into its pool: its own staff (civil affairs, registrar, admin), active."""
    from django.contrib.auth import get_user_model

    from .models.inspections import INSPECTOR_ROLES

    return (get_user_model().objects.filter(division=division, role__in=INSPECTOR_ROLES, is_active=True)
            .exclude(inspector__isnull=False).order_by("username"))


@transaction.atomic
def add_inspector(division, user_account, badge: str, by) -> Inspector:
    from .models.inspections import INSPECTOR_ROLES

    if user_account.division_id != division.pk or user_account.role not in INSPECTOR_ROLES:
        raise ValidationError({"user": "只能把本机关的民政、登记管理或系统管理账号列入检查人员名录。"})
    if Inspector.objects.filter(user=user_account).exists():
        raise ValidationError({"user": "该账号已在检查人员名录中。"})
    return Inspector.objects.create(user=user_account, division=division, badge=badge.strip(), added_by=by)


@transaction.atomic
def set_active(inspector: Inspector, active: bool, reason: str, by) -> None:
    if not reason.strip():
        raise ValidationError({"reason": "请填写调整原因。"})
    inspector.active = active
    inspector.changed_by, inspector.changed_at, inspector.change_reason = by, timezone.now(), reason.strip()
    inspector.save(update_fields=["active", "changed_by", "changed_at", "change_reason"])
