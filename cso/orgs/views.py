"""Pages of the organization registry: list, detail, create, edit, status change, registration of
a filed group, and export.

Every view starts from ``Organization.objects.visible_to(user, action)``; an organization outside
it is a 404. Every write goes through ``cso.orgs.services`` so that history and spans stay right.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cso.accounts.responsibilities import can, permitted, require
from cso.core import exporting
from cso.core.navigation import sections_for
from cso.core.scoping import VIEW, Scope
from cso.regions import codes
from cso.regions.models import Authority, Division

from . import exports, privacy, queries, services
from .filters import OrganizationFilter
from .forms import (
    CorrectionForm,
    GuidanceForm,
    LeaderFormSet,
    OrganizationForm,
    RegisterForm,
    StatusForm,
    apply_errors,
    leader_initial,
)
from .history import timeline
from .models import Category, Guidance, HubMembership, Leader, Organization, StatusChange
from .tables import OrganizationTable, status_badge

LIST_TITLE = "社会组织"
TIMELINE_RECORDS = 30  # the detail page shows the newest 30 history records; ?history=all shows every one


def _crumbs(*tail) -> list[dict]:
    return [{"label": LIST_TITLE, "url": reverse("orgs:list")}, *({"label": t, "url": None} for t in tail)]


def _org_crumbs(org, *tail) -> list[dict]:
    crumbs = _crumbs()
    crumbs.append({"label": org.name, "url": reverse("orgs:detail", args=[org.uid]) if tail else None})
    crumbs.extend({"label": t, "url": None} for t in tail)
    return crumbs


# Actions offered on an organization's page, each a button only for those the table allows.
ORG_PAGE_ACTIONS = ("orgs.change", "orgs.set_status", "orgs.deregister", "orgs.revoke", "orgs.clear", "orgs.correct",
                    "orgs.advise", "accounts.link", "orgs.categorise", "accounts.invite")


def _get_org(request, uid: str, action: str | None = None) -> Organization:
    """The organization (outside the account's reach: 404), and the account may do ``action`` to it (else 403)."""
    qs = Organization.objects.visible_to(request.user, VIEW)
    org = get_object_or_404(qs.select_related("division__parent"), uid=uid)
    require(request.user, "orgs.view", org)
    if action:
        require(request.user, action, org)
    return org


def can_create(user) -> bool:
    return can(user, "orgs.register") or can(user, "orgs.file")


def filtered(request) -> tuple[OrganizationFilter, object]:
    """The FilterSet over the user's organizations and its queryset (nothing when the input is invalid)."""
    filterset = OrganizationFilter(request.GET or None, queryset=Organization.objects.visible_to(request.user),
                                   request=request)
    if filterset.is_bound and not filterset.form.is_valid():
        return filterset, Organization.objects.none()
    return filterset, filterset.qs


def list_rows_queryset():
    return Organization.objects.select_related("division__parent").prefetch_related(
        Prefetch("categories", queryset=Category.objects.only("id", "name", "order", "bit"))
    )


def _active_filters(filterset) -> int:
    """How many filters (besides the search box and the sort order) the list is narrowed by."""
    if not filterset.is_bound:
        return 0
    return sum(1 for name in filterset.filters if name not in ("q", "sort") and filterset.data.get(name))


def _search_term(request, filterset) -> tuple[str, bool]:
    """The search term, and whether it is too short to search the whole country (see queries)."""
    if not filterset.is_bound or not filterset.form.is_valid():
        return "", False
    data = filterset.form.cleaned_data
    term = (data.get("q") or "").strip()
    national = Scope.for_user(request.user).is_national
    return term, queries.search_needs_scope(term, national=national, division=data.get("division"))


@require_GET
def org_list(request):
    require(request.user, "orgs.view")
    filterset, qs = filtered(request)
    imported = None
    if request.GET.get("import"):
        # the list right after an import: an import the user cannot see is not found
        imported = filterset.import_job
        if imported is None:
            raise Http404("导入任务不存在或不在您的管辖范围内。")
    sort = filterset.sort_order
    term, needs_scope = _search_term(request, filterset)
    if needs_scope:
        qs = qs.none()
    page = queries.paginate(
        qs, sort=sort, page=request.GET.get("page"), after=request.GET.get("after"),
        before=request.GET.get("before"), rows_queryset=list_rows_queryset(), probe_order=bool(term),
    )
    context = {
        "filter": filterset,
        "table": OrganizationTable(page.rows),
        "page": page,
        "breadcrumbs": _crumbs(),
        "can_create": can_create(request.user),
        "active_filters": _active_filters(filterset),
        "count_cap": queries.COUNT_CAP,
        "search_notice": queries.NATIONAL_TERM_NOTICE if needs_scope else None,
        "as_of": filterset.as_of_date if filterset.is_bound else None,
        "imported": imported,
    }
    template = "orgs/includes/results.html" if request.htmx and request.htmx.target == "org-results" else \
        "orgs/list.html"
    return render(request, template, context)


@require_GET
def export(request):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404("不支持的导出格式。")
    require(request.user, "orgs.export")
    filterset, qs = filtered(request)
    qs = queries.order(qs, filterset.sort_order)
    reveal_ids = exports.reveals_ids(request.user, qs)
    phones_of = privacy.phones_shown(request.user)
    params = request.GET.copy()
    params.pop("format", None)
    write = exports.csv_response if fmt == "csv" else exports.xlsx_response
    return exporting.now_or_submit(
        qs, lambda: write(qs, reveal_ids, phones_of),
        lambda: exports.submit(request.user, params, fmt, back_url=f"{reverse('orgs:list')}?{params.urlencode()}"))


@require_GET
def detail(request, uid):
    from .views_categorise import own_applications

    org = _get_org(request, uid)
    user = request.user
    allowed = permitted(user, ORG_PAGE_ACTIONS, org)
    can_change = "orgs.change" in allowed
    leaders = list(org.leaders.all())
    for leader in leaders:
        leader.organization = org
        leader.shown_id_number = leader.id_number if can_change else leader.masked_id_number
    visible = Organization.objects.visible_to(user)
    from . import hubs as hub_services

    # a hub's own account sees all its members (and a member's account all its hubs), staff those they may see
    own = org.pk in hub_services.linked_org_ids(user)
    members = list(
        HubMembership.objects.filter(hub=org).filter(**({} if own else {"member__in": visible}))
        .select_related("member").order_by("left_on", "joined_on", "id")
    )
    hubs = list(HubMembership.objects.filter(member=org).filter(**({} if own else {"hub__in": visible}))
                .select_related("hub").order_by("-joined_on"))
    changes, more_changes = timeline(org, None if request.GET.get("history") == "all" else TIMELINE_RECORDS)
    if privacy.hides_phones(user, org):  # reached through a base or a hub: no phones
        changes = privacy.mask_page(org, leaders, changes)
    sharing = []
    if org.venue_id:
        sharing = list(visible.filter(venue_id=org.venue_id).exclude(pk=org.pk).only("uid", "name")[:20])
    context = {
        "org": org,
        "breadcrumbs": _org_crumbs(org),
        "can_change": can_change,
        "allowed": allowed,
        "statuses": services.allowed_statuses(user, org),
        "correctable": services.correctable_change(org) if "orgs.correct" in allowed else None,
        "can_register": org.track == "filed" and org.is_live and can(user, "orgs.register"),
        "guidance": list(Guidance.objects.filter(organization=org).select_related("author", "author_division")[:20]),
        "guidance_form": GuidanceForm() if "orgs.advise" in allowed else None,
        "status_badge": status_badge(org.status, org.get_status_display()),
        "categories": list(org.categories.all()),
        "targets": list(org.service_targets.all()),
        "leaders": leaders,
        "members": members,
        "current_members": [m for m in members if m.left_on is None],
        "past_members": [m for m in members if m.left_on is not None],
        "hubs": hubs,
        "hub_events": hub_services.events(org) if (members or hubs or org.is_federation) else [],
        "can_invite": org.is_live and org.is_federation and can(user, "orgs.invite_member", org),
        "venue": org.venue,
        "sharing": sharing,
        "base": org.incubated_by,
        "can_link_base": org.incubated_by_id is not None and can(user, "accounts.link", org.incubated_by),
        "status_changes": list(StatusChange.objects.filter(organization=org).select_related("recorded_by")
                               .order_by("-effective_date", "-id")),
        "changes": list(reversed(changes)),
        "more_changes": more_changes,
        "timeline_records": TIMELINE_RECORDS,
        "spans": list(org.spans.order_by("-valid_from").select_related("division")),
        "is_filed": org.track == "filed",
        "is_live": org.is_live,
        "registration_authority_division": org.registration_authority_division,
        "credit_code_warning": org.credit_code_warning(),
        "own_applications": own_applications(user, org),
        "sections": sections_for("orgs.detail", request, org),
    }
    return render(request, "orgs/detail.html", context)


def _warn_credit_code(request, org) -> None:
    """Saved, but the credit code's region code is not the registering body's: say so."""
    warning = org.credit_code_warning()
    if warning:
        messages.warning(request, warning)


class _Rollback(Exception):
    """Undo a checked write (the leaders' forms were invalid)."""


def _save_leaders(org, formset, user) -> None:
    existing = {leader.pk: leader for leader in org.leaders.all()}
    order = 0
    for form in formset.forms:
        if not form.has_changed() and not form.cleaned_data.get("leader_id"):
            continue
        leader_id = form.cleaned_data.get("leader_id")
        leader = existing.get(leader_id) if leader_id else None
        if leader_id and leader is None:
            raise PermissionDenied("该负责人不属于此组织。")
        if form.cleaned_data.get("DELETE") or form.is_blank:
            if leader is not None:
                leader._history_user = user
                leader.delete()
            continue
        try:
            services.save_leader(org, {**form.leader_data(), "order": order}, user, leader=leader)
        except ValidationError as exc:
            apply_errors(form, exc)
            raise _Rollback from exc
        order += 1


def _require_may_create(user, data) -> None:
    """Before the form: the account registers or files what is posted (the table), inside its subtree — so that a
    refused registration is a 403 whatever else the form would say."""
    from cso.regions.models import Authority

    track = data.get("track")
    code = (data.get("division") or "").strip()
    if track not in ("registered", "filed") or not (code.isdigit() and len(code) == 12):
        return  # the form names what is missing; the service checks again
    if not Scope.for_user(user).contains(code):
        raise PermissionDenied("该区划不在您的管辖范围内。")
    authority_division = None
    if track == "registered":
        body_id = data.get("registration_authority")
        body = Authority.objects.filter(pk=body_id).first() if str(body_id or "").isdigit() else None
        if body is None:
            return
        authority_division = body.division_id
    elif not Division.objects.filter(code=code).exists():
        return
    require(user, services.creation_action(track),
            services.prospect(division=code, track=track, tier=data.get("tier") or None,
                              authority_division=authority_division))


@require_http_methods(["GET", "POST"])
def create(request):
    if not can_create(request.user):
        raise PermissionDenied("您没有登记或备案社会组织的权限。")
    user = request.user
    if request.method == "POST":
        _require_may_create(user, request.POST)
        form = OrganizationForm(request.POST, user=user)
        formset = LeaderFormSet(request.POST, prefix="leaders")
        leaders_ok = formset.is_valid()
        if form.is_valid():
            try:
                with transaction.atomic():
                    org = services.create_organization({**form.service_data(), "leaders": []}, user)
                    if not leaders_ok:
                        raise _Rollback  # the organization's own rules were still checked and shown
                    _save_leaders(org, formset, user)
            except _Rollback:
                pass
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已{'登记' if org.track == 'registered' else '备案'}“{org.name}”。")
                _warn_credit_code(request, org)
                return redirect("orgs:detail", uid=org.uid)
    else:
        initial = {}
        if user.division_id and user.division.level == codes.COMMUNITY:
            initial["division"] = user.division_id
        form = OrganizationForm(user=user, initial=initial)
        formset = LeaderFormSet(prefix="leaders")
    return render(request, "orgs/form.html", {
        "form": form, "formset": formset, "org": None, "breadcrumbs": _crumbs("新增社会组织"),
    })


@require_http_methods(["GET", "POST"])
def edit(request, uid):
    org = _get_org(request, uid, "orgs.change")
    user = request.user
    if request.method == "POST":
        form = OrganizationForm(request.POST, user=user, instance=org)
        formset = LeaderFormSet(request.POST, prefix="leaders")
        leaders_ok = formset.is_valid()
        if form.is_valid():
            try:
                with transaction.atomic():
                    changes = form.changes()
                    if changes:
                        services.update_organization(
                            org, changes, user, effective_date=form.cleaned_data.get("effective_date"),
                            reason=form.cleaned_data.get("reason") or "",
                        )
                    if not leaders_ok:
                        raise _Rollback
                    _save_leaders(org, formset, user)
            except _Rollback:
                pass
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已保存“{org.name}”的修改。")
                _warn_credit_code(request, org)
                return redirect("orgs:detail", uid=org.uid)
    else:
        form = OrganizationForm(user=user, instance=org)
        formset = LeaderFormSet(prefix="leaders", initial=leader_initial(org))
    return render(request, "orgs/form.html", {
        "form": form, "formset": formset, "org": org, "breadcrumbs": _org_crumbs(org, "修改信息"),
    })


@require_http_methods(["GET", "POST"])
def change_status(request, uid):
    org = _get_org(request, uid)
    allowed = services.allowed_statuses(request.user, org)
    if request.method == "POST":
        wanted = request.POST.get("to_status")
        if wanted in services.STATUS_ACTIONS:
            require(request.user, services.STATUS_ACTIONS[wanted], org)
        elif not allowed:
            raise PermissionDenied("您的账号无权变更该组织的状态。")
        form = StatusForm(request.POST, org=org, allowed=allowed)
        if form.is_valid():
            try:
                services.change_status(org, form.cleaned_data["to_status"], form.cleaned_data["effective_date"],
                                       form.cleaned_data["reason"], request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                org.refresh_from_db()
                messages.success(request, f"“{org.name}”的状态已变更为“{org.get_status_display()}”。")
                return redirect("orgs:detail", uid=org.uid)
    else:
        if not allowed:
            raise PermissionDenied("您的账号无权变更该组织的状态。")
        form = StatusForm(org=org, allowed=allowed)
    return render(request, "orgs/status.html", {
        "form": form, "org": org, "breadcrumbs": _org_crumbs(org, "状态变更"),
        "status_badge": status_badge(org.status, org.get_status_display()),
    })


@require_http_methods(["GET", "POST"])
def register(request, uid):
    org = _get_org(request, uid)
    require(request.user, "orgs.register")
    if request.method == "POST":
        form = RegisterForm(request.POST, org=org)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.register_filed_group(
                    org, data["credit_code"], data["registered_on"], request.user, org_type=data["org_type"],
                    registration_authority=data["registration_authority"],
                    registered_capital=data["registered_capital"], reason=data["reason"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"“{org.name}”已由备案转为依法登记。")
                _warn_credit_code(request, Organization.objects.get(pk=org.pk))
                return redirect("orgs:detail", uid=org.uid)
    else:
        county = next((d for d in org.division.ancestors() if d.level == codes.COUNTY), None)
        body = Authority.objects.active().filter(division=county, registers=True).first() if county else None
        form = RegisterForm(org=org, initial={"registration_authority": body.pk if body else None})
    return render(request, "orgs/register.html", {
        "form": form, "org": org, "breadcrumbs": _org_crumbs(org, "登记转换"),
    })


@require_http_methods(["GET", "POST"])
def correct(request, uid):
    """更正: the deciding body undoes a wrong status change; the wrong step stays in the history."""
    org = _get_org(request, uid, "orgs.correct")
    change = services.correctable_change(org)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and change is not None and form.is_valid():
        try:
            services.correct_status(org, change, form.cleaned_data["reason"], request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            org.refresh_from_db()
            messages.success(request, f"已更正：“{org.name}”恢复为“{org.get_status_display()}”，"
                                      "原记录保留在状态变更中。")
            return redirect("orgs:detail", uid=org.uid)
    return render(request, "orgs/correct.html", {
        "form": form, "org": org, "change": change, "breadcrumbs": _org_crumbs(org, "更正"),
    })


@require_http_methods(["POST"])
def advise(request, uid):
    """The street, the community or the supervising bureau records guidance (seed 001: 双重负责)."""
    org = _get_org(request, uid, "orgs.advise")
    form = GuidanceForm(request.POST)
    if form.is_valid():
        services.add_guidance(org, form.cleaned_data["text"], request.user)
        messages.success(request, "已记录指导意见。")
    else:
        messages.error(request, "请填写指导意见。")
    return redirect("orgs:detail", uid=org.uid)


__all__ = ["Leader"]
