"""Pages of the credit lists: an organization's credit record, the entries (the body confirms or dismisses the
proposals), objections, the run of the rules, and the published lists (public, no login) with their exports.

Every page starts from ``visible_to(user)`` (outside: 404) and asks the responsibilities table (else 403)."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cso.accounts.responsibilities import can, require
from cso.core import csvfiles
from cso.core.hierarchy import PREFIX_LENGTH
from cso.orgs.models import Organization

from . import credit, credit_runner
from .credit_forms import AnswerForm, EventForm, ObjectionForm, ReasonForm
from .models.credit import CreditList, CreditRun, EntryState, ListEntry, Objection

TITLE = "信用监管"
PUBLIC_TITLE = "社会组织活动异常名录和严重违法失信名单"


def _crumbs(*tail):
    return [{"label": TITLE, "url": reverse("supervision:credit_entries")}, *({"label": t, "url": None} for t in tail)]


def _org(request, uid: str, action: str) -> Organization:
    org = get_object_or_404(Organization.objects.visible_to(request.user).select_related("division"), uid=uid)
    require(request.user, action, org)
    return org


def _entry(request, pk: int, action: str) -> ListEntry:
    qs = ListEntry.objects.visible_to(request.user).select_related("organization")
    entry = get_object_or_404(qs, pk=pk)
    require(request.user, action, entry)
    return entry


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))


def _validation(request, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


@require_GET
def org_credit(request, uid):
    """信用记录: the organization's events, its entries with their reason chains and timers, objections."""
    org = _org(request, uid, "supervision.credit_view")
    user = request.user
    may_decide = can(user, "supervision.credit_decide", org)
    entries = ListEntry.objects.filter(organization=org)
    if not may_decide:  # a dismissed proposal is the deciding body's record only
        entries = entries.exclude(state=EntryState.DISMISSED)
    entries = list(entries.prefetch_related("objections").order_by("-entered_on", "-id"))
    for entry in entries:
        entry.timers = credit.timers(entry) if entry.is_open else []
        entry.may_object = entry.is_open and can(user, "supervision.credit_object", entry)
        entry.may_decide = may_decide and entry.state == EntryState.PROPOSED
    context = {
        "org": org, "breadcrumbs": _crumbs(org.name, "信用记录"),
        "events": list(org.credit_events.select_related("recorded_by").order_by("-date", "-id")),
        "entries": entries, "may_decide": may_decide,
        "may_record": may_decide and org.is_live,
        "may_enforce": can(user, "supervision.enforcement", org),
        "event_form": EventForm(initial={"date": timezone.localdate()}) if may_decide else None,
        "reason_form": ReasonForm(), "objection_form": ObjectionForm(), "answer_form": AnswerForm(),
    }
    return render(request, "supervision/credit/org.html", context)


@require_POST
def record_event(request, uid):
    org = _org(request, uid, "supervision.credit_decide")
    form = EventForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        data = form.cleaned_data
        try:
            credit.record_event(org, data["kind"], data["date"], penalty_type=data["penalty_type"],
                                fine_amount=data["fine_amount"], source=data["source"], basis=data["basis"],
                                note=data["note"], user=request.user)
            messages.success(request, "信用记录已保存；下次运行信用规则时计算是否列入名录。")
        except ValidationError as exc:
            _validation(request, exc)
    return redirect("supervision:credit_org", org.uid)


@require_GET
def entries(request):
    """The entries the account may see; a registering body's proposals first, each with confirm / dismiss."""
    user = request.user
    require(user, "supervision.credit_view")
    qs = ListEntry.objects.visible_to(user).select_related("organization")
    state = request.GET.get("state") or ("proposed" if can(user, "supervision.credit_decide") else "confirmed")
    if state in EntryState.values:
        qs = qs.filter(state=state)
    which = request.GET.get("list")
    if which in CreditList.values:
        qs = qs.filter(credit_list=which)
    page = Paginator(qs.order_by("-entered_on", "-id"), 50).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.timers = credit.timers(entry) if entry.is_open else []
        entry.may_decide = entry.state == EntryState.PROPOSED and can(user, "supervision.credit_decide", entry)
    objections = Objection.objects.visible_to(user).filter(answered_at__isnull=True).select_related(
        "entry", "organization")[:50]
    context = {
        "breadcrumbs": _crumbs(), "page_obj": page, "state": state, "which": which or "",
        "states": EntryState.choices, "lists": CreditList.choices, "reason_form": ReasonForm(),
        "objections": [o for o in objections if can(user, "supervision.credit_decide", o.entry)],
        "may_run": can(user, "supervision.credit_decide"),
        "runs": CreditRun.objects.filter(requested_by=user)[:5],
    }
    return render(request, "supervision/credit/entries.html", context)


def _prefix(user) -> str:
    if user.is_superuser or user.division_id is None:
        return ""
    return user.division_id[: PREFIX_LENGTH[user.division.level]]


@require_POST
def run(request):
    """Run the rules for the account's subtree (in the background)."""
    require(request.user, "supervision.credit_decide")
    result = credit_runner.start(timezone.localdate(), _prefix(request.user), user=request.user)
    messages.success(request, f"已在后台运行信用规则（计算日期 {result.as_of:%Y-%m-%d}）；"
                              "完成后，新提出的列入见“待确认”。")
    return redirect("supervision:credit_entries")


@require_POST
def decide(request, entry):
    entry = _entry(request, entry, "supervision.credit_decide")
    form = ReasonForm(request.POST)
    confirm = request.POST.get("decision") == "confirm"
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            credit.decide(entry, request.user, confirm, form.cleaned_data["reason"])
            messages.success(request, f"已{'确认列入并公示' if confirm else '不予列入'}：{entry.organization.name}。")
        except ValidationError as exc:
            _validation(request, exc)
    if request.POST.get("next") == "entries":
        return redirect("supervision:credit_entries")
    return redirect("supervision:credit_org", entry.organization.uid)


@require_POST
def object_entry(request, entry):
    entry = _entry(request, entry, "supervision.credit_object")
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            credit.object_to(entry, request.user, form.cleaned_data["text"])
            messages.success(request, "异议已提交，登记管理机关将予以答复。")
        except ValidationError as exc:
            _validation(request, exc)
    return redirect("supervision:credit_org", entry.organization.uid)


@require_POST
def answer(request, objection):
    qs = Objection.objects.visible_to(request.user).select_related("entry__organization")
    objection = get_object_or_404(qs, pk=objection)
    require(request.user, "supervision.credit_decide", objection.entry)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            credit.answer(objection, request.user, form.cleaned_data["answer"])
            messages.success(request, "已答复异议。")
        except ValidationError as exc:
            _validation(request, exc)
    return redirect("supervision:credit_org", objection.entry.organization.uid)


# --- the published lists (public) ------------------------------------------------------------------------
PUBLIC_HEADERS = ["组织名称", "统一社会信用代码", "名录", "列入日期", "列入依据", "作出决定机关", "移出日期",
                  "移出原因"]


def published(which: str = "", exited: bool = False, q: str = ""):
    """Entries the registering bodies confirmed (current), or published entries since left."""
    qs = ListEntry.objects.select_related("organization__registration_authority")
    qs = (qs.filter(state=EntryState.EXITED, decided_at__isnull=False) if exited
          else qs.filter(state=EntryState.CONFIRMED))
    if which in CreditList.values:
        qs = qs.filter(credit_list=which)
    if q:
        qs = qs.filter(Q(organization__name__contains=q) | Q(organization__credit_code=q.upper()))
    return qs.order_by("-exit_on" if exited else "-entered_on", "-id")


def _public_row(entry) -> list:
    org = entry.organization
    authority = org.registration_authority.name if org.registration_authority_id else ""
    return [org.name, org.credit_code or "", entry.get_credit_list_display(), entry.entered_on, entry.basis,
            authority, entry.exit_on, entry.exit_reason]


@login_not_required
@require_GET
def public_lists(request):
    which = request.GET.get("list", "")
    exited = request.GET.get("show") == "exited"
    q = (request.GET.get("q") or "").strip()[:100]
    qs = published(which, exited, q)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return _export(qs, fmt)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "supervision/credit/public.html", {
        "page_obj": page, "rows": [_public_row(e) for e in page.object_list], "headers": PUBLIC_HEADERS,
        "which": which, "exited": exited, "q": q, "lists": CreditList.choices, "title": PUBLIC_TITLE})


def _export(qs, fmt: str):
    rows = (_public_row(e) for e in qs[:settings.CSO_CREDIT_PUBLIC_EXPORT_ROWS].iterator(chunk_size=2000))
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        response = StreamingHttpResponse(csvfiles.lines(PUBLIC_HEADERS, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f"attachment; filename=credit-lists-{stamp}.csv"
        return response
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet("名录")
    sheet.write_row(0, 0, PUBLIC_HEADERS)
    for n, row in enumerate(rows, 1):
        sheet.write_row(n, 0, ["" if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v))
                               for v in row])
    workbook.close()
    response = HttpResponse(buffer.getvalue(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f"attachment; filename=credit-lists-{stamp}.xlsx"
    return response

