"""Pages of the quarterly statistics table: a county's quarters, one table with its versions and
events, the workflow steps, the city/province/national overview with the roll-up, and the .xlsx
exports.

Every report is read through ``QuarterlyReport.objects.visible_to(user)`` and every division through
``Division.objects.visible_to(user)``: outside the user's subtree is a 404. Every change goes through
``cso.reports.services``, which allows it only to the county's own civil-affairs staff.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from cso.core.scoping import Scope
from cso.regions import codes
from cso.regions.models import Division

from . import services, tables
from .choices import ReportStatus
from .forms import CorrectForm, GenerateForm, QuarterForm, ReturnForm, ReviewForm, SubmitForm
from .models import QuarterlyReport, can_prepare, can_read

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE = "季度统计报表"


def _require_reader(user) -> None:
    if not can_read(user):
        raise PermissionDenied("季度统计报表仅供民政部门工作人员查看。")


def _county(request, code: str) -> Division:
    _require_reader(request.user)
    return get_object_or_404(Division.objects.visible_to(request.user).filter(level=codes.COUNTY), code=code)


def _report(request, pk: int) -> QuarterlyReport:
    _require_reader(request.user)
    qs = QuarterlyReport.objects.visible_to(request.user).select_related("county__parent")
    return get_object_or_404(qs, pk=pk)


def _crumbs(county: Division | None = None, *tail) -> list[dict]:
    crumbs = [{"label": TITLE, "url": reverse("reports:index")}]
    if county is not None:
        crumbs.append({"label": county.name, "url": reverse("reports:county", args=[county.code])})
    crumbs.extend({"label": t, "url": None} for t in tail)
    return crumbs


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    return HttpResponse(content, content_type=XLSX,
                        headers={"Content-Disposition": content_disposition_header(True, filename)})


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if services.FIRST_YEAR <= year <= services.today().year else default


@require_GET
def index(request):
    """Where 季度统计报表 starts: a county's own quarters, or the overview for a city, province or the country."""
    user = request.user
    _require_reader(user)
    scope = Scope.for_user(user)
    if scope.nothing:
        raise PermissionDenied("您的账号未绑定区划，无法查看季度统计报表。")
    if user.division_id and user.division.level == codes.COUNTY:
        return redirect("reports:county", user.division_id)
    return redirect("reports:overview")


@require_GET
def county(request, code: str):
    county = _county(request, code)
    day = services.today()
    year = _year(request, day.year)
    states = services.county_quarters(county, year, day)
    may_prepare = can_prepare(request.user) and request.user.division_id == county.code
    initial = {"prepared_by_name": request.user.display_name, "contact_phone": request.user.phone}
    for state in states:
        state.generate_form = (
            GenerateForm(initial={**initial, "year": year, "quarter": state.quarter}, prefix=f"q{state.quarter}")
            if may_prepare and state.live is None else None
        )
    return render(request, "reports/county.html", {
        "county": county,
        "year": year,
        "years": services.report_years(county, day),
        "states": states,
        "may_prepare": may_prepare,
        "sees_drafts": request.user.is_superuser or request.user.division.level == codes.COUNTY,
        "deadlines_note": services.deadlines_note(),
        "breadcrumbs": _crumbs(county),
    })


@require_POST
def generate(request, code: str):
    county = _county(request, code)
    prefix = next((k.split("-")[0] for k in request.POST if k.endswith("-year")), None)
    form = GenerateForm(request.POST, prefix=prefix)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("reports:county", county.code)
    try:
        report = services.generate(county, form.cleaned_data["year"], form.cleaned_data["quarter"], request.user,
                                   prepared_by_name=form.cleaned_data["prepared_by_name"],
                                   contact_phone=form.cleaned_data["contact_phone"])
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("reports:county", args=[county.code]) + f"?year={form.cleaned_data['year']}")
    messages.success(request, f"已生成{report.quarter_label}统计表草稿（统计截止日期 {report.as_of:%Y-%m-%d}），"
                              "请核对后审核、报送。")
    return redirect("reports:detail", report.pk)


@require_GET
def detail(request, report: int):
    report = _report(request, report)
    previous = services.previous_official(report)
    deltas = services.differences(report.data, previous.data if previous else None)
    top, bottom = tables.headers(report.data["columns"])
    may_prepare = can_prepare(request.user) and request.user.division_id == report.county_id
    is_live = report.status != ReportStatus.SUPERSEDED
    state = services.quarter_states([(report.county_id, report.county.name)], report.year, report.quarter)[0]
    user = request.user
    forms = {}
    if may_prepare and is_live:
        if report.status == ReportStatus.DRAFT:
            forms["regenerate"] = True
            forms["review"] = ReviewForm(initial={"reviewer_name": user.display_name})
        elif report.status == ReportStatus.REVIEWED:
            forms["submit"] = SubmitForm()
            forms["return"] = ReturnForm()
        elif report.status == ReportStatus.SUBMITTED:
            forms["correct"] = CorrectForm(initial={"prepared_by_name": report.prepared_by_name,
                                                    "contact_phone": report.contact_phone})
    return render(request, "reports/detail.html", {
        "report": report,
        "data": report.data,
        "top": top,
        "bottom": bottom,
        "rows": tables.report_rows(report.data, deltas),
        "units": tables.units_line(report.data["columns"]),
        "targets": tables.targets_line(report.data),
        "previous": previous,
        "has_deltas": bool(deltas),
        "state": state,
        "versions": services.versions_of(report, request.user),
        "events": services.timeline_of(report, request.user),
        "forms": forms,
        "live": None if is_live else QuarterlyReport.objects.visible_to(request.user).filter(
            county_id=report.county_id, year=report.year, quarter=report.quarter).exclude(
            status=ReportStatus.SUPERSEDED).first(),
        "breadcrumbs": _crumbs(report.county, f"{report.quarter_label}（第{report.version}版）"),
    })


def _step(request, pk: int, form_class, action, success: str):
    report = _report(request, pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("reports:detail", report.pk)
    try:
        result = action(report, form.cleaned_data if form else {})
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("reports:detail", report.pk)
    messages.success(request, success)
    return redirect("reports:detail", result.pk)


@require_POST
def regenerate(request, report: int):
    return _step(request, report, None, lambda r, d: services.regenerate(r, request.user),
                 "已按信息库当前数据重新生成草稿。")


@require_POST
def review(request, report: int):
    return _step(request, report, ReviewForm,
                 lambda r, d: services.review(r, request.user, reviewer_name=d["reviewer_name"], note=d["note"]),
                 "已审核。请确认无误后报送。")


@require_POST
def return_to_draft(request, report: int):
    return _step(request, report, ReturnForm,
                 lambda r, d: services.return_to_draft(r, request.user, reason=d["reason"]),
                 "已退回为草稿，可重新生成后再审核。")


@require_POST
def submit(request, report: int):
    return _step(request, report, SubmitForm, lambda r, d: services.submit(r, request.user, note=d["note"]),
                 "已报送。报送后的统计表数据不再变化；如需修改请发起更正。")


@require_POST
def correct(request, report: int):
    return _step(request, report, CorrectForm,
                 lambda r, d: services.correct(r, request.user, reason=d["reason"],
                                               prepared_by_name=d["prepared_by_name"],
                                               contact_phone=d["contact_phone"]),
                 "已生成更正版本草稿，原版本已保留。请核对后审核、报送。")


@require_GET
def export(request, report: int):
    report = _report(request, report)
    sheet = tables.report_sheet(report)
    filename = f"{report.county.name}{report.year}年第{report.quarter}季度统计表（第{report.version}版）.xlsx"
    return _xlsx(tables.xlsx.render(sheet), filename)


# --- overview: a city, a province or the country ----------------------------------------------

def _overview_params(request) -> tuple[Division | None, int, int]:
    """(parent division or None for the country, year, quarter) from the query string, within scope."""
    user = request.user
    _require_reader(user)
    scope = Scope.for_user(user)
    if scope.nothing:
        raise PermissionDenied("您的账号未绑定区划，无法查看季度统计报表。")
    code = (request.GET.get("division") or "").strip()
    if code:
        parent = get_object_or_404(Division.objects.visible_to(user).filter(level__in=(codes.PROVINCE, codes.CITY)),
                                   code=code)
    elif user.division_id:
        parent = user.division
    else:
        parent = None  # a national account
    if parent is not None and parent.level not in (codes.PROVINCE, codes.CITY):
        raise Http404("汇总页面按市、省或全国查看。")
    default_year, default_quarter = services.previous_quarter(*services.current_quarter())
    form = QuarterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
        if not services.FIRST_YEAR <= year <= services.today().year:
            year = default_year
    else:
        year, quarter = default_year, default_quarter
    return parent, year, quarter


@require_GET
def overview(request):
    user = request.user
    if user.is_authenticated and can_read(user) and user.division_id and user.division.level == codes.COUNTY \
            and not request.GET.get("division"):
        return redirect("reports:county", user.division_id)
    parent, year, quarter = _overview_params(request)
    rollup = services.rollup(parent, year, quarter, user)
    top, bottom = tables.headers(rollup.columns)
    by_city: list[tuple[str, list]] = []
    if parent is not None and parent.level == codes.PROVINCE:
        names = dict(Division.objects.filter(code__in={codes.pad_code(s.county_code[:4]) for s in rollup.states})
                     .values_list("code", "name"))
        for state in rollup.states:
            city = names.get(codes.pad_code(state.county_code[:4]), "")
            if not by_city or by_city[-1][0] != city:
                by_city.append((city, []))
            by_city[-1][1].append(state)
    elif parent is not None:
        by_city = [("", rollup.states)]
    # nationally, every province is one row (its counties are listed on the province's page)
    year_now = services.today().year
    return render(request, "reports/overview.html", {
        "parent": parent,
        "rollup": rollup,
        "year": year,
        "quarter": quarter,
        "years": list(range(year_now, max(services.FIRST_YEAR, year_now - 5) - 1, -1)),
        "quarters": range(1, 5),
        "top": top,
        "bottom": bottom,
        "rows": tables.rollup_rows(rollup),
        "by_city": by_city,
        "child_links": parent is not None and parent.level == codes.PROVINCE,
        "national": parent is None,
        "deadlines_note": services.deadlines_note(),
        "breadcrumbs": _crumbs(None, f"{rollup.parent_name} {year}年第{quarter}季度"),
    })


@require_GET
def overview_export(request):
    parent, year, quarter = _overview_params(request)
    rollup = services.rollup(parent, year, quarter, request.user)
    unit = (f"{parent.name}{'民政厅' if parent.level == codes.PROVINCE else '民政局'}" if parent is not None
            else "民政部")
    sheet = tables.rollup_sheet(rollup, timezone.localdate(), unit)
    return _xlsx(tables.xlsx.render(sheet), f"{rollup.parent_name}{year}年第{quarter}季度汇总表.xlsx")
