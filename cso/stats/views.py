"""Pages of the statistics app: the indicator table, the community list and the targets page.

Every page starts from the engine (``cso.stats.indicators``) with the signed-in user, so the one
scoping mechanism applies: a division outside the user's subtree is a 404.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cso.core import exporting
from cso.core.scoping import Scope, subtree_q
from cso.regions import codes
from cso.regions.models import Division

from . import exports, rollups, services
from . import targets as targets_mod
from .choices import TARGET_UNITS, BaseLevels, TargetKey, UrbanRule
from .forms import BaseLevelsForm, CommunityFilterForm, PeriodForm, TargetForm, UrbanRuleForm, clean_division_code
from .indicators import (
    GROUPS,
    INDICATORS,
    CommunityList,
    bases_queryset,
    change_spans,
    compute_cached,
    drill_url,
    resolve_parent,
)
from .models import ProvinceSetting, RollUp, Target
from .targets import NATIONAL_NAME, effective_targets, rule_for_prefix

PAGE_SIZE = 50

# Column sets of the indicator table (the export has them all).
VIEWS = {
    "summary": ("概要", ["communities", "population", "orgs_live", "orgs_registered", "orgs_filed", "cso_live",
                         "new_in_period", "deregistered_in_period", "cleared_in_period", "per_10k", "avg_urban",
                         "avg_rural", "communities_at_target", "communities_at_target_share", "incubation_bases",
                         "incubation_bases_street", "incubation_bases_community", "facility_share",
                         "party_coverage"]),
    "communities": ("社区与目标", ["communities", "communities_urban", "communities_rural", "population", "households",
                                   "cso_urban", "cso_rural", "avg_urban", "avg_rural", "communities_at_target",
                                   "communities_at_target_share", "facility_ok", "facility_share"]),
    "structure": ("层级与状态", ["orgs_live", "tier_registered", "tier_street", "tier_community", "status_active",
                                 "status_abnormal", "status_suspended", "status_deregistered", "status_revoked",
                                 "status_cleared", "orgs_incubated", "orgs_hub", "party_covered",
                                 "party_coverage"]),
    "category": ("类别构成", None),
    "service": ("服务对象构成", None),
}


def default_code(user) -> str:
    division = getattr(user, "division", None)
    if user.is_superuser and division is None:
        return ""
    return division.code if division else ""


def breadcrumbs(user, parent: Division | None, url_name: str, extra: str = "") -> list[dict]:
    """From the top of the user's reach down to ``parent``, each a link to the same page."""
    base = reverse(url_name)
    scope = Scope.for_user(user)
    crumbs = []
    if scope.is_national:
        crumbs.append({"label": NATIONAL_NAME, "url": f"{base}?division={'0' * codes.CODE_LENGTH}{extra}"})
    if parent is not None:
        chain = [*parent.ancestors(), parent]
        for division in chain:
            if scope.contains(division.code):
                crumbs.append({"label": division.name, "url": f"{base}?division={division.code}{extra}"})
    return crumbs


def _period_form(request, form_class=PeriodForm):
    """The form, the division code ("" = national), the day and the period start of a request.
    No ``division`` (or an empty one) means the user's own division; ``000000000000`` is national."""
    form = form_class(request.GET or None)
    if form.is_bound:
        form.is_valid()  # errors are shown; invalid parts fall back to their defaults
    raw = (request.GET.get("division") or "").strip()
    if not raw:
        code = default_code(request.user)
    else:
        try:
            code = clean_division_code(raw)
        except ValidationError as exc:
            raise Http404("区划代码无效。") from exc
    day, period_start = form.period()
    return form, code, day, period_start


def _cell(result, row, key, day, period_start):
    indicator = INDICATORS.get(key) or next(i for i in result.dynamic if i.key == key)
    value = row.values.get(key)
    gap = row.gap(key)
    target = row.targets.get(indicator.target_key) if indicator.target_key else None
    return {
        "key": key,
        "value": value,
        "unit": indicator.unit,
        "is_ratio": indicator.kind == "ratio",
        # the direct row has no list of its own: the registry filters a division with its subtree
        "url": drill_url(key, row.code, day, period_start, direct=row.is_direct) if value is not None else None,
        "target": target,
        "gap": gap,
        "below": gap is not None and gap > 0,
    }


def _columns(result, view: str) -> list:
    if view == "category":
        return [i for i in result.dynamic if i.group == "category"]
    if view == "service":
        return [i for i in result.dynamic if i.group == "service"]
    return [INDICATORS[k] for k in VIEWS[view][1]]


def rollup_pending(request, pending: rollups.RollUpPending, title: str):
    """The page shown while a national or provincial roll-up is computed by the worker: it polls
    ``rollup_status`` and reloads itself when the result is there."""
    rollup = pending.rollup
    parent = resolve_parent(rollup.parent_code, request.user)
    return render(request, "stats/rollup_pending.html", {
        "rollup": rollup, "title": title, "name": parent.name if parent else "全国",
        "breadcrumbs": [{"label": title, "url": None}],
    })


@require_http_methods(["GET"])
def rollup_status(request, rollup: int):
    """The poll of the "being computed" notice: HX-Refresh once the roll-up is there. A roll-up of
    a division outside the user's scope is a 404, as the division itself."""
    row = get_object_or_404(RollUp, pk=rollup)
    resolve_parent(row.parent_code, request.user)
    if rollups.ready(row):
        response = HttpResponse('<p class="mb-0">汇总完成。</p>')
        response["HX-Refresh"] = "true"
        return response
    return HttpResponse(status=204)  # not yet: htmx keeps the notice and polls again


@require_http_methods(["GET"])
def indicators(request):
    form, code, day, period_start = _period_form(request)
    try:
        result, computed_at = compute_cached(code, day, period_start=period_start, user=request.user)
    except rollups.RollUpPending as pending:
        return rollup_pending(request, pending, "统计指标")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return exports.indicators_response(result, fmt)
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "summary"
    columns = _columns(result, view)
    scope = Scope.for_user(request.user)

    def row_of(row, is_total=False):
        child_url = None
        if not row.is_direct and not is_total and row.level < codes.COMMUNITY and scope.contains(row.code):
            child_url = f"{reverse('stats:indicators')}?{_keep(request, division=row.code)}"
        return {"row": row, "is_total": is_total, "child_url": child_url,
                "cells": [_cell(result, row, c.key, day, period_start) for c in columns]}

    parent = resolve_parent(code, request.user)
    target_rows = []
    for key, indicator in INDICATORS.items():
        if indicator.target_key:
            target_rows.append({
                "indicator": indicator,
                "target": result.targets.get(indicator.target_key),
                "value": result.parent.values.get(key),
                "gap": result.parent.gap(key),
                "url": drill_url(key, result.parent.code, day, period_start),
            })
    context = {
        "form": form,
        "result": result,
        "computed_at": computed_at,
        "parent": parent,
        "columns": columns,
        "rows": [row_of(r) for r in result.rows],
        "total": row_of(result.parent, is_total=True),
        "view": view,
        "views": [(k, v[0]) for k, v in VIEWS.items()],
        "target_rows": target_rows,
        "definitions": [
            {"label": i.label, "meaning": i.meaning, "formula": i.formula, "unit": i.unit,
             "group_label": GROUPS.get(i.group, "")}
            for i in [*INDICATORS.values(), *result.dynamic]
        ],
        "breadcrumbs": breadcrumbs(request.user, parent, "stats:indicators"),
        "communities_url": drill_url("communities", result.parent.code, day, period_start),
        "can_set_targets": services.can_set_targets(request.user, parent),
        "query": _keep(request),
    }
    return render(request, "stats/indicators.html", context)


def _keep(request, **changes) -> str:
    params = request.GET.copy()
    for key in ("page", "format"):
        params.pop(key, None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@require_http_methods(["GET"])
def communities(request):
    form, code, day, _start = _period_form(request, CommunityFilterForm)
    filters = form.filters()
    rows = CommunityList(code, day, user=request.user, **filters)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        params = request.GET.copy()
        params.pop("format", None)
        return exporting.now_or_submit(
            rows, lambda: exports.communities_response(rows, fmt, day),
            lambda: exports.submit_communities(request.user, params, fmt,
                                               back_url=f"{reverse('stats:communities')}?{params.urlencode()}"))
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    parent = rows.parent
    _rule, rule_label = rule_for_prefix(rows.prefix)
    context = {
        "form": form,
        "page_obj": page,
        "rows": page.object_list,
        "parent": parent,
        "day": day,
        "rule_label": rule_label,
        "breadcrumbs": [{"label": "统计指标", "url": reverse("stats:indicators")},
                        *breadcrumbs(request.user, parent, "stats:communities", f"&as_of={day.isoformat()}")],
        "query": _keep(request),
        "indicators_url": f"{reverse('stats:indicators')}?division={code}&as_of={day.isoformat()}",
    }
    return render(request, "stats/communities.html", context)


CHANGE_KINDS = {"new": "本期新增的组织", "ended": "本期注销、撤销和清理的组织",
                "deregistered": "本期注销、撤销的组织", "cleared": "本期清理的组织"}


@require_http_methods(["GET"])
def changes(request):
    """The organizations behind "new in the period" and "ended in the period"."""
    form, code, day, period_start = _period_form(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in CHANGE_KINDS else "new"
    own = request.GET.get("own") == "yes"
    spans = (
        change_spans(kind, code, day, period_start, user=request.user, own=own)
        .select_related("organization", "division").order_by("division_id", "organization__name", "organization_id")
    )
    paginator = Paginator(spans, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    parent = resolve_parent(code, request.user)
    context = {
        "form": form,
        "kind": kind,
        "title": CHANGE_KINDS[kind] + ("（仅本级）" if own else ""),
        "kinds": CHANGE_KINDS,
        "page_obj": page,
        "rows": page.object_list,
        "parent": parent,
        "day": day,
        "period_start": period_start,
        "breadcrumbs": [{"label": "统计指标", "url": reverse("stats:indicators")},
                        *breadcrumbs(request.user, parent, "stats:changes",
                                     f"&kind={kind}&as_of={day.isoformat()}&period_start={period_start.isoformat()}")],
        "indicators_url": f"{reverse('stats:indicators')}?division={code}&as_of={day.isoformat()}",
    }
    return render(request, "stats/changes.html", context)


@require_http_methods(["GET"])
def bases(request):
    """The incubation bases behind ``incubation_bases``: opened by the day, under the division (with
    ``own=yes`` only those placed on the division itself), with the organizations each has incubated."""
    from django.db.models import Count, OuterRef, Subquery

    from cso.orgs.models import Organization

    form, code, day, _period_start = _period_form(request)
    parent = resolve_parent(code, request.user)
    own = request.GET.get("own") == "yes" and parent is not None
    queryset = bases_queryset(parent.prefix if parent else "", day)
    levels = [int(v) for v in (request.GET.get("levels") or "").split(",") if v in ("3", "4", "5")]
    if levels:
        queryset = queryset.filter(level__in=levels)
    if own:
        queryset = queryset.filter(division_id=parent.code)
    incubated = (Organization.objects.filter(incubated_by=OuterRef("pk")).order_by()
                 .values("incubated_by").annotate(n=Count("id")).values("n"))
    queryset = (queryset.select_related("division__parent").annotate(incubated=Subquery(incubated))
                .order_by("division_id", "name", "id"))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stats/bases.html", {
        "form": form,
        "page_obj": page,
        "rows": page.object_list,
        "parent": parent,
        "day": day,
        "own": own,
        "breadcrumbs": [{"label": "统计指标", "url": reverse("stats:indicators")},
                        *breadcrumbs(request.user, parent, "stats:bases", f"&as_of={day.isoformat()}")],
        "indicators_url": f"{reverse('stats:indicators')}?division={code}&as_of={day.isoformat()}",
        "bases_rule_label": targets_mod.bases_rule_label(parent.prefix if parent else ""),
        "levels": levels,
    })


@require_http_methods(["GET", "POST"])
def targets(request):
    raw = (request.POST.get("division") if request.method == "POST" else request.GET.get("division")) or ""
    try:
        code = clean_division_code(raw) if raw.strip() else default_code(request.user)
    except ValidationError as exc:
        raise Http404("区划代码无效。") from exc
    parent = resolve_parent(code, request.user)
    try:
        year = int((request.POST if request.method == "POST" else request.GET).get("year") or date.today().year)
    except ValueError:
        year = date.today().year
    if not 2000 <= year <= 2100:
        year = date.today().year
    effective = effective_targets(parent.code, year) if parent else {}
    can_edit = services.can_set_targets(request.user, parent)
    province = None
    if parent is not None:
        province = Division.objects.filter(code=parent.code[:2].ljust(12, "0")).first()
    can_rule = services.can_set_urban_rule(request.user, province)
    target_form = TargetForm(effective=effective)
    rule_form = bases_form = None
    if province is not None:
        setting = ProvinceSetting.objects.filter(division=province).first()
        rule_form = UrbanRuleForm(initial={"urban_rule": setting.urban_rule if setting else UrbanRule.COMMITTEE})
        bases_form = BaseLevelsForm(initial={"base_levels": setting.base_levels if setting else BaseLevels.COUNTY})
    back = f"{reverse('stats:targets')}?division={code}&year={year}"

    if request.method == "POST":
        if parent is None:
            raise Http404("全国默认值为政策默认值，请选择具体区划设置。")
        if request.POST.get("action") == "base_levels":
            if not can_rule:
                raise PermissionDenied("只有省级民政部门工作人员或系统管理员可以设置本省的孵化基地计数口径。")
            bases_form = BaseLevelsForm(request.POST)
            if bases_form.is_valid():
                levels = BaseLevels(bases_form.cleaned_data["base_levels"])
                services.set_base_levels(request.user, province, levels)
                messages.success(request, f"已将{province.name}的孵化基地计数口径设为“{levels.label}”。")
                return redirect(back)
        elif request.POST.get("action") == "urban_rule":
            if not can_rule:
                raise PermissionDenied("只有省级民政部门工作人员或系统管理员可以设置本省的城市社区口径。")
            rule_form = UrbanRuleForm(request.POST)
            if rule_form.is_valid():
                rule = UrbanRule(rule_form.cleaned_data["urban_rule"])
                services.set_urban_rule(request.user, province, rule)
                messages.success(request, f"已将{province.name}的城市社区口径设为“{rule.label}”。")
                return redirect(back)
        else:
            if not can_edit:
                raise PermissionDenied("您的账号无权设置该区划的目标值。")
            target_form = TargetForm(request.POST, effective=effective)
            if target_form.is_valid():
                data = target_form.cleaned_data
                label = TargetKey(data["key"]).label
                try:
                    if data.get("clear"):
                        removed = services.clear_target(request.user, parent, year, data["key"])
                        messages.success(request, f"已取消{parent.name}{year}年“{label}”的本级设定，恢复继承。"
                                         if removed else f"{parent.name}{year}年“{label}”本无本级设定。")
                    else:
                        services.set_target(request.user, parent, year, data["key"], data["value"], data["note"])
                        messages.success(request, f"已设置{parent.name}{year}年“{label}”为 {data['value']}。")
                    return redirect(back)
                except ValidationError as exc:
                    for message in exc.messages:
                        target_form.add_error("value", message)

    rows = []
    for key, tv in effective.items():
        rows.append({"key": key, "label": TargetKey(key).label, "unit": TARGET_UNITS[TargetKey(key)], "tv": tv,
                     "own": not tv.is_default and tv.source_code == (parent.code if parent else "")})
    history = []
    if parent is not None:
        history = list(
            Target.history.filter(division_id__in=[a.code for a in parent.ancestors()] + [parent.code])
            .select_related("history_user", "division").order_by("-history_date")[:20]
        ) + list(
            Target.history.filter(subtree_q("division_id", parent.prefix)).exclude(division_id=parent.code)
            .select_related("history_user", "division").order_by("-history_date")[:20]
        )
        history = [h for h in history if Scope.for_user(request.user).contains(h.division_id)]
        history.sort(key=lambda h: h.history_date, reverse=True)
        history = history[:20]
    _rule, rule_label = rule_for_prefix(parent.prefix if parent else "")
    children, below = [], []
    if parent is not None:
        children = list(Division.objects.filter(parent=parent, abolished_in__isnull=True).order_by("code")[:300])
        below = list(
            Target.objects.filter(subtree_q("division_id", parent.prefix), year=year).exclude(division=parent)
            .select_related("division").order_by("division_id", "key")[:200]
        )
    context = {
        "seed_000": targets_mod.SEED_000,
        "seed_003": targets_mod.SEED_003,
        "children": children,
        "below": below,
        "parent": parent,
        "year": year,
        "years": list(range(date.today().year + 1, date.today().year - 6, -1)),
        "rows": rows,
        "form": target_form,
        "rule_form": rule_form,
        "bases_form": bases_form,
        "bases_rule_label": targets_mod.bases_rule_label(parent.prefix if parent else ""),
        "province": province,
        "rule_label": rule_label,
        "can_edit": can_edit,
        "can_rule": can_rule,
        "history": history,
        "breadcrumbs": breadcrumbs(request.user, parent, "stats:targets", f"&year={year}"),
    }
    return render(request, "stats/targets.html", context)
