"""The quarterly table as an .xlsx workbook in the government layout, printable on one A4 landscape page.

The writer works from a plain structure (``Sheet``) so that a county's table and a city's or a
province's roll-up print the same way: title, 填报单位 / 统计截止日期 / 填报日期, 单位 line, a two-row
header whose group cells are merged, one row per division, the 合计 row, notes, and the 制表人 /
审核人 / 联系电话 line. Print setup: A4 landscape, fit to one page wide and tall, header rows
repeated, centred, narrow margins.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import xlsxwriter

A4 = 9
NAME_WIDTH = 16
NUMBER_WIDTH = 8.5


@dataclass
class Column:
    key: str
    group: str  # upper header cell; columns of one group are merged under it
    label: str  # lower header cell (equal to the group for a one-column group: merged down)
    unit: str
    kind: str  # "count" | "ratio"


@dataclass
class Sheet:
    title: str
    unit_name: str  # 填报单位
    fill_date: date | None  # 填报日期
    as_of: date | None  # 统计截止日期
    first_label: str  # header of the name column: 街道（乡镇） / 县（市、区） / 市（州、盟）
    columns: list[Column]
    rows: list[tuple[str, dict]]  # (name, values by key)
    total: tuple[str, dict]
    prepared_by: str = ""
    reviewer: str = ""
    phone: str = ""
    notes: list[str] = field(default_factory=list)
    sheet_name: str = "统计表"


def _date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _units(columns: list[Column]) -> str:
    seen: list[str] = []
    for column in columns:
        if column.unit and column.unit not in seen:
            seen.append(column.unit)
    return "单位：" + "、".join(seen)


def _groups(columns: list[Column]) -> list[tuple[str, int, int]]:
    """(label, first column index, last column index) of consecutive columns sharing a group."""
    spans: list[tuple[str, int, int]] = []
    for index, column in enumerate(columns):
        if spans and spans[-1][0] == column.group and spans[-1][2] == index - 1:
            spans[-1] = (column.group, spans[-1][1], index)
        else:
            spans.append((column.group, index, index))
    return spans


def _cell(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        try:
            return float(Decimal(value))
        except (ArithmeticError, ValueError):  # shown as text when it is not a number
            return value
    return value


def render(sheet: Sheet) -> bytes:
    """The workbook's bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet(sheet.sheet_name[:31])
    font = {"font_name": "宋体", "font_size": 10}
    title = book.add_format({**font, "bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    plain = book.add_format({**font, "valign": "vcenter"})
    right = book.add_format({**font, "align": "right", "valign": "vcenter"})
    header = book.add_format({**font, "bold": True, "border": 1, "align": "center", "valign": "vcenter",
                              "text_wrap": True, "bg_color": "#F2F2F2"})
    name = book.add_format({**font, "border": 1, "valign": "vcenter", "text_wrap": True})
    count = book.add_format({**font, "border": 1, "num_format": "#,##0", "valign": "vcenter"})
    ratio = book.add_format({**font, "border": 1, "num_format": "0.00", "valign": "vcenter"})
    empty = book.add_format({**font, "border": 1, "align": "center", "valign": "vcenter"})
    total_name = book.add_format({**font, "bold": True, "border": 1, "align": "center", "valign": "vcenter"})
    total_count = book.add_format({**font, "bold": True, "border": 1, "num_format": "#,##0", "valign": "vcenter"})
    total_ratio = book.add_format({**font, "bold": True, "border": 1, "num_format": "0.00", "valign": "vcenter"})
    note = book.add_format({**font, "font_size": 9, "text_wrap": True, "valign": "top"})

    last = len(sheet.columns)  # the name column is 0, numbers 1..last
    ws.set_column(0, 0, NAME_WIDTH)
    ws.set_column(1, last, NUMBER_WIDTH)

    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, last, sheet.title, title)
    third = max(1, (last + 1) // 3)
    _span(ws, 1, 0, third - 1, f"填报单位（盖章）：{sheet.unit_name}", plain)
    _span(ws, 1, third, 2 * third - 1, f"统计截止日期：{_date(sheet.as_of)}", plain)
    _span(ws, 1, 2 * third, last, f"填报日期：{_date(sheet.fill_date)}", right)
    _span(ws, 2, 0, last, _units(sheet.columns), right)

    top, bottom = 3, 4
    ws.set_row(top, 30)
    ws.set_row(bottom, 60)
    ws.merge_range(top, 0, bottom, 0, sheet.first_label, header)
    for label, first, final in _groups(sheet.columns):
        if first == final and sheet.columns[first].label == label:
            ws.merge_range(top, first + 1, bottom, first + 1, _with_unit(label, sheet.columns[first]), header)
            continue
        _span(ws, top, first + 1, final + 1, label, header)
        for index in range(first, final + 1):
            ws.write(bottom, index + 1, _with_unit(sheet.columns[index].label, sheet.columns[index]), header)

    row = bottom + 1
    for row_name, values in sheet.rows:
        ws.write(row, 0, row_name, name)
        _write_values(ws, row, sheet.columns, values, count, ratio, empty)
        row += 1
    total_label, total_values = sheet.total
    ws.write(row, 0, total_label, total_name)
    _write_values(ws, row, sheet.columns, total_values, total_count, total_ratio, empty)
    row += 1

    for text in sheet.notes:
        ws.set_row(row, 26)
        ws.merge_range(row, 0, row, last, text, note)
        row += 1
    row += 1
    parts = [f"制表人：{sheet.prepared_by}", f"审核人：{sheet.reviewer}", f"联系电话：{sheet.phone}"]
    _span(ws, row, 0, third - 1, parts[0], plain)
    _span(ws, row, third, 2 * third - 1, parts[1], plain)
    _span(ws, row, 2 * third, last, parts[2], plain)

    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 1)
    ws.repeat_rows(top, bottom)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.print_area(0, 0, row, last)
    ws.freeze_panes(bottom + 1, 1)
    book.close()
    return buffer.getvalue()


def _span(ws, row: int, first: int, last: int, text: str, fmt) -> None:
    """Write text over columns first..last of a row (merged when more than one)."""
    if last > first:
        ws.merge_range(row, first, row, last, text, fmt)
    else:
        ws.write(row, first, text, fmt)


def _with_unit(label: str, column: Column) -> str:
    return f"{label}（{column.unit}）" if column.unit else label


def _write_values(ws, row, columns, values, count, ratio, empty) -> None:
    for index, column in enumerate(columns):
        value = _cell(values.get(column.key))
        if value is None:
            ws.write_string(row, index + 1, "—", empty)
        else:
            ws.write(row, index + 1, value, count if column.kind == "count" else ratio)
