"""Pages of funding programmes (资金扶持).

Public (no login): open calls, the disclosure of every award, published guidance lists. Staff: programmes of their
subtree, review, decisions, contracts, instalments, evaluation. Organizations: apply for a linked organization and
follow their applications. Objects outside the account's reach are a 404; inside it the responsibilities table
decides (403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cso.accounts.responsibilities import Facts, Prospect, can, require
from cso.core import attachments, exporting
from cso.orgs.choices import Track
from cso.orgs.forms import apply_errors
from cso.orgs.models import Organization, linked_q
from cso.regions.models import Division
from cso.supervision.inspections import published_results

from . import exports, rules, services
from .choices import ApplicationState, GuidanceKind, Kind, ProgrammeState
from .forms import (
    ApplyForm,
    AwardForm,
    ConflictForm,
    ContractForm,
    DisburseForm,
    EvaluationForm,
    GuidanceListForm,
    ProgrammeForm,
    QualificationForm,
    RejectForm,
    ReviewerForm,
    ScoreForm,
)
from .models import Application, Award, GuidanceItem, GuidanceList, Programme, Qualification


def _crumbs(*tail) -> list[dict]:
    return [{"label": "首页", "url": reverse("core:home")}, *({"label": t, "url": u} for t, u in tail)]


def _here(user) -> Prospect:
    return Prospect(Facts(division=user.division_id))


def _programme(request, pk, action="funding.view") -> Programme:
    programme = get_object_or_404(Programme.objects.visible_to(request.user).select_related("division"), pk=pk)
    require(request.user, action, programme)
    return programme


def _application(request, pk) -> Application:
    qs = Application.objects.visible_to(request.user).select_related("programme__division", "organization")
    return get_object_or_404(qs, pk=pk)


def _award(request, pk) -> Award:
    award = get_object_or_404(Award.objects.visible_to(request.user).select_related(
        "programme", "organization", "application"), pk=pk)
    require(request.user, "funding.decide", award.application)
    return award


# --- public -----------------------------------------------------------------------------------------
@login_not_required
@require_GET
def calls(request):
    """Open calls, for everyone (organizations of other districts too, seed 002)."""
    today = timezone.localdate()
    qs = (Programme.objects.filter(state=ProgrammeState.OPEN, closes_on__gte=today)
          .select_related("division").order_by("closes_on", "pk"))
    kind = request.GET.get("kind") or ""
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "funding/calls.html", {"page_obj": page, "kinds": Kind.choices, "kind": kind,
                                                  "may_apply": can(request.user, "funding.apply")})


@login_not_required
@require_GET
def call_detail(request, programme):
    programme = get_object_or_404(Programme.objects.exclude(state=ProgrammeState.DRAFT).select_related("division"),
                                  pk=programme)
    orgs = []
    if can(request.user, "funding.apply"):
        orgs = list(Organization.objects.filter(linked_q(request.user)).order_by("name"))
    return render(request, "funding/call_detail.html", {
        "programme": programme, "orgs": orgs, "categories": programme.categories.all(),
        "grade": programme.min_grade or rules.rules_for(programme.division_id)["priority_grade"],
        "bonus": rules.priority_bonus(programme),
        "breadcrumbs": _crumbs(("资金扶持项目征集", reverse("funding:calls")))})


@login_not_required
@require_GET
def disclosure(request):
    """Every award of a published programme, public: organization, amount, programme, funder, dates. Narrowed to one
    programme, the page offers that programme's disclosure as a file (``disclosure_download``)."""
    qs = exports.public_awards()
    year = request.GET.get("year") or ""
    if year.isdigit():
        qs = qs.filter(year=int(year))
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(Q(organization__name__icontains=q) | Q(programme__title__icontains=q))
    programme = None
    pk = request.GET.get("programme") or ""
    if pk.isdigit():
        programme = Programme.objects.exclude(state=ProgrammeState.DRAFT).filter(pk=int(pk)).first()
        qs = qs.filter(programme=programme) if programme else qs.none()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    downloadable = programme is not None and exporting.fits_the_request(
        exports.public_awards().filter(programme=programme))
    return render(request, "funding/disclosure.html", {"page_obj": page, "q": q, "year": year, "programme": programme,
                                                       "downloadable": downloadable, "cap": exports.disclosure_cap()})


@login_not_required
@require_GET
def disclosure_download(request, programme):
    """One published programme's disclosed awards as .xlsx or .csv (the page's columns), answered in the request:
    anonymous visitors own no background job, so a programme above the cap is read on the page."""
    programme = get_object_or_404(Programme.objects.exclude(state=ProgrammeState.DRAFT), pk=programme)
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in exports.DISCLOSURE_FORMATS:
        raise Http404
    if not exporting.fits_the_request(exports.public_awards().filter(programme=programme)):
        messages.info(request, f"该项目立项超过 {exports.disclosure_cap()} 条，不提供下载，请在本页分页查阅。")
        return redirect(f"{reverse('funding:disclosure')}?programme={programme.pk}")
    return exports.disclosure_response(programme, fmt)


@login_not_required
@require_GET
def guidance_public(request):
    lists = (GuidanceList.objects.filter(published_on__isnull=False).select_related("division")
             .prefetch_related("items").order_by("division_id", "-year", "kind"))
    division = (request.GET.get("division") or "").strip()
    if division.isdigit() and len(division) == 12:
        lists = lists.filter(division_id=division)
    return render(request, "funding/guidance_public.html", {"lists": lists[:200]})


# --- staff: programmes ------------------------------------------------------------------------------
@require_GET
def programmes(request):
    require(request.user, "funding.view")
    qs = (Programme.objects.visible_to(request.user).select_related("division")
          .annotate(n_apps=Count("applications", distinct=True), committed=Sum("awards__amount"))
          .order_by("-year", "-opens_on", "-pk"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "funding/programmes.html", {
        "page_obj": page, "may_create": can(request.user, "funding.manage", _here(request.user)),
        "breadcrumbs": _crumbs(("资金扶持项目", ""))})


@require_http_methods(["GET", "POST"])
def programme_new(request):
    require(request.user, "funding.manage", _here(request.user))
    if request.user.division_id is None:
        raise PermissionDenied("资金扶持项目由区划内的资助方设立。")
    form = ProgrammeForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        programme = form.save(commit=False)
        programme.division_id = request.user.division_id
        programme.created_by = request.user
        programme.save()
        form.save_m2m()
        messages.success(request, "已保存项目草稿。")
        return redirect("funding:programme", programme=programme.pk)
    return render(request, "funding/programme_form.html", {"form": form, "breadcrumbs": _crumbs(
        ("资金扶持项目", reverse("funding:programmes")), ("设立项目", ""))})


@require_http_methods(["GET", "POST"])
def programme_edit(request, programme):
    programme = _programme(request, programme, "funding.manage")
    if programme.state not in (ProgrammeState.DRAFT, ProgrammeState.OPEN):
        raise PermissionDenied("征集结束的项目不能修改。")
    form = ProgrammeForm(request.POST or None, instance=programme)
    used = services.committed(programme)
    if request.method == "POST" and form.is_valid() and form.cleaned_data["budget"] < used:
        form.add_error("budget", f"预算不能低于已立项金额{used}元。")
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "已保存。")
        return redirect("funding:programme", programme=programme.pk)
    return render(request, "funding/programme_form.html", {"form": form, "programme": programme})


@require_GET
def programme_detail(request, programme):
    programme = _programme(request, programme)
    apps = services.ranking(programme, programme.applications.select_related("organization", "award")
                            .prefetch_related("scores").order_by("pk"))
    committed = services.committed(programme)
    return render(request, "funding/programme_detail.html", {
        "programme": programme, "applications": apps, "committed": committed,
        "remaining": programme.budget - committed, "reviewers": programme.reviewers.all(),
        "bonus": rules.priority_bonus(programme),
        "priority_grade": programme.min_grade or rules.rules_for(programme.division_id)["priority_grade"],
        "may_manage": can(request.user, "funding.manage", programme),
        "reviewer_form": ReviewerForm(),
        "breadcrumbs": _crumbs(("资金扶持项目", reverse("funding:programmes")), (programme.title, ""))})


@require_POST
def programme_move(request, programme, move):
    programme = _programme(request, programme, "funding.manage")
    try:
        if move == "publish":
            services.publish(programme, request.user)
        elif move == "close":
            services.close(programme, request.user)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("funding:programme", programme=programme.pk)


@require_POST
def reviewer_add(request, programme):
    programme = _programme(request, programme, "funding.manage")
    form = ReviewerForm(request.POST)
    if form.is_valid():
        user = get_user_model().objects.visible_to(request.user).filter(
            username=form.cleaned_data["username"], is_active=True).first()
        if user is None:
            messages.error(request, "本辖区内没有这个账号。")
        else:
            try:
                services.add_reviewer(programme, user, request.user)
                messages.success(request, f"已选派评审人员 {user.full_name or user.username}。")
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
    return redirect("funding:programme", programme=programme.pk)


# --- organizations: applying --------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def apply(request, programme):
    require(request.user, "funding.apply")
    programme = get_object_or_404(Programme.objects.filter(state=ProgrammeState.OPEN).select_related("division"),
                                  pk=programme)
    org = get_object_or_404(Organization.objects.filter(linked_q(request.user)),
                            uid=request.GET.get("org") or request.POST.get("org"))
    require(request.user, "funding.apply", org)
    reasons, _ = rules.eligibility(programme, org, timezone.localdate())
    form = ApplyForm(request.POST or None, request.FILES or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.apply(programme, org, request.user, title=data["title"], plan=data["plan"],
                                         requested=data["requested"], lines=data["budget"],
                                         files=request.FILES.getlist("files"))
        except services.Ineligible as exc:
            refused = exc.reasons
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已提交申报，资格审查通过。")
            return redirect("funding:application", application=application.pk)
    status = 200 if refused is None else 422
    return render(request, "funding/apply.html", {
        "programme": programme, "org": org, "form": form, "reasons": reasons, "refused": refused,
        "eligible": rules.is_eligible(reasons),
        "breadcrumbs": _crumbs(("资金扶持项目征集", reverse("funding:calls")), (programme.title, ""))}, status=status)


@require_GET
def mine(request):
    require(request.user, "funding.apply")
    apps = (Application.objects.visible_to(request.user).select_related("programme", "organization", "award")
            .order_by("-submitted_at"))
    return render(request, "funding/mine.html", {"applications": apps, "breadcrumbs": _crumbs(("我的资金申报", ""))})


@require_GET
def reviews(request):
    """The applications the account was chosen to review."""
    require(request.user, "funding.review")
    apps = (Application.objects.filter(programme__reviewers=request.user, state=ApplicationState.SUBMITTED)
            .select_related("programme", "organization").order_by("programme", "pk"))
    return render(request, "funding/reviews.html", {"applications": apps, "breadcrumbs": _crumbs(("项目评审", ""))})


def _application_or_review(request, pk) -> Application:
    """Staff of the subtree, the applicant, or a reviewer chosen for the programme (wherever it is)."""
    try:
        return _application(request, pk)
    except Http404:
        app = get_object_or_404(Application.objects.select_related("programme__division", "organization"),
                                pk=pk, programme__reviewers=request.user)
        return app


@require_GET
def application_detail(request, application):
    app = _application_or_review(request, application)
    user = request.user
    allowed = {a for a in ("funding.view", "funding.apply", "funding.review", "funding.decide")
               if can(user, a, app.programme if a == "funding.view" else (app.organization if a == "funding.apply"
                                                                          else app))}
    if not allowed:
        raise PermissionDenied("您的账号无权查看该申报。")
    conflicted = app.conflicts.filter(reviewer=user).exists()
    own_score = app.scores.filter(reviewer=user).first()
    award = getattr(app, "award", None)
    committed = services.committed(app.programme)
    bonus = rules.priority_bonus(app.programme) if app.priority else 0
    return render(request, "funding/application.html", {
        "bonus": bonus, "ranking_score": rules.ranking_score(app.average_score, app.priority, bonus or 0),
        "app": app, "award": award, "scores": app.scores.select_related("reviewer"),
        "conflicts": app.conflicts.select_related("reviewer"), "decisions": app.decisions.select_related("by"),
        "lines": app.budget_lines.all(), "attachments": app.attachments.all(),
        "may_review": "funding.review" in allowed and app.state == ApplicationState.SUBMITTED,
        "conflicted": conflicted, "own_score": own_score,
        "may_decide": "funding.decide" in allowed and app.state == ApplicationState.SUBMITTED,
        "remaining": app.programme.budget - committed,
        "score_form": ScoreForm(initial={"points": own_score.points if own_score else None}, auto_id="score_%s"),
        "conflict_form": ConflictForm(auto_id="conflict_%s"),
        "award_form": AwardForm(initial={"amount": app.requested}, auto_id="award_%s"),
        "reject_form": RejectForm(auto_id="reject_%s"),
        # reviewers and the deciding body weigh the applicant's published inspection results (issue 11)
        "inspection_results": list(published_results(app.organization)[:10])
        if allowed & {"funding.review", "funding.decide"} else None,
        "breadcrumbs": _crumbs(("资金扶持项目", reverse("funding:programmes") if "funding.view" in allowed
                           else reverse("funding:mine")), (app.title, ""))})


@require_GET
def attachment(request, application, attachment):
    """A file of the application: the application is found among those the account sees (or reviews), the file
    among the application's own."""
    app = _application_or_review(request, application)
    if not (can(request.user, "funding.view", app.programme) or can(request.user, "funding.apply", app.organization)
            or can(request.user, "funding.review", app)):
        raise PermissionDenied
    att = get_object_or_404(app.attachments.all(), pk=attachment)
    return attachments.response(att, "找不到该附件。")


@require_POST
def application_score(request, application):
    app = _application_or_review(request, application)
    require(request.user, "funding.review", app)
    form = ScoreForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("；".join(e for errs in form.errors.values() for e in errs))
        services.score(app, request.user, form.cleaned_data["points"], form.cleaned_data["comment"])
        messages.success(request, "已评分。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("funding:application", application=app.pk)
    return redirect("funding:application", application=app.pk)


@require_POST
def application_conflict(request, application):
    app = _application_or_review(request, application)
    require(request.user, "funding.review", app)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.declare_conflict(app, request.user, form.cleaned_data["reason"])
            messages.success(request, "已申报回避，您不能为该申报评分。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return redirect("funding:application", application=app.pk)


@require_POST
def application_decide(request, application, decision):
    app = _application(request, application)
    require(request.user, "funding.decide", app)
    form = (AwardForm if decision == "award" else RejectForm)(request.POST)
    if decision not in ("award", "reject"):
        raise Http404
    try:
        if not form.is_valid():
            raise ValidationError("；".join(e for errs in form.errors.values() for e in errs))
        if decision == "award":
            services.award(app, form.cleaned_data["amount"], request.user, form.cleaned_data["reason"])
            messages.success(request, "已立项。")
        else:
            services.reject(app, request.user, form.cleaned_data["reason"])
            messages.success(request, "已决定不予立项。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("funding:application", application=app.pk)
    return redirect("funding:application", application=app.pk)


# --- awards: contract, instalments, evaluation, archive ----------------------------------------------
@require_GET
def award_detail(request, award):
    award = _award(request, award)
    contract = getattr(award, "contract", None)
    custodians = _custodians(award)
    return render(request, "funding/award.html", {
        "award": award, "contract": contract, "disbursements": award.disbursements.all(),
        "evaluations": award.evaluations.all(), "decisions": award.application.decisions.select_related("by"),
        "contract_form": ContractForm(initial={"signed_on": timezone.localdate()}, custodians=custodians),
        "no_centre": services.NO_CENTRE if custodians is not None and not custodians.exists() else "",
        "disburse_form": DisburseForm(initial={"paid_on": timezone.localdate()}),
        "evaluation_form": EvaluationForm(initial={"evaluated_on": timezone.localdate()}),
        "needs_custodian": custodians is not None,
        "breadcrumbs": _crumbs(("资金扶持项目", reverse("funding:programmes")),
                          (award.programme.title, reverse("funding:programme", args=[award.programme_id])),
                          (award.organization.name, ""))})


def _custodians(award):
    """The eligible custodians of a filed group's street, or None when the organization signs itself."""
    if award.organization.track == Track.REGISTERED:
        return None
    return services.eligible_custodians(award.organization)


@require_POST
def award_move(request, award, move):
    award = _award(request, award)
    forms_by_move = {"contract": ContractForm, "disburse": DisburseForm, "evaluate": EvaluationForm}
    try:
        if move == "archive":
            services.archive(award, request.user, request.POST.get("reason", ""))
        elif move in forms_by_move:
            extra = {"custodians": _custodians(award)} if move == "contract" else {}
            form = forms_by_move[move](request.POST, **extra)
            if not form.is_valid():
                raise ValidationError([f"{form.fields[n].label if n in form.fields else ''}：{e}"
                                       for n, errs in form.errors.items() for e in errs])
            data = form.cleaned_data
            if move == "contract":
                services.sign(award, request.user, number=data["number"], signed_on=data["signed_on"],
                              instalments=data["instalments"], custodian=data.get("custodian"))
            elif move == "disburse":
                services.disburse(award, request.user, amount=data["amount"], paid_on=data["paid_on"],
                                  note=data["note"])
            else:
                services.evaluate(award, request.user, **data)
        else:
            raise Http404
        messages.success(request, "已记录。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("funding:award", award=award.pk)


# --- guidance lists ----------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def guidance_manage(request):
    require(request.user, "funding.manage", _here(request.user))
    lists = GuidanceList.objects.filter(division_id=request.user.division_id).prefetch_related("items")
    form = GuidanceListForm(request.POST or None, initial={"year": timezone.localdate().year,
                                                          "kind": GuidanceKind.DIRECTORY})
    if request.method == "POST" and form.is_valid():
        guidance = form.save(commit=False)
        guidance.division_id = request.user.division_id
        guidance.updated_by = request.user
        guidance.save()
        for n, line in enumerate(form.cleaned_data["items"].splitlines()):
            name, _, description = line.strip().partition("｜")
            if name.strip():
                GuidanceItem.objects.create(guidance=guidance, name=name.strip()[:200],
                                            description=description.strip()[:500], order=n)
        messages.success(request, "已保存（尚未发布）。")
        return redirect("funding:guidance_manage")
    return render(request, "funding/guidance_manage.html", {"lists": lists, "form": form,
                                                            "breadcrumbs": _crumbs(("指导目录和项目清单", ""))})


@require_POST
def guidance_publish(request, guidance):
    guidance = get_object_or_404(GuidanceList.objects.visible_to(request.user), pk=guidance)
    require(request.user, "funding.manage", guidance)
    guidance.published_on = None if guidance.published_on else timezone.localdate()
    guidance.updated_by = request.user
    guidance.save(update_fields=["published_on", "updated_by"])
    messages.success(request, "已发布。" if guidance.published_on else "已撤回发布。")
    return redirect("funding:guidance_manage")


# --- qualifications (seed 002) -------------------------------------------------------------------------
@require_POST
def qualification_add(request, uid):
    org = get_object_or_404(Organization.objects.visible_to(request.user), uid=uid)
    require(request.user, "funding.qualifications", org)
    form = QualificationForm(request.POST)
    if form.is_valid():
        q = form.save(commit=False)
        q.organization = org
        q.recorded_by = request.user
        q.save()
        messages.success(request, f"已记录{q.get_kind_display()}。")
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("orgs:detail", org.uid)


@require_POST
def qualification_delete(request, qualification):
    q = get_object_or_404(Qualification.objects.visible_to(request.user).select_related("organization"),
                          pk=qualification)
    require(request.user, "funding.qualifications", q.organization)
    q.delete()
    messages.success(request, "已删除。")
    return redirect("orgs:detail", q.organization.uid)


# --- money views -------------------------------------------------------------------------------------------
def _money_division(request):

    code = (request.GET.get("division") or request.user.division_id or "").strip()
    if not code:
        return None
    return get_object_or_404(Division.objects.visible_to(request.user), code=code)


def _money_year(request) -> int:
    value = request.GET.get("year") or ""
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


def _asked(request, action: str):
    """The division (checked against ``action`` as well) and the year a money page or export is asked for."""
    require(request.user, action)
    division, year = _money_division(request), _money_year(request)
    if division is not None:
        require(request.user, action, division)
    return division, year


@require_GET
def money_view(request):
    from . import money

    division, year = _asked(request, "funding.money")
    data = money.summary(request.user, division, year)
    names = dict(Division.objects.filter(code__in=[c["code"] for c in data["children"]]).values_list("code", "name"))
    for child in data["children"]:
        child["name"] = names.get(child["code"], child["code"])
    return render(request, "funding/money.html", {"data": data, "division": division, "year": year,
                                                  "breadcrumbs": _crumbs(("资金情况", ""))})


def _export(request, export):
    """Answer a small export at once; a large one is written by the worker, whose page offers the file."""
    if not export.allowed():
        raise PermissionDenied("您的账号无权导出这些资金扶持数据。")
    return exporting.now_or_submit(export.source(), lambda: exports.response(export),
                                   lambda: exports.submit(export, back_url=request.get_full_path()))


@require_GET
def money_export(request):
    """The money view as CSV (by kind, total, shares, the divisions one level down)."""
    from . import exports

    division, year = _asked(request, "funding.money")
    return _export(request, exports.Export.from_params(
        request.user, "money", {"division": division.code if division else "", "year": year}))


@require_GET
def awards_export(request):
    """Every award of the account's subtree in a year, one row each (filters: kind, division)."""
    from . import exports

    division, year = _asked(request, "funding.awards")
    return _export(request, exports.Export.from_params(request.user, "awards", {
        "division": division.code if division else "", "year": year, "kind": request.GET.get("kind", "")}))


@require_GET
def applications_export(request, programme):
    """The applications of a programme in ranking order."""
    from . import exports

    programme = _programme(request, programme)
    return _export(request, exports.Export.from_params(request.user, "applications", {"programme": programme.pk}))
