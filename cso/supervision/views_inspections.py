"""Pages of random inspections (双随机一公开): plans, the draw, publication, site-visit notices, results and
follow-up; the inspectors' pool and their declared conflicts; the public page of a published plan.

Objects outside the account's subtree do not exist for it (404); inside it, the responsibilities table decides
(403). Every change is a POST through cso.supervision.inspections, in one transaction."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cso.accounts.responsibilities import Facts, Prospect, can, require
from cso.orgs.forms import apply_errors
from cso.orgs.models import Organization
from cso.regions.authorities import civil_affairs_body

from . import draw as drawing
from . import inspections as services
from .inspections_forms import (
    ActiveForm,
    AddInspectorForm,
    CloseForm,
    ConflictForm,
    FollowUpForm,
    PlanForm,
    ResultForm,
    VisitForm,
)
from .models import InspectionPlan, InspectionResult, InspectionTarget, Inspector, InspectorConflict
from .models.inspections import LEGAL_BASIS, LEVEL_KEYS

State = InspectionPlan.State


def _crumbs(*tail) -> list[dict]:
    return [{"label": "首页", "url": reverse("core:home")},
            {"label": "随机抽查", "url": reverse("supervision:inspection_plans")},
            *({"label": label, "url": url} for label, url in tail)]


def _here(user) -> Prospect:
    """What the account would make in its own division (a new plan, an inspector of its pool)."""
    return Prospect(Facts(division=user.division_id))


def _own_body_division(user):
    """The division of the body the account works for; a superuser (bound to none) acts through a body's staff."""
    division = user.division
    if division is None or division.level not in LEVEL_KEYS:
        raise PermissionDenied("抽查计划和检查人员名录由省、市、县（区）机关的工作人员办理。")
    return division


def _plan(request, pk: int, action: str) -> InspectionPlan:
    plan = get_object_or_404(InspectionPlan.objects.visible_to(request.user).select_related("division"), pk=pk)
    require(request.user, action, plan)
    return plan


def _target(request, pk: int) -> InspectionTarget:
    qs = InspectionTarget.objects.visible_to(request.user).select_related("plan__division", "organization")
    target = get_object_or_404(qs, pk=pk)
    require(request.user, "supervision.inspect_record", target)
    return target


def _inspector(request, pk: int, action: str) -> Inspector:
    inspector = get_object_or_404(Inspector.objects.visible_to(request.user).select_related("user", "division"),
                                  pk=pk)
    require(request.user, action, inspector)
    return inspector


def _body_name(division) -> str:
    body = civil_affairs_body(division)
    return body.name if body else f"{division.name}民政部门"


# --- plans ----------------------------------------------------------------------------------------------
@require_GET
def plan_list(request):
    require(request.user, "supervision.plan")
    plans = InspectionPlan.objects.visible_to(request.user).select_related("division")
    if not request.user.is_superuser:
        plans = plans.filter(division_id=request.user.division_id)
    plans = plans.annotate(target_count=Count("targets", distinct=True),
                           result_count=Count("targets__result", distinct=True))
    context = {"plans": plans[:200], "breadcrumbs": _crumbs(),
               "may_create": can(request.user, "supervision.plan", _here(request.user)),
               "may_pool": can(request.user, "supervision.inspectors", _here(request.user))}
    return render(request, "supervision/inspections/plan_list.html", context)


@require_http_methods(["GET", "POST"])
def plan_create(request):
    user = request.user
    require(user, "supervision.plan", _here(user))
    division = _own_body_division(user)
    form = PlanForm(request.POST or None, division=division)
    preview = None
    if request.method == "POST" and form.is_valid():
        plan = form.instance
        if "preview" in request.POST:
            count = services.population(plan, categories=list(form.cleaned_data["categories"])).count()
            preview = {"count": count, "size": drawing.sample_size(count, plan.rate, plan.min_rate)}
        else:
            plan.created_by = user
            form.save()
            messages.success(request, f"已制定抽查计划“{plan.title}”：随机种子已生成，现公开其承诺值"
                                      "（SHA-256），种子于抽取时公开。")
            return redirect("supervision:inspection_plan", plan=plan.pk)
    context = {"form": form, "preview": preview, "division": division, "min_rate": form.instance.min_rate,
               "breadcrumbs": _crumbs(("制定抽查计划", None))}
    return render(request, "supervision/inspections/plan_form.html", context)


def _method_context(plan: InspectionPlan) -> dict:
    return {"formula_org": "score = HMAC-SHA256(key=种子, message=\"org:\" + 组织标识)",
            "formula_inspector": ("score = HMAC-SHA256(key=种子, "
                                  "message=\"inspector:\" + 组织标识 + \":\" + 检查人员标识)"),
            "min_rate": plan.min_rate}


@require_GET
def plan_detail(request, plan):
    plan = _plan(request, plan, "supervision.plan")
    targets = (plan.targets.select_related("organization", "result")
               .prefetch_related("inspector_rows__inspector__user").order_by("rank"))
    user = request.user
    population_count = (len(plan.draw_input.get("population", [])) if plan.state != State.DRAFT
                        else services.population(plan).count())
    context = {
        "plan": plan, "targets": targets, "population_count": population_count,
        "categories": list(plan.categories.all()), "body_name": _body_name(plan.division),
        "problems": services.verify(plan) if plan.state != State.DRAFT else None,
        "may_draw": can(user, "supervision.draw", plan), "may_record": can(user, "supervision.inspect_record"),
        "pool_size": services.pool(plan).count(), "close_form": CloseForm(),
        "unpublished_results": InspectionResult.objects.filter(target__plan=plan, published_at__isnull=True).count(),
        "breadcrumbs": _crumbs((plan.title, None)), **_method_context(plan),
    }
    return render(request, "supervision/inspections/plan_detail.html", context)


def _act(request, plan, work, success: str):
    try:
        work()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("supervision:inspection_plan", plan=plan.pk)


@require_POST
def plan_draw(request, plan):
    plan = _plan(request, plan, "supervision.draw")
    return _act(request, plan, lambda: services.run_draw(plan, request.user),
                "已完成抽取：抽中的组织和实地检查人员已记录，可用公开的种子重新计算核对。")


@require_POST
def plan_publish(request, plan):
    plan = _plan(request, plan, "supervision.plan")
    return _act(request, plan, lambda: services.publish(plan, request.user),
                "已公开抽查计划、随机种子、抽取方法和抽查名单。")


@require_POST
def plan_publish_results(request, plan):
    plan = _plan(request, plan, "supervision.plan")
    return _act(request, plan, lambda: services.publish_results(plan, request.user),
                "已公开本计划已记录的检查结果。")


@require_POST
def plan_close(request, plan):
    plan = _plan(request, plan, "supervision.plan")
    form = CloseForm(request.POST)
    form.is_valid()
    return _act(request, plan, lambda: services.close(plan, request.user, form.cleaned_data.get("close_note", "")),
                "已结束抽查计划。")


@login_not_required
@require_GET
def plan_public(request, plan):
    """The public page of a published plan: no login, no personal data (organization names only)."""
    plan = get_object_or_404(InspectionPlan.objects.select_related("division"), pk=plan)
    if plan.state in (State.DRAFT, State.DRAWN):  # announced: the commitment (and, once drawn, the seed) only
        return render(request, "supervision/inspections/public.html", {
            "plan": plan, "announced": True, "body_name": _body_name(plan.division),
            "categories": list(plan.categories.all()), "legal_basis": LEGAL_BASIS, **_method_context(plan)})
    targets = plan.targets.select_related("organization", "result").order_by("rank")
    rows = []
    for target in targets:
        result = getattr(target, "result", None)
        rows.append({"target": target, "result": result if result and result.published_at else None})
    context = {"plan": plan, "rows": rows, "body_name": _body_name(plan.division),
               "population": plan.draw_input.get("population", []), "problems": services.verify(plan),
               "categories": list(plan.categories.all()), "legal_basis": LEGAL_BASIS, **_method_context(plan)}
    return render(request, "supervision/inspections/public.html", context)


# --- targets: notice, result, follow-up -------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def target_detail(request, target):
    target = _target(request, target)
    plan = target.plan
    result = InspectionResult.objects.filter(target=target).first()
    action = request.POST.get("action", "")
    visit_form = VisitForm(request.POST if action == "visit" else None, initial={"visit_on": target.visit_on})
    result_form = ResultForm(request.POST if action == "result" else None,
                             initial={"method": target.method, "inspected_on": target.visit_on})
    follow_form = FollowUpForm(request.POST if action == "follow_up" else None)
    if request.method == "POST":
        form = {"visit": visit_form, "result": result_form, "follow_up": follow_form}.get(action)
        if form is None:
            raise Http404("未知的操作")
        if form.is_valid():
            try:
                if action == "visit":
                    services.schedule_visit(target, form.cleaned_data["visit_on"], request.user)
                    messages.success(request, "已安排实地检查日期，可打印检查通知书。")
                elif action == "result":
                    services.record_result(target, form.cleaned_data, request.user)
                    messages.success(request, "已记录检查结果。")
                else:
                    if result is None:
                        raise ValidationError("请先记录检查结果。")
                    services.record_follow_up(result, form.cleaned_data["follow_up"],
                                              form.cleaned_data["follow_up_on"], request.user)
                    messages.success(request, "已记录整改情况。")
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("supervision:inspection_target", target=target.pk)
    context = {
        "target": target, "plan": plan, "result": result,
        "rows": target.inspector_rows.select_related("inspector__user").order_by("order"),
        "visit_form": visit_form, "result_form": result_form, "follow_form": follow_form,
        "open": plan.state in (State.DRAWN, State.PUBLISHED),
        "breadcrumbs": _crumbs((plan.title, reverse("supervision:inspection_plan", kwargs={"plan": plan.pk})),
                               (target.organization.name, None)),
    }
    return render(request, "supervision/inspections/target.html", context)


@require_GET
def target_notice(request, target):
    target = _target(request, target)
    if target.method != InspectionTarget.Method.SITE:
        raise Http404("书面检查没有检查通知书")
    context = {"target": target, "plan": target.plan, "org": target.organization,
               "inspectors": [row.inspector for row in target.inspector_rows.select_related("inspector__user")
                              if row.status == "assigned"],
               "body_name": _body_name(target.plan.division), "legal_basis": LEGAL_BASIS}
    return render(request, "supervision/inspections/notice.html", context)


# --- the inspectors' pool and conflicts -----------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def inspector_list(request):
    user = request.user
    require(user, "supervision.inspectors", _here(user))
    division = _own_body_division(user)
    form = AddInspectorForm(request.POST or None, accounts=services.eligible_accounts(division))
    if request.method == "POST" and form.is_valid():
        try:
            inspector = services.add_inspector(division, form.cleaned_data["user"], form.cleaned_data["badge"], user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已将{inspector}列入检查人员名录。")
            return redirect("supervision:inspectors")
    inspectors = (Inspector.objects.filter(division=division).select_related("user", "added_by", "changed_by")
                  .annotate(conflict_count=Count("conflicts", distinct=True),
                            visit_count=Count("target_rows", filter=Q(target_rows__status="assigned"), distinct=True)))
    context = {"form": form, "inspectors": inspectors, "division": division, "active_form": ActiveForm(),
               "breadcrumbs": _crumbs(("检查人员名录", None))}
    return render(request, "supervision/inspections/inspectors.html", context)


@require_POST
def inspector_active(request, inspector):
    inspector = _inspector(request, inspector, "supervision.inspectors")
    form = ActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写调整原因。")
        return redirect("supervision:inspectors")
    active = not inspector.active
    services.set_active(inspector, active, form.cleaned_data["reason"], request.user)
    messages.success(request, f"已{'恢复' if active else '暂停'}{inspector}的检查人员资格。")
    return redirect("supervision:inspectors")


@require_GET
def my_conflicts(request):
    """The entry of the navigation bar: the signed-in inspector's own declarations."""
    require(request.user, "supervision.declare_conflict")
    inspector = Inspector.objects.filter(user=request.user).first()
    if inspector is not None:
        return redirect("supervision:inspector_conflicts", inspector=inspector.pk)
    return render(request, "supervision/inspections/not_inspector.html", {"breadcrumbs": _crumbs(("回避申报", None))})


@require_http_methods(["GET", "POST"])
def inspector_conflicts(request, inspector):
    inspector = _inspector(request, inspector, "supervision.declare_conflict")
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["organization"].strip().upper()
        org = (Organization.objects.filter(Q(uid=key) | Q(credit_code=key))
               .filter(registration_authority_division_id=inspector.division_id).first())
        if org is None:
            form.add_error("organization", "本机关登记的组织中没有这个组织标识或统一社会信用代码。")
        else:
            try:
                services.declare_conflict(inspector, org, form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已申报与“{org.name}”的回避：今后的抽取不会为该组织选派您。")
                return redirect("supervision:inspector_conflicts", inspector=inspector.pk)
    conflicts = InspectorConflict.objects.filter(inspector=inspector).select_related("organization")
    visits = (InspectionTarget.objects.filter(inspector_rows__inspector=inspector, inspector_rows__status="assigned")
              .exclude(plan__state=State.CLOSED).select_related("plan", "organization", "result")
              .order_by("-plan__year", "plan_id", "rank"))
    context = {"inspector": inspector, "form": form, "conflicts": conflicts, "visits": visits,
               "breadcrumbs": _crumbs(("回避申报", None))}
    return render(request, "supervision/inspections/conflicts.html", context)
