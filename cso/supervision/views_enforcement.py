"""Pages of 执法监察: the registering body's cases, opening a case against an organization it registered, deciding
it (a penalty is written to the organization's credit record in the same transaction)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cso.accounts.responsibilities import can, require
from cso.orgs.models import Organization

from . import enforcement
from .enforcement_forms import DecideCaseForm, OpenCaseForm
from .models.credit import EnforcementCase

TITLE = "执法监察"
ACTION = "supervision.enforcement"


def _crumbs(*tail):
    home = {"label": TITLE, "url": reverse("supervision:enforcement_cases")}
    return [home, *({"label": t, "url": None} for t in tail)]


def _case(request, pk: int) -> EnforcementCase:
    qs = EnforcementCase.objects.visible_to(request.user).select_related("organization", "decided_by")
    case = get_object_or_404(qs, pk=pk)
    require(request.user, ACTION, case)
    return case


@require_GET
def cases(request):
    user = request.user
    require(user, ACTION)
    qs = EnforcementCase.objects.visible_to(user).select_related("organization")
    if not user.is_superuser:  # the cases of the organizations this body registered
        qs = qs.filter(organization__registration_authority_division_id=user.division_id)
    page = Paginator(qs.order_by("-opened_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "supervision/credit/cases.html", {"breadcrumbs": _crumbs(), "page_obj": page})


@require_http_methods(["GET", "POST"])
def open_case(request, uid):
    org = get_object_or_404(Organization.objects.visible_to(request.user), uid=uid)
    require(request.user, ACTION, org)
    form = OpenCaseForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            case = enforcement.open_case(org, request.user, **form.cleaned_data)
        except ValidationError as exc:
            for msg in exc.messages:
                form.add_error(None, msg)
        else:
            messages.success(request, f"已立案：{case.number}。")
            return redirect("supervision:enforcement_case", case.pk)
    return render(request, "supervision/credit/case_form.html",
                  {"breadcrumbs": _crumbs(org.name, "立案"), "form": form, "org": org})


@require_GET
def case_detail(request, case):
    case = _case(request, case)
    form = DecideCaseForm(initial={"decided_on": timezone.localdate(), "basis": case.basis}) \
        if case.decided_on is None else None
    return render(request, "supervision/credit/case.html", {
        "breadcrumbs": _crumbs(case.number), "case": case, "form": form,
        "may_view_credit": can(request.user, "supervision.credit_view", case.organization),
        "events": case.organization.credit_events.filter(source_id=case.pk, source_type__model="enforcementcase")})


@require_POST
def decide(request, case):
    case = _case(request, case)
    form = DecideCaseForm(request.POST)
    if form.is_valid():
        try:
            enforcement.decide_case(case, request.user, **form.cleaned_data)
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        else:
            written = "，处罚已写入该组织的信用记录。" if case.penalty_type else "。"
            messages.success(request, f"已记录处理决定{written}")
            return redirect("supervision:enforcement_case", case.pk)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}")
    return redirect("supervision:enforcement_case", case.pk)
