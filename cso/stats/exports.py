"""Exports of the indicator table and the community list (.xlsx and .csv, the same numbers as the
pages). The tables are small (one row per child division, or one page-independent pass over the
communities of a subtree), written in memory."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import xlsxwriter
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.http import content_disposition_header

from cso.core import csvfiles, jobs

from .indicators import INDICATORS, CommunityList, StatsResult

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COMMUNITY_ROWS = 200_000


def _filename(stem: str, fmt: str) -> str:
    return f"{stem}_{timezone.localdate():%Y%m%d}.{fmt}"


def _attachment(content: bytes, stem: str, fmt: str) -> HttpResponse:
    return HttpResponse(content, content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8",
                        headers={"Content-Disposition": content_disposition_header(True, _filename(stem, fmt))})


def _csv(header: list[str], rows: list[list], stem: str) -> HttpResponse:
    """A .csv through the one CSV writer (a BOM for Excel, empty cells for missing values, no formulas)."""
    return _attachment("".join(csvfiles.lines(header, rows)).encode("utf-8"), stem, "csv")


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def indicator_table(result: StatsResult) -> tuple[list[str], list[list]]:
    """Header and rows (children, then the total) of the indicator table."""
    indicators = [*INDICATORS.values(), *result.dynamic]
    header = ["区划代码", "区划名称", *[f"{i.label}（{i.unit}）" for i in indicators]]
    rows = []
    for row in [*result.rows, result.parent]:
        name = row.name if row is not result.parent else f"合计（{row.name}）"
        rows.append([row.code, name, *[row.values.get(i.key) for i in indicators]])
    return header, rows


def indicators_response(result: StatsResult, fmt: str) -> HttpResponse:
    header, rows = indicator_table(result)
    title = f"{result.parent.name}社会组织统计指标"
    notes = [
        f"截至日期：{result.day:%Y年%m月%d日}；本期：{result.period_start:%Y年%m月%d日}至{result.day:%Y年%m月%d日}",
        f"城市社区口径：{result.urban_rule_label}",
        "比例类指标按各行自身数据计算，不是下级数值之和。",
    ]
    if fmt == "csv":
        return _csv(header, rows, title)
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet("统计指标")
    bold = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "text_wrap": True, "border": 1, "align": "center", "valign": "vcenter"})
    cell = book.add_format({"border": 1})
    total = book.add_format({"border": 1, "bold": True})
    sheet.write(0, 0, title, bold)
    for i, note in enumerate(notes, start=1):
        sheet.write(i, 0, note)
    top = len(notes) + 2
    sheet.write_row(top, 0, header, head)
    sheet.set_row(top, 48)
    for r, row in enumerate(rows, start=top + 1):
        fmt_ = total if r == top + len(rows) else cell
        for c, value in enumerate(row):
            sheet.write(r, c, _plain(value) if value is not None else "", fmt_)
    sheet.set_column(0, 0, 15)
    sheet.set_column(1, 1, 22)
    sheet.set_column(2, len(header) - 1, 11)
    sheet.freeze_panes(top + 1, 2)
    book.close()
    return _attachment(output.getvalue(), title, "xlsx")


COMMUNITY_HEADER = ["区划代码", "社区（村）名称", "城乡", "常住人口（人）", "户数（户）", "设施面积（㎡）",
                    "每百户设施面积（㎡）", "设施面积达标", "社区社会组织数（个）", "目标（个）", "差距（个）",
                    "组织数达标", "缺少的类别", "缺少的服务对象"]


def community_rows(rows: CommunityList) -> list[list]:
    found = []
    for c in rows[0:MAX_COMMUNITY_ROWS]:
        found.append([
            c.code, c.name, c.urban_label, c.population, c.households, c.facility_area, c.facility_per_100,
            "是" if c.facility_ok else "否", c.cso, c.target, c.gap,
            {True: "是", False: "否"}.get(c.at_target, "—"), "、".join(c.categories_missing),
            "、".join(c.targets_missing),
        ])
    return found


def communities_response(rows: CommunityList, fmt: str, day: date) -> HttpResponse:
    data = community_rows(rows)
    name = rows.parent.name if rows.parent else "全国"
    title = f"{name}社区（村）社区社会组织情况"
    if fmt == "csv":
        return _csv(COMMUNITY_HEADER, data, title)
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("社区")
    head = book.add_format({"bold": True, "border": 1, "text_wrap": True})
    sheet.write(0, 0, f"{title}（截至{day:%Y年%m月%d日}）", book.add_format({"bold": True, "font_size": 14}))
    sheet.write_row(2, 0, COMMUNITY_HEADER, head)
    for r, row in enumerate(data, start=3):
        sheet.write_row(r, 0, [_plain(v) if v is not None else "" for v in row])
    sheet.set_column(0, 0, 15)
    sheet.set_column(1, 1, 24)
    sheet.set_column(12, 13, 40)
    book.close()
    return _attachment(output.getvalue(), title, "xlsx")


# --- the community list in the background ----------------------------------------------------------
COMMUNITIES_KIND = "stats.communities_export"


def submit_communities(user, query, fmt: str, back_url: str = ""):
    """Export a large community list in the background (``run_communities_export``)."""
    return jobs.submit(user, COMMUNITIES_KIND, f"导出社区（村）社区社会组织情况（.{fmt}）",
                       {"query": query.urlencode(), "format": fmt}, back_url=back_url)


@jobs.runner(COMMUNITIES_KIND)
def run_communities_export(job, progress):
    from .forms import CommunityFilterForm
    from .views import _period_form

    fmt = job.params.get("format")
    if fmt not in ("csv", "xlsx") or not job.user.is_active:
        raise jobs.JobFailed("导出请求无效或账号已停用。")
    request = SimpleNamespace(user=job.user, GET=QueryDict(job.params.get("query", "")))
    form, code, day, _start = _period_form(request, CommunityFilterForm)
    rows = CommunityList(code, day, user=job.user, **form.filters())
    progress(0, min(len(rows), MAX_COMMUNITY_ROWS), "正在导出")
    response = communities_response(rows, fmt, day)
    name = f"{(rows.parent.name if rows.parent else '全国')}社区（村）社区社会组织情况"
    return jobs.Output(_filename(name, fmt), response["Content-Type"], response.content)

