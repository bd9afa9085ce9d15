"""Pages of the statistics table: a division's rounds, one table with its versions and timeline, the
approval steps, chasing, the city/province/national overview with the roll-up, the province's rounds
and columns, and the .xlsx exports.

Every report is read through ``QuarterlyReport.objects.visible_to(user)`` and every division through
``Division.objects.visible_to(user)``: outside the user's subtree is a 404. Every change goes through
``cso.reports.services``, which asks the responsibilities table (403 when the row is missing).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cso.accounts.responsibilities import can
from cso.core.scoping import Scope
from cso.regions import codes
from cso.regions.models import Division

from . import rounds as rounds_mod
from . import services, tables
from .choices import ReportStatus
from .columns import PROPOSED_LABEL, PROVINCE_LABEL, layout_for
from .forms import (
    AcceptForm,
    AddRoundForm,
    ChaseForm,
    ColumnsForm,
    CorrectForm,
    GenerateForm,
    ReturnForm,
    RoundForm,
    SubmitForm,
)
from .models import ColumnLayout, Overdue, QuarterlyReport, ReportingRound, can_read

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE = "统计报表"


def _require_reader(user) -> None:
    if not can_read(user):
        raise PermissionDenied("统计报表仅供民政部门工作人员查看；街道、社区可查看由本辖区数据生成的行。")


def _staff(user) -> bool:
    return user.is_superuser or can(user, "reports.view")


def _division(request, code: str) -> Division:
    _require_reader(request.user)
    if not _staff(request.user):
        raise Http404("区划不存在，或不在您账号所属区划的范围内。")
    return get_object_or_404(Division.objects.visible_to(request.user).filter(level__in=(codes.CITY, codes.COUNTY)),
                             code=code)


def _report(request, pk: int) -> QuarterlyReport:
    _require_reader(request.user)
    qs = QuarterlyReport.objects.visible_to(request.user).select_related("division__parent")
    return get_object_or_404(qs, pk=pk)


def _crumbs(division: Division | None = None, *tail) -> list[dict]:
    crumbs = [{"label": TITLE, "url": reverse("reports:index")}]
    if division is not None:
        crumbs.append({"label": division.name, "url": reverse("reports:county", args=[division.code])})
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


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_GET
def index(request):
    """Where 统计报表 starts: a county's own rounds, the overview for a city or above, a street's own rows."""
    user = request.user
    _require_reader(user)
    scope = Scope.for_user(user)
    if scope.nothing:
        raise PermissionDenied("您的账号未绑定区划，无法查看统计报表。")
    if not _staff(user):
        return redirect("reports:mine")
    if user.division_id and user.division.level == codes.COUNTY:
        return redirect("reports:county", user.division_id)
    return redirect("reports:overview")  # a city decides on its counties there (and reaches its own roll-up)


@require_GET
def county(request, code: str):
    """A county's (or a city's) rounds of a year: state, lateness, the chases received, the draft to generate."""
    division = _division(request, code)
    user = request.user
    day = services.today()
    year = _year(request, day.year)
    states = services.division_rounds(division, year, day)
    may_prepare = can(user, "reports.prepare", Overdue(division.code))
    initial = {"prepared_by_name": user.display_name, "contact_phone": user.phone}
    for state in states:
        state.generate_form = (
            GenerateForm(initial={**initial, "reference": state.round.reference},
                         prefix=f"r{state.round.reference:%m%d}")
            if may_prepare and state.latest is None else None
        )
    return render(request, "reports/county.html", {
        "county": division,
        "is_city": division.level == codes.CITY,
        "year": year,
        "years": services.report_years(division, day),
        "states": states,
        "others": services.other_tables(division, year, user),
        "may_prepare": may_prepare,
        "reminders": services.reminders_for(division.code, user),
        "sees_drafts": user.is_superuser or user.division_id == division.code,
        "schedule_note": rounds_mod.schedule_note(division.code),
        "breadcrumbs": _crumbs(division),
    })


@require_POST
def generate(request, code: str):
    division = _division(request, code)
    prefix = next((k.split("-")[0] for k in request.POST if k.endswith("-reference")), None)
    form = GenerateForm(request.POST, prefix=prefix)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("reports:county", division.code)
    reference = form.cleaned_data["reference"]
    try:
        report = services.generate(division, reference, request.user,
                                   prepared_by_name=form.cleaned_data["prepared_by_name"],
                                   contact_phone=form.cleaned_data["contact_phone"])
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("reports:county", args=[division.code]) + f"?year={reference.year}")
    messages.success(request, f"已生成{report.round_title}统计表草稿（统计区间 {report.interval_label}），"
                              "请由本单位另一位工作人员审核并报送。")
    return redirect("reports:detail", report.pk)


@require_GET
def mine(request):
    """A street's or a community's page: the sent tables of its county, each showing only its own row."""
    user = request.user
    _require_reader(user)
    if _staff(user) or not user.division_id:
        return redirect("reports:index")
    reports = list(QuarterlyReport.objects.visible_to(user).select_related("division")
                   .order_by("-reference_date", "-version")[:40])
    return render(request, "reports/mine.html", {
        "reports": reports,
        "breadcrumbs": _crumbs(None, "本辖区的行"),
    })


def _own_rows(report: QuarterlyReport, user) -> set[str] | None:
    """The row codes a street / community account sees (None: every row)."""
    if _staff(user):
        return None
    street = codes.pad_code(user.division_id[: codes.PREFIX_LENGTH[codes.STREET]])
    return {street}


@require_GET
def detail(request, report: int):
    report = _report(request, report)
    user = request.user
    only = _own_rows(report, user)
    previous = services.previous_official(report)
    deltas = services.differences(report.data, previous.data if previous else None)
    top, bottom = tables.headers(report.data["columns"])
    live = report.status not in (ReportStatus.SUPERSEDED, ReportStatus.RETURNED)
    rnd = services.rounds_mod.Round(report.year, 0, 0, report.reference_date, report.deadline,
                                    report.period_start - timedelta(days=1))
    state = services.round_states([(report.division_id, report.division.name)], rnd)[0]
    forms = {}
    if only is None:
        if report.status == ReportStatus.DRAFT and can(user, "reports.prepare", report):
            forms["regenerate"] = True
        if report.status == ReportStatus.DRAFT and can(user, "reports.submit", report):
            forms["submit"] = SubmitForm(initial={"reviewer_name": user.display_name})
            forms["same_person"] = report.prepared_by_id == user.pk
        if report.status == ReportStatus.SUBMITTED and user.division_id != report.division_id:
            if can(user, "reports.accept", report):
                forms["accept"] = AcceptForm()
            if can(user, "reports.return", report):
                forms["return"] = ReturnForm()
        if (report.status == ReportStatus.RETURNED and not hasattr(report, "next_version")
                and can(user, "reports.prepare", report)):
            forms["correct"] = CorrectForm(initial={"prepared_by_name": user.display_name,
                                                    "contact_phone": report.contact_phone})
    rows = tables.report_rows(report.data, deltas)
    if only is not None:
        rows = [r for r in rows if r.code in only]
    data = report.data
    return render(request, "reports/detail.html", {
        "report": report,
        "data": data,
        "top": top,
        "bottom": bottom,
        "rows": rows,
        "only_own_rows": only is not None,
        "units": tables.units_line(data["columns"]),
        "targets": tables.targets_line(data),
        "layout_label": tables.layout_label(data),
        "previous": previous,
        "has_deltas": bool(deltas),
        "state": state,
        "versions": services.versions_of(report, user) if only is None else [],
        "events": services.timeline_of(report, user) if only is None else [],
        "forms": forms,
        "newer": None if live else QuarterlyReport.objects.visible_to(user).filter(
            division_id=report.division_id, reference_date=report.reference_date,
            version__gt=report.version).order_by("-version").first(),
        "breadcrumbs": _crumbs(report.division if only is None else None,
                               f"{report.round_title}（第{report.version}版）"),
    })


def _step(request, pk: int, form_class, action, success: str):
    report = _report(request, pk)
    if not _staff(request.user):
        raise PermissionDenied("街道、社区账号只能查看统计表中本辖区的行。")
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        _form_errors(request, form)
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
def submit(request, report: int):
    return _step(request, report, SubmitForm,
                 lambda r, d: services.submit(r, request.user, reviewer_name=d["reviewer_name"], note=d["note"]),
                 "已审核并报送上级。报送后数据固定不变；上级通过后锁定，退回后可更正为新版本。")


@require_POST
def accept(request, report: int):
    return _step(request, report, AcceptForm, lambda r, d: services.accept(r, request.user, note=d["note"]),
                 "已通过。该统计表已锁定。")


@require_POST
def return_table(request, report: int):
    return _step(request, report, ReturnForm,
                 lambda r, d: services.return_table(r, request.user, reason=d["reason"]),
                 "已退回，并记录退回原因。")


@require_POST
def correct(request, report: int):
    return _step(request, report, CorrectForm,
                 lambda r, d: services.correct(r, request.user, reason=d["reason"],
                                               prepared_by_name=d["prepared_by_name"],
                                               contact_phone=d["contact_phone"]),
                 "已生成更正版本草稿，被退回的版本已保留。请核对后由审核人报送。")


@require_POST
def chase(request, code: str):
    user = request.user
    _require_reader(user)
    if not _staff(user):
        raise Http404("区划不存在，或不在您账号所属区划的范围内。")
    division = get_object_or_404(Division.objects.visible_to(user).filter(level__in=(codes.CITY, codes.COUNTY)),
                                 code=code)
    form = ChaseForm(request.POST)
    back = reverse("reports:overview")
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    reference = form.cleaned_data["reference"]
    parent = division.parent_id or ""
    rnd = rounds_mod.round_at(division.code, reference)
    if rnd is not None:
        back += f"?division={parent}&year={rnd.year}&round={rnd.number}"
    try:
        services.chase(division, reference, user, note=form.cleaned_data["note"])
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(request, f"已向{division.name}催报，该区划的工作人员登录后可以看到。")
    return redirect(back)


@require_GET
def export(request, report: int):
    report = _report(request, report)
    if not _staff(request.user):
        raise PermissionDenied("街道、社区账号只能在页面上查看本辖区的行。")
    sheet = tables.report_sheet(report)
    filename = f"{report.division.name}{report.round_title}统计表（第{report.version}版）.xlsx"
    return _xlsx(tables.xlsx.render(sheet), filename)


# --- overview: a city, a province or the country ----------------------------------------------

def _overview_params(request) -> tuple[Division | None, rounds_mod.Round]:
    """(parent division or None for the country, round) from the query string, within scope."""
    user = request.user
    _require_reader(user)
    if not _staff(user):
        raise PermissionDenied("汇总页面仅供民政部门工作人员查看。")
    scope = Scope.for_user(user)
    if scope.nothing:
        raise PermissionDenied("您的账号未绑定区划，无法查看统计报表。")
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
    parent_code = parent.code if parent is not None else None
    default = rounds_mod.latest_due(parent_code, services.today())
    form = RoundForm(request.GET or None)
    rnd = default
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
        if services.FIRST_YEAR <= year <= services.today().year:
            found = rounds_mod.rounds_of(parent_code, year)
            number = form.cleaned_data["round"]
            if 1 <= number <= len(found):
                rnd = found[number - 1]
    return parent, rnd


@require_GET
def overview(request):
    user = request.user
    if (user.is_authenticated and _staff(user) and user.division_id and user.division.level == codes.COUNTY
            and not request.GET.get("division")):
        return redirect("reports:county", user.division_id)
    parent, rnd = _overview_params(request)
    rollup = services.rollup(parent, rnd, user)
    top, bottom = tables.headers(rollup.columns)
    children: list = []  # the divisions this level decides on: a city's counties, a province's cities
    if parent is not None and parent.level in (codes.CITY, codes.PROVINCE):
        level = codes.COUNTY if parent.level == codes.CITY else codes.CITY
        divisions = list(Division.objects.visible_to(user).filter(parent_id=parent.code, level=level).current()
                         .order_by("code").values_list("code", "name"))
        children = services.round_states(divisions, rnd)
        for state in children:
            state.may_chase = state.may_be_chased and can(user, "reports.chase", Overdue(state.code))
            state.chase_form = ChaseForm(initial={"reference": rnd.reference}) if state.may_chase else None
    year_now = services.today().year
    own = None
    if parent is not None and parent.level == codes.CITY:
        own = services.round_states([(parent.code, parent.name)], rnd)[0]
    return render(request, "reports/overview.html", {
        "parent": parent,
        "rollup": rollup,
        "round": rnd,
        "rounds": rounds_mod.rounds_of(parent.code if parent else None, rnd.year),
        "year": rnd.year,
        "years": list(range(year_now, max(services.FIRST_YEAR, year_now - 5) - 1, -1)),
        "top": top,
        "bottom": bottom,
        "rows": tables.rollup_rows(rollup),
        "children": children,
        "children_are_cities": parent is not None and parent.level == codes.PROVINCE,
        "own": own,
        "national": parent is None,
        "schedule_note": rounds_mod.schedule_note(parent.code if parent else None),
        "breadcrumbs": _crumbs(None, f"{rollup.parent_name} {rnd.title}"),
    })


@require_GET
def overview_export(request):
    parent, rnd = _overview_params(request)
    rollup = services.rollup(parent, rnd, request.user)
    unit = (f"{parent.name}{'民政厅' if parent.level == codes.PROVINCE else '民政局'}" if parent is not None
            else "民政部")
    sheet = tables.rollup_sheet(rollup, timezone.localdate(), unit)
    return _xlsx(tables.xlsx.render(sheet), f"{rollup.parent_name}{rnd.title}汇总表.xlsx")


# --- the province's rounds and columns ------------------------------------------------------------

def _province(request) -> Division:
    user = request.user
    _require_reader(user)
    if not _staff(user):
        raise Http404("页面不存在。")
    code = (request.GET.get("division") or request.POST.get("division") or "").strip()
    if not code and user.division_id:
        code = rounds_mod.province_of(user.division_id)
    return get_object_or_404(Division.objects.visible_to(user).filter(level=codes.PROVINCE), code=code)


@require_http_methods(["GET", "POST"])
def rounds(request):
    """The province's reporting rounds; its civil-affairs staff add or remove rounds."""
    province = _province(request)
    user = request.user
    may_edit = can(user, "reports.rounds", ReportingRound(province=province))
    form = AddRoundForm()
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("只有省级民政部门工作人员可以设置本省的报送轮次。")
        try:
            if request.POST.get("remove"):
                row = get_object_or_404(ReportingRound.objects.visible_to(user, "change"),
                                        pk=request.POST["remove"], province=province)
                services.remove_round(user, row)
                messages.success(request, f"已删除报送轮次：{row}。已生成的统计表不受影响。")
                return redirect(f"{reverse('reports:rounds')}?division={province.code}")
            form = AddRoundForm(request.POST)
            if form.is_valid():
                row = services.add_round(user, province, **form.cleaned_data)
                messages.success(request, f"已增加报送轮次：{row}。")
                return redirect(f"{reverse('reports:rounds')}?division={province.code}")
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
    year = services.today().year
    return render(request, "reports/rounds.html", {
        "province": province,
        "rows": list(ReportingRound.objects.visible_to(user).filter(province=province)),
        "rounds": rounds_mod.rounds_of(province.code, year),
        "year": year,
        "schedule_note": rounds_mod.schedule_note(province.code),
        "form": form,
        "may_edit": may_edit,
        "breadcrumbs": _crumbs(None, f"{province.name}报送轮次"),
    })


@require_http_methods(["GET", "POST"])
def columns(request):
    """The province's columns of the table, chosen from the defined indicators."""
    province = _province(request)
    user = request.user
    layout = ColumnLayout.objects.visible_to(user).filter(province=province).first()
    may_edit = can(user, "reports.columns", layout or ColumnLayout(province=province))
    keys, proposed = layout_for(province.code)
    form = ColumnsForm(initial={"columns": list(keys)})
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("只有省级民政部门工作人员可以选择本省统计表的栏目。")
        form = ColumnsForm(request.POST)
        if form.is_valid():
            try:
                services.set_columns(user, province, form.cleaned_data["columns"])
            except services.WorkflowError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "已保存栏目。此后生成的统计表使用新栏目，已生成的统计表保持原栏目。")
                return redirect(f"{reverse('reports:columns')}?division={province.code}")
    return render(request, "reports/columns.html", {
        "province": province,
        "form": form,
        "keys": keys,
        "proposed": proposed,
        "layout_label": PROPOSED_LABEL if proposed else PROVINCE_LABEL,
        "may_edit": may_edit,
        "breadcrumbs": _crumbs(None, f"{province.name}统计表栏目"),
    })

