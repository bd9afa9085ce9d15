"""The list of support places (载体) — its filters and its export.

The list is one queryset from ``Place.objects.visible_to(user)`` narrowed by the page's filters (kind, level, division,
offer, text). The export writes it as CSV (``cso.core.csvfiles``: UTF-8 with BOM, no cell runs as a formula) or .xlsx
in constant memory with every text written as a neutralised string. At most ``CSO_EXPORT_SYNC_ROWS`` rows are answered
in the request; a larger list is a background job (``cso.core.jobs``, kind ``support.place_export``): the request
records the filters and answers with the job's page, the worker writes the same file for the same account.
"""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal

import xlsxwriter
from django.db.models import Q
from django.utils import timezone

from cso.accounts.responsibilities import can
from cso.core import csvfiles, exporting, jobs
from cso.regions import codes

from .choices import OFFERS, PlaceKind
from .models import Place

KIND = "support.place_export"
FORMATS = ("csv", "xlsx")
FILTERS = ("kind", "level", "division", "offer", "state", "q")
HEADER = ["名称", "类型", "基地层级", "设施类别", "所在区划", "区划代码", "地址", "面积（㎡）", "开放时间", "提供服务",
          "可容纳", "无偿提供", "运营方", "停用日期"]


def places(user, params):
    """The places the account sees, narrowed by the list's filters (``params``: the page's GET or a job's params)."""
    qs = Place.objects.visible_to(user).select_related("division", "operator")
    if params.get("kind") in PlaceKind.values:
        qs = qs.filter(kind=params["kind"])
    if str(params.get("level", "")).isdigit():
        qs = qs.filter(level=int(params["level"]))
    code = str(params.get("division", "")).strip()
    if code.isdigit() and len(code) == 12:
        qs = qs.within(code[: codes.PREFIX_LENGTH[codes.level_of(code)]])
    if params.get("state") == "open":
        qs = qs.filter(Place.open_q())
    elif params.get("state") == "closed":
        qs = qs.exclude(Place.open_q())
    if params.get("offer") in dict(OFFERS):
        qs = qs.filter(offers__contains=f",{params['offer']},")
    q = str(params.get("q", "")).strip()[:100]
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(address__contains=q))
    return qs.order_by("division_id", "kind", "name", "pk")


def filters(params) -> dict:
    return {k: str(params.get(k, ""))[:100] for k in FILTERS if params.get(k)}


def rows(qs):
    for p in qs.iterator(chunk_size=1000):
        yield [p.name, p.get_kind_display(), p.get_level_display() if p.level else "", p.get_facility_type_display(),
               p.division.name, p.division_id, p.address, p.area, p.opening_hours, "、".join(p.offer_labels),
               p.capacity, "是" if p.free_of_charge else "", p.operator.name if p.operator_id else "",
               p.closed_on.isoformat() if p.closed_on else ""]


def _filename(fmt: str) -> str:
    return f"培育扶持载体名录-{timezone.localdate():%Y%m%d}.{fmt}"


def submit(user, params, fmt: str, back_url: str = ""):
    return jobs.submit(user, KIND, f"导出培育扶持载体名录（.{fmt}）", {**filters(params), "format": fmt},
                       back_url=back_url)


@jobs.runner(KIND)
def run_export(job, progress: jobs.Progress) -> jobs.Output:
    user = job.user
    if not user.is_active or not can(user, "support.place_export"):
        raise jobs.JobFailed("发起导出的账号已停用或已无权导出载体名录。")
    fmt = job.params.get("format")
    if fmt not in FORMATS:
        raise jobs.JobFailed("不支持的导出格式。")
    qs = places(user, job.params)
    progress(0, qs.count(), "正在导出")
    return _file(qs).output(fmt)


def write_xlsx(header, lines, handle, sheet_name: str) -> None:
    """An .xlsx in constant memory: numbers as numbers, everything else as a neutralised string (no formulas, no
    links)."""
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False,
                                            "tmpdir": tempfile.gettempdir()})
    sheet = workbook.add_worksheet(sheet_name)
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for col, title in enumerate(header):
        sheet.set_column(col, col, 30 if col == 0 else 16)
        sheet.write_string(0, col, title, bold)
    for n, row in enumerate(lines, start=1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_string(n, col, "是" if value else "否")
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(n, col, float(value))
            elif isinstance(value, date):
                sheet.write_string(n, col, value.isoformat())
            else:
                sheet.write_string(n, col, csvfiles.neutralise(str(value)))
    sheet.freeze_panes(1, 0)
    workbook.close()


def _file(qs) -> exporting.ListFile:
    return exporting.ListFile(_filename, HEADER, lambda: rows(qs),
                              lambda handle: write_xlsx(HEADER, rows(qs), handle, "载体名录"))


def response(qs, fmt: str):
    return _file(qs).response(fmt)
