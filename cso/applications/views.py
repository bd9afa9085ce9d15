"""Pages of online handling: the applicant's cases and form, the official's to-do queue and the case page.
Views are thin: the services decide; a case outside the account's scope is a 404."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cso.accounts.responsibilities import can, require
from cso.core.filetypes import max_bytes

from . import materials, services
from .kinds import KINDS
from .models import Application, State
from .views_existing import about_org, org_context

PAGE_SIZE = 20


def _get(request, number: str) -> Application:
    """The case by its number (a draft by ``D<pk>``) among those the account may see; else a 404."""
    qs = Application.objects.visible_to(request.user).select_related("division", "authority_division",
                                                                      "applicant", "organization")
    if number.startswith("D") and number[1:].isdigit():
        application = qs.filter(pk=int(number[1:]), number__isnull=True).first()
    else:
        application = qs.filter(number=number).first()
    if application is None:
        raise Http404("找不到该申请。")
    return application


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


@require_GET
def mine(request):
    require(request.user, "applications.apply")
    qs = Application.objects.visible_to(request.user).filter(applicant=request.user).select_related("division")
    page = Paginator(qs.order_by("-updated_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "applications/mine.html", {"page_obj": page, "kinds": KINDS})


@require_GET
def todo(request):
    if not (can(request.user, "applications.accept") or can(request.user, "applications.approve")
            or can(request.user, "applications.opinion")):
        raise PermissionDenied("您的账号无权办理申请。")
    qs = services.queue(request.user)
    step = request.GET.get("step", "")
    if step in (State.SUBMITTED, State.ACCEPTED, State.COMMUNITY_OPINION):
        qs = qs.filter(state=step)
    page = _page_by_ids(qs, request.GET.get("page"))
    return render(request, "applications/queue.html", {
        "page_obj": page, "step": step,
        "steps": [(State.SUBMITTED, "待受理"), (State.ACCEPTED, "待审查决定"), (State.COMMUNITY_OPINION, "待提出意见")],
    })


def _page_by_ids(qs, number):
    """One page of ``qs``: the count and the page's ids read the open-case index alone
    (``applications_queue_open``, index-only on PostgreSQL), then the page's rows are loaded by id with their
    community — so a deep page does not fetch and join every case before it."""
    page = Paginator(qs.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    rows = Application.objects.select_related("division").in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


def _new_kind(request):
    """The kind asked for by ``?kind=`` (a hidden field on POST); 备案 when none is named."""
    code = request.POST.get("kind") or request.GET.get("kind") or "filing"
    if code not in KINDS:
        raise Http404("没有这种申请事项。")
    return KINDS[code]


def _form_page(request, application: Application | None):
    kind = _new_kind(request) if application is None else application.kind_spec
    token = request.POST.get("token") or uuid.uuid4().hex
    organization = about_org(request, kind, application)
    extra = kind.form_kwargs(organization)
    if request.method == "POST":
        form = kind.form(request.POST, user=request.user, **extra)
        if form.is_valid():
            try:
                application = services.save_draft(request.user, kind.code, form.cleaned_data, application,
                                                   token=token if application is None else "",
                                                   organization=organization)
                if request.POST.get("then") == "submit":
                    application = services.submit(application, request.user)
                    messages.success(request, f"申请已提交，编号 {application.number}。")
                else:
                    messages.success(request, "草稿已保存，可随时回来继续填写。")
                return redirect("applications:detail", application.ref)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errs in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errs)
                else:
                    form.add_error(None, exc.messages)
                if application is not None and application.pk:  # the draft was saved; show it with the errors
                    messages.warning(request, "草稿已保存，但还不能提交：" + "；".join(_errors(exc)))
                    return redirect("applications:edit", application.ref)
    else:
        initial = {}
        if kind.about_org:
            initial = kind.initial(organization, application.payload if application else None)
        elif application is not None:
            initial = {**application.payload, "division": application.division_id}
        form = kind.form(initial=initial, user=request.user, **extra)
    return render(request, "applications/form.html", {
        "form": form, "kind": kind, "application": application, "token": token,
        "missing": _last_missing(application), **org_context(kind, organization, application),
        "planned_materials": kind.materials_for(organization, None) if application is None else (),
        **_materials_context(request, application, "edit"),
    })


def _materials_context(request, application, back: str) -> dict:
    """The materials section of the case and edit pages."""
    if application is None or not application.pk:
        return {}
    return {
        "materials": materials.by_material(application), "materials_back": back,
        "may_upload": application.applicant_id == request.user.pk
        and application.state in materials.EDITABLE_STATES and can(request.user, "applications.upload", application),
        "may_download": can(request.user, "applications.download", application),
        "upload_max_mb": max_bytes() // (1024 * 1024),
    }


def _last_missing(application):
    if application is None or application.state != State.NEEDS_CORRECTION:
        return []
    event = application.events.filter(to_state=State.NEEDS_CORRECTION).last()
    return event.missing if event else []


@require_http_methods(["GET", "POST"])
def new(request):
    require(request.user, "applications.apply")
    if request.method == "GET" and not request.GET.get("kind"):  # first pick the kind
        return render(request, "applications/choose.html", {"kinds": list(KINDS.values())})
    return _form_page(request, None)


@require_http_methods(["GET", "POST"])
def edit(request, number):
    application = _get(request, number)
    require(request.user, "applications.apply", application)
    if application.state not in (State.DRAFT, State.NEEDS_CORRECTION):
        messages.error(request, "申请已提交，不能再修改。")
        return redirect("applications:detail", application.ref)
    return _form_page(request, application)


@require_POST
def submit(request, number):
    application = _get(request, number)
    require(request.user, "applications.apply", application)
    try:
        application = services.submit(application, request.user)
        messages.success(request, f"申请已提交，编号 {application.number}。")
    except ValidationError as exc:
        messages.error(request, "不能提交：" + "；".join(_errors(exc)))
    return redirect("applications:detail", application.ref)


@require_GET
def detail(request, number):
    application = _get(request, number)
    kind = application.kind_spec
    is_applicant = application.applicant_id == request.user.pk
    events = application.events.select_related("actor", "actor__division")
    return render(request, "applications/detail.html", {
        "application": application, "kind": kind, "ref": application.ref, "events": events,
        "summary": kind.display(application.payload), "moves": services.moves_for(request.user, application),
        "may_edit": is_applicant and application.state in (State.DRAFT, State.NEEDS_CORRECTION)
        and can(request.user, "applications.apply", application),
        "missing": _last_missing(application), **org_context(kind, application.organization, application),
        "may_opine": application.state == State.COMMUNITY_OPINION
        and can(request.user, "applications.opinion", application),
        "opinions": [e for e in events if e.verb == "opinion"],
        "decision_fields": [(name, label, application.payload.get(name, "")) for name, label in kind.decision_fields],
        **_materials_context(request, application, "detail"),
    })


@require_GET
def name_check(request):
    """本平台建议: live names in the county like the one typed (exact or normalised match first), and whether an
    application under way holds it — a warning while filling in the form; the check at submission decides."""
    from cso.applications.names import county_of, holding, name_forms, open_clashes, similar_live
    from cso.regions.models import Division

    require(request.user, "applications.name_check")
    name = (request.GET.get("name") or "")[:200]
    division = Division.objects.visible_to(request.user).filter(code=request.GET.get("division", "")).first()
    county = county_of(division or request.user.division)
    out = {"label": "本平台建议", "name": name.strip(), "matches": [], "under_way": 0, "message": ""}
    if county is None or len(name.strip()) < 2:
        return JsonResponse(out)
    forms_ = set(name_forms(name))
    matches = similar_live(name, county.code)
    out["matches"] = [{"name": o.name, "division": o.division.name, "exact": o.name in forms_} for o in matches]
    out["under_way"] = len(holding(open_clashes(name, county.code, applicant_id=request.user.pk)[:20]))
    if any(m["exact"] for m in out["matches"]) or out["under_way"]:
        out["message"] = f"本县（区）已有名为“{name.strip()}”的组织或正在办理的申请，请换一个名称。"
    elif matches:
        out["message"] = "本县（区）已有相近的名称，请注意区分。"
    return JsonResponse(out)


@require_POST
def opinion(request, number):
    """The community's (street's) opinion: 同意 / 不同意 with a text; the registering body still decides."""
    application = _get(request, number)
    require(request.user, "applications.opinion", application)
    try:
        services.give_opinion(application, request.user, request.POST.get("stance", ""),
                              request.POST.get("reason", ""))
        messages.success(request, "意见已提交，登记管理机关将参考意见作出决定。")
    except ValidationError as exc:
        messages.error(request, "不能提交意见：" + "；".join(_errors(exc)))
    return redirect("applications:detail", application.ref)


def move(verb: str):
    @require_POST
    def view(request, number):
        application = _get(request, number)
        require(request.user, application.kind_spec.action_for(verb), application)
        missing = [line for line in request.POST.get("missing", "").splitlines() if line.strip()]
        try:
            decision = {name: request.POST.get(name, "") for name, _ in application.kind_spec.decision_fields}
            services.act(application, request.user, verb, request.POST.get("reason", ""), missing, decision)
            messages.success(request, f"已{services.VERB_LABELS[verb]}。")
        except ValidationError as exc:
            messages.error(request, f"不能{services.VERB_LABELS[verb]}：" + "；".join(_errors(exc)))
        return redirect("applications:detail", application.ref)

    view.__name__ = f"move_{verb}"
    return view
