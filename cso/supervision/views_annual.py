"""Pages of the annual report (年检年报).

The organization's account: its organizations' reports per year (``mine``), opening a year's report (``start``),
the form (``edit``: save a draft or submit) and the attachments. The supervising bureau: the review queue, the review
page, and the division's lists of missing and late reports with their export. A report outside what the account
sees is a 404; the responsibilities table decides the rest (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cso.accounts.responsibilities import can, require
from cso.core import attachments, exporting
from cso.orgs.choices import Track
from cso.orgs.models import Organization

from . import annual as annual_rules
from . import annual_exports, annual_services
from .annual_forms import AnnualReportForm, ReviewForm
from .models import AnnualReport, AnnualReportAttachment, AnnualState

PAGE_SIZE = 20
YEARS_SHOWN = 5  # 本平台建议: the organization's page lists the last five report years


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


def _get(request, pk: int) -> AnnualReport:
    report = (AnnualReport.objects.visible_to(request.user)
              .select_related("organization", "organization__division", "reviewer").filter(pk=pk).first())
    if report is None:
        raise Http404("找不到该年度报告。")
    return report


# --- the organization's account ------------------------------------------------------------------------
@require_GET
def mine(request):
    require(request.user, "supervision.annual_fill")
    orgs = list(Organization.objects.visible_to(request.user).filter(track=Track.REGISTERED)
                .select_related("division").order_by("name")[:50])
    last_year = annual_services.today().year - 1
    years = list(range(last_year, last_year - YEARS_SHOWN, -1))
    reports = {(r.organization_id, r.year): r for r in
               AnnualReport.objects.filter(organization__in=orgs, year__in=years)}
    rows = []
    for org in orgs:
        cells = []
        for year in years:
            report = reports.get((org.pk, year))
            if report is None and not annual_rules.owes_report(org, year):
                continue
            cells.append({"year": year, "report": report, "deadline": annual_rules.deadline(org, year),
                          "remediation": annual_rules.needs_remediation(org, year) if report is None or report.editable
                          else False,
                          "can_fill": can(request.user, "supervision.annual_fill", org)})
        rows.append({"org": org, "years": cells})
    return render(request, "supervision/annual/mine.html", {"rows": rows, "today": annual_services.today()})


@require_POST
def start(request):
    org = Organization.objects.visible_to(request.user).filter(uid=request.POST.get("org", "")).first()
    if org is None:
        raise Http404("找不到该组织。")
    require(request.user, "supervision.annual_fill", org)
    try:
        year = int(request.POST.get("year", ""))
        report = annual_services.start(request.user, org, year)
    except (TypeError, ValueError):
        messages.error(request, "年度：请选择要填报的年度。")
        return redirect("supervision:annual_mine")
    except ValidationError as exc:
        messages.error(request, "；".join(_errors(exc)))
        return redirect("supervision:annual_mine")
    return redirect("supervision:annual_edit", report.pk)


@require_http_methods(["GET", "POST"])
def edit(request, annual):
    report = _get(request, annual)
    require(request.user, "supervision.annual_fill", report)
    if not report.editable:
        messages.info(request, f"该报告为“{report.get_state_display()}”，不能修改。")
        return redirect("supervision:annual_detail", report.pk)
    remediation = _needs_remediation(report)
    form = AnnualReportForm(request.POST or None, instance=report, remediation=remediation)
    if request.method == "POST" and form.is_valid():
        try:
            report = annual_services.save_draft(report, request.user, form.cleaned_data)
            if request.POST.get("then") == "submit":
                annual_services.submit(report, request.user)
                messages.success(request, f"{report.year}年度报告已提交，请等待民政部门审查。")
                return redirect("supervision:annual_detail", report.pk)
            messages.success(request, "草稿已保存，可随时回来继续填写。")
            return redirect("supervision:annual_edit", report.pk)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error(None, exc.messages)
            messages.warning(request, "草稿已保存，但还不能提交：请按提示补全下列内容。")
    return render(request, "supervision/annual/form.html", {
        "report": report, "form": form, "remediation": remediation,
        "events": list(report.events.select_related("actor")),
        "deadline": annual_rules.deadline(report.organization, report.year), "max_mb": _max_mb()})


def _needs_remediation(report) -> bool:
    return annual_rules.needs_remediation(report.organization, report.year) or bool(report.remediation_report)


def _max_mb() -> int:
    from cso.core.filetypes import max_bytes

    return max_bytes() // (1024 * 1024)


@require_GET
def detail(request, annual):
    report = _get(request, annual)
    if not any(can(request.user, a, report) for a in ("supervision.annual_fill", "supervision.annual_review")) \
            and not can(request.user, "supervision.annual_list"):
        raise PermissionDenied("您的账号无权查看该年度报告。")
    return render(request, "supervision/annual/detail.html", {
        "report": report, "parts": AnnualReportForm(instance=report, remediation=_needs_remediation(report)).parts(),
        "events": report.events.select_related("actor"), "attachments": report.attachments.all(),
        "may_fill": report.editable and can(request.user, "supervision.annual_fill", report),
        "may_review": report.state == AnnualState.SUBMITTED and can(request.user, "supervision.annual_review", report),
        "deadline": annual_rules.deadline(report.organization, report.year)})


@require_POST
def upload(request, annual):
    report = _get(request, annual)
    require(request.user, "supervision.annual_fill", report)
    files = request.FILES.getlist("file")
    if not files:
        messages.error(request, "附件：请选择要上传的文件。")
    for uploaded in files:
        try:
            done = annual_services.add_attachment(report, request.user, uploaded)
            messages.success(request, f"已上传附件“{done.original_name}”。")
        except ValidationError as exc:
            messages.error(request, "上传失败：" + "；".join(_errors(exc)))
    return redirect("supervision:annual_edit", report.pk)


def _attachment(report, pk) -> AnnualReportAttachment:
    attachment = report.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404("找不到该附件。")
    return attachment


@require_POST
def remove(request, annual, annual_attachment):
    report = _get(request, annual)
    require(request.user, "supervision.annual_fill", report)
    attachment = _attachment(report, annual_attachment)
    try:
        annual_services.remove_attachment(report, request.user, attachment)
        messages.success(request, f"已删除附件“{attachment.original_name}”。")
    except ValidationError as exc:
        messages.error(request, "不能删除：" + "；".join(_errors(exc)))
    return redirect("supervision:annual_edit", report.pk)


@require_GET
def download(request, annual, annual_attachment):
    report = _get(request, annual)
    attachment = _attachment(report, annual_attachment)
    if not (can(request.user, "supervision.annual_fill", report)
            or can(request.user, "supervision.annual_review", report)):
        raise PermissionDenied("您的账号无权查看该附件。")
    return attachments.response(attachment, "找不到该附件。")


# --- the supervising bureau -------------------------------------------------------------------------------
def _registered_here(request, qs, field="organization__registration_authority_division"):
    """The rows of organizations registered in the account's own division (REGISTERED_HERE)."""
    if request.user.is_superuser:
        return qs
    return qs.filter(**{field: request.user.division_id})


@require_GET
def queue(request):
    require(request.user, "supervision.annual_review")
    qs = _registered_here(request, AnnualReport.objects.visible_to(request.user)
                          .filter(state=AnnualState.SUBMITTED, organization__track=Track.REGISTERED))
    qs = qs.select_related("organization", "organization__division").order_by("resubmitted_at", "id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/annual/queue.html", {
        "page_obj": page, "may_list": can(request.user, "supervision.annual_list")})


@require_http_methods(["GET", "POST"])
def review(request, annual):
    report = _get(request, annual)
    require(request.user, "supervision.annual_review", report)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == "return":
                annual_services.return_for_correction(report, request.user, reason)
                messages.success(request, f"已将{report.organization.name}的{report.year}年度报告退回修改。")
            else:
                report = annual_services.review(report, request.user, decision, reason)
                messages.success(request, f"已审查：{report.organization.name} {report.year}年度"
                                          f"“{report.get_result_display()}”。")
            return redirect("supervision:annual_queue")
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error(None, exc.messages)
    return render(request, "supervision/annual/review.html", {
        "report": report, "form": form,
        "parts": AnnualReportForm(instance=report, remediation=_needs_remediation(report)).parts(),
        "attachments": report.attachments.all(), "events": report.events.select_related("actor"),
        "previous": annual_rules.previous_result(report.organization, report.year),
        "deadline": annual_rules.deadline(report.organization, report.year)})


@require_GET
def lists(request):
    require(request.user, "supervision.annual_list")
    listing = annual_exports.Listing.from_request(request)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        require(request.user, "supervision.annual_export")
        return exporting.now_or_submit(listing.queryset(), lambda: annual_exports.response(listing, fmt),
                                       lambda: annual_exports.submit(listing, fmt, back_url=request.path))
    page = Paginator(listing.queryset(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/annual/lists.html", {
        "page_obj": page, "listing": listing, "rows": [listing.row(obj) for obj in page.object_list],
        "may_export": can(request.user, "supervision.annual_export"),
        "years": list(range(annual_services.today().year - 1, annual_services.today().year - 6, -1))})
