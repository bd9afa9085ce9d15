"""Pages of grade evaluation (等级评估; 民政部令第39号).

The organization's account: eligibility with every reason, applying (choice of indicator tree: 等级评估, or for a
community social organization the 规范化建设评估 tree), the self-assessment sheet (draft, then submitted: immutable),
objections during the notice period. The supervising bureau (civil-affairs staff where the organization was
registered): the division's list with filters and export, the evaluator's and the committee's sheets, publishing,
replies to objections and finalising. The public list of published and standing grades needs no login.

An evaluation outside what the account sees is a 404; the responsibilities table decides the rest (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cso.accounts.responsibilities import can, require
from cso.core import exporting
from cso.orgs.choices import Track
from cso.orgs.models import Organization

from . import evaluation as rules
from . import evaluation_exports
from . import evaluation_services as svc
from .evaluation_forms import NoteForm, ScoreSheet
from .evaluation_trees import rows as tree_rows
from .inspections import published_results
from .models import Evaluation, EvaluationObjection, EvaluationState, IndicatorTree

PUBLIC_TITLE = "社会组织评估等级公示"
PAGE_SIZE = 20
S = EvaluationState


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


def _get(request, pk: int) -> Evaluation:
    ev = (Evaluation.objects.visible_to(request.user)
          .select_related("organization", "organization__division", "tree").filter(pk=pk).first())
    if ev is None:
        raise Http404("找不到该评估。")
    return ev


def standing(org, on_date):
    """The organization's standing grade on ``on_date`` (final, within its validity), or None."""
    return (Evaluation.objects.filter(organization=org, state=S.FINAL, valid_until__gte=on_date)
            .exclude(grade="").order_by("-final_on").first())


def eligibility_of(org, on_date) -> dict:
    ok, reasons = rules.eligibility(org, on_date, svc.previous_of(org))
    return {"ok": ok, "checked_on": on_date,
            "admissions": [text for code, text in reasons if code in svc.ADMISSIONS],
            "refusals": [text for code, text in reasons if code not in svc.ADMISSIONS]}


@login_not_required
@require_GET
def public_grades(request):
    qs = (Evaluation.objects.filter(state__in=(S.PUBLISHED, S.FINAL))
          .select_related("organization").order_by("-published_on", "-pk"))
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(organization__name__icontains=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "supervision/evaluation/public.html", {"page_obj": page, "q": q, "title": PUBLIC_TITLE})


@require_GET
def home(request):
    """The navigation entry 等级评估: the bureau's list, or the organization's own page."""
    if can(request.user, "supervision.evaluation_list"):
        return redirect("supervision:evaluation_list")
    require(request.user, "supervision.evaluation_apply")
    return redirect("supervision:evaluation_mine")


# --- the organization's account ----------------------------------------------------------------------
@require_GET
def mine(request):
    require(request.user, "supervision.evaluation_apply")
    today = svc.today()
    orgs = list(Organization.objects.visible_to(request.user).filter(track=Track.REGISTERED)
                .select_related("division").order_by("name")[:50])
    cards = []
    for org in orgs:
        current = svc.in_progress(org)
        cards.append({
            "org": org, "eligibility": eligibility_of(org, today), "current": current,
            "standing": standing(org, today), "trees": svc.trees_for(org),
            "may_apply": can(request.user, "supervision.evaluation_apply", org) and current is None,
            "history": list(Evaluation.objects.filter(organization=org).exclude(pk=getattr(current, "pk", None))
                            .order_by("-applied_on")[:5]),
        })
    return render(request, "supervision/evaluation/mine.html", {"cards": cards, "today": today})


@require_POST
def apply(request):
    org = Organization.objects.visible_to(request.user).filter(uid=request.POST.get("org", "")).first()
    if org is None:
        raise Http404("找不到该组织。")
    require(request.user, "supervision.evaluation_apply", org)
    tree = IndicatorTree.objects.filter(pk=request.POST.get("tree") or 0).first() \
        if (request.POST.get("tree") or "").isdigit() else None
    if tree is None:
        messages.error(request, "指标体系：请选择评估类别和指标体系。")
        return redirect("supervision:evaluation_mine")
    try:
        ev = svc.apply(org, tree, svc.today(), request.user)
    except ValidationError as exc:
        messages.error(request, "不能申请：" + "；".join(_errors(exc)))
        return redirect("supervision:evaluation_mine")
    messages.success(request, f"已申请“{tree.title}”，请填报自评分。")
    return redirect("supervision:evaluation_self", ev.pk)


@require_http_methods(["GET", "POST"])
def self_score(request, evaluation):
    ev = _get(request, evaluation)
    require(request.user, "supervision.evaluation_apply", ev)
    if ev.state != S.APPLIED:
        messages.info(request, "自评已提交，不能修改。")
        return redirect("supervision:evaluation_detail", ev.pk)
    submit = request.POST.get("then") == "submit"
    form = ScoreSheet(request.POST or None, evaluation=ev, column="self_score", complete=submit)
    if request.method == "POST" and form.is_valid():
        try:
            svc.record_scores(ev, "self_score", form.numbers, form.notes(), user=request.user, final=submit)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            if submit:
                messages.success(request, "自评已提交，等待评估。提交后不能修改。")
                return redirect("supervision:evaluation_detail", ev.pk)
            messages.success(request, "自评草稿已保存，可随时回来继续填写。")
            return redirect("supervision:evaluation_self", ev.pk)
    return render(request, "supervision/evaluation/sheet.html", {
        "ev": ev, "form": form, "column": "self_score", "title": "自评", "draft": True})


@require_POST
def object_to(request, evaluation):
    ev = _get(request, evaluation)
    require(request.user, "supervision.evaluation_apply", ev)
    try:
        svc.object_to(ev, svc.today(), request.user, request.POST.get("text", ""))
        messages.success(request, "异议已提交，民政部门答复前不确定等级。")
    except ValidationError as exc:
        messages.error(request, "不能提出异议：" + "；".join(_errors(exc)))
    return redirect("supervision:evaluation_detail", ev.pk)


# --- both sides ---------------------------------------------------------------------------------------
@require_GET
def detail(request, evaluation):
    ev = _get(request, evaluation)
    user = request.user
    may = {a: can(user, f"supervision.evaluation_{a}", ev) for a in ("apply", "score", "publish")}
    if not any(may.values()) and not can(user, "supervision.evaluation_list"):
        raise PermissionDenied("您的账号无权查看该评估。")
    today = svc.today()
    stored = {s.indicator_id: s for s in ev.scores.all()}
    rows = [{**row, "score": stored.get(row["indicator"].pk)} for row in tree_rows(ev.tree)]
    totals = {c: sum((getattr(s, c) or 0) for s in stored.values()) for c in svc.COLUMNS}
    conflict = svc.conflict_of(user, ev.organization) if may["score"] else ""
    return render(request, "supervision/evaluation/detail.html", {
        "ev": ev, "rows": rows, "totals": totals, "today": today, "conflict": conflict,
        "events": ev.events.select_related("actor"),
        "objections": ev.objections.select_related("filed_by", "replied_by"),
        "may_self": may["apply"] and ev.state == S.APPLIED,
        "may_object": may["apply"] and ev.state == S.PUBLISHED and today <= ev.notice_until,
        "may_evaluate": may["score"] and not conflict and ev.state in (S.SELF_SCORED, S.EVALUATED),
        "may_committee": may["score"] and not conflict and ev.state in (S.EVALUATED, S.COMMITTEE),
        "may_publish": may["publish"] and ev.state == S.COMMITTEE,
        "may_reply": may["publish"] and ev.state == S.PUBLISHED,
        "may_finalise": may["publish"] and ev.state == S.PUBLISHED and ev.notice_until < today,
        "notice_days": rules.rules_for(svc._province_of(ev.organization))["notice_days"],
        # the bureau's side weighs the organization's published inspection results (issue 11: results feed evaluation)
        "inspection_results": list(published_results(ev.organization)[:10])
        if may["score"] or may["publish"] else None,
    })


# --- the supervising bureau -----------------------------------------------------------------------------
def _sheet(request, evaluation, column: str, title: str):
    ev = _get(request, evaluation)
    require(request.user, "supervision.evaluation_score", ev)
    conflict = svc.conflict_of(request.user, ev.organization)
    if conflict:
        messages.error(request, f"您已申报与该组织存在利害关系（{conflict}），应当回避，不能评分。")
        return redirect("supervision:evaluation_detail", ev.pk)
    form = ScoreSheet(request.POST or None, evaluation=ev, column=column)
    if request.method == "POST" and form.is_valid():
        try:
            svc.record_scores(ev, column, form.numbers, form.notes(), user=request.user)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, f"已保存{title}。")
            return redirect("supervision:evaluation_detail", ev.pk)
    return render(request, "supervision/evaluation/sheet.html", {
        "ev": ev, "form": form, "column": column, "title": title, "draft": False})


@require_http_methods(["GET", "POST"])
def evaluator_score(request, evaluation):
    return _sheet(request, evaluation, "evaluator_score", "评估机构评分")


@require_http_methods(["GET", "POST"])
def committee_score(request, evaluation):
    return _sheet(request, evaluation, "committee_score", "评估委员会审定分")


@require_POST
def publish(request, evaluation):
    ev = _get(request, evaluation)
    require(request.user, "supervision.evaluation_publish", ev)
    form = NoteForm(request.POST)
    try:
        note = form.cleaned_data["text"] if form.is_valid() else ""
        svc.publish(ev, svc.today(), request.user, note)
        ev.refresh_from_db()
        messages.success(request, f"已公示，公示期至{ev.notice_until:%Y-%m-%d}。")
    except ValidationError as exc:
        messages.error(request, "不能公示：" + "；".join(_errors(exc)))
    return redirect("supervision:evaluation_detail", ev.pk)


@require_POST
def finalise(request, evaluation):
    ev = _get(request, evaluation)
    require(request.user, "supervision.evaluation_publish", ev)
    try:
        svc.finalise(ev, svc.today(), request.user)
        messages.success(request, "已确定等级。")
    except ValidationError as exc:
        messages.error(request, "不能确定等级：" + "；".join(_errors(exc)))
    return redirect("supervision:evaluation_detail", ev.pk)


@require_POST
def reply(request, evaluation, evaluation_objection):
    ev = _get(request, evaluation)
    require(request.user, "supervision.evaluation_publish", ev)
    objection = EvaluationObjection.objects.filter(evaluation=ev, pk=evaluation_objection).first()
    if objection is None:
        raise Http404("找不到该异议。")
    try:
        svc.reply(objection, request.user, request.POST.get("text", ""))
        messages.success(request, "已答复异议。")
    except ValidationError as exc:
        messages.error(request, "不能答复：" + "；".join(_errors(exc)))
    return redirect("supervision:evaluation_detail", ev.pk)


@require_GET
def listing(request):
    require(request.user, "supervision.evaluation_list")
    lst = evaluation_exports.Listing.from_params(request.user, request.GET)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return exporting.now_or_submit(
            lst.queryset(), lambda: evaluation_exports.response(lst, fmt),
            lambda: evaluation_exports.submit(lst, fmt, back_url=f"{request.path}?{lst.query()}"))
    page = Paginator(lst.queryset(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/evaluation/list.html", {
        "page_obj": page, "listing": lst, "states": S.choices, "grades": evaluation_exports.GRADES,
        "years": list(range(svc.today().year, svc.today().year - 6, -1))})
