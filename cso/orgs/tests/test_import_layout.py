"""Spreadsheets as governments write them: a merged title and blank rows above the header,
formulas whose results the file does not hold."""

from __future__ import annotations

import io

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cso.core import uploads
from cso.core.models import ImportStatus
from cso.orgs import importing
from cso.orgs.tests.test_import import HEADERS, issues, row

TITLE = "兴宁区社区社会组织名录"


def titled_xlsx(rows: list[list], above: list[list]) -> bytes:
    """A workbook with ``above`` (title lines, blank lines) before the header row."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet("名录")
    merged = wb.add_format({"bold": True, "align": "center"})
    r = 0
    for line in above:
        if line and line[0] == TITLE:
            ws.merge_range(r, 0, r, len(HEADERS) - 1, TITLE, merged)
        else:
            for c, value in enumerate(line):
                if value is not None:
                    ws.write(r, c, value)
        r += 1
    ws.write_row(r, 0, HEADERS)
    for values in rows:
        r += 1
        for c, value in enumerate(values):
            if value is not None:
                ws.write(r, c, value)
    wb.close()
    return buffer.getvalue()


def validate(user, data, name="orgs.xlsx"):
    return importing.validate_job(importing.start_job(user, name, data))


def test_the_header_is_found_below_a_merged_title_a_filler_line_and_blank_rows(cast):
    above = [[TITLE], ["填报单位：兴宁区民政局", None, None, "填报日期：2025年6月"], [], []]
    rows = [row(名称="兴宁社区书画协会"), row(名称="兴宁社区坏日期协会", 登记日期="2020-13-45")]
    job = validate(cast["registrar"], titled_xlsx(rows, above))
    assert job.status == ImportStatus.VALIDATED, job.message
    assert (job.total_rows, job.valid_rows) == (2, 1)
    # row numbers stay the spreadsheet's own: title, filler, two blank rows, the header on row 5
    assert issues(job) == {(7, "登记日期")}


def test_a_csv_with_a_title_line_is_read_too(cast):
    lines = [TITLE + ",,,", "", ",".join(HEADERS), ",".join("" if v is None else str(v) for v in row())]
    job = validate(cast["registrar"], ("\r\n".join(lines) + "\r\n").encode(), "orgs.csv")
    assert job.status == ImportStatus.VALIDATED and job.valid_rows == 1, job.report
    assert job.report == [] or all(r["row"] == 4 for r in job.report)


def test_a_sheet_without_any_header_row_names_the_columns_it_looked_for(cast):
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, [TITLE])
    ws.write_row(2, 0, ["单位", "名字", "电话"])
    wb.close()
    job = validate(cast["registrar"], buffer.getvalue())
    assert job.status == ImportStatus.FAILED
    assert "没有找到列标题行" in job.message and "管理方式" in job.message and "第1行" in job.message


def formula_workbook() -> bytes:
    """openpyxl writes formulas without their results (as a program-made file has them)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(row(名称="兴宁社区书画协会"))
    ws.append(row(名称="兴宁社区公式协会"))
    members = HEADERS.index("成员数") + 1
    capital = HEADERS.index("注册资金（元）") + 1
    ws.cell(row=3, column=members, value="=10+25")
    ws.cell(row=3, column=capital, value="=B2*2")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("reader", ["calamine", "fast", "openpyxl"])
def test_a_formula_without_a_stored_value_is_flagged_naming_the_cell(cast, settings, reader):
    settings.CSO_IMPORT_XLSX_READER = reader
    job = validate(cast["registrar"], formula_workbook())
    assert job.status == ImportStatus.VALIDATED, job.message
    assert issues(job) == {(3, "成员数"), (3, "注册资金（元）")}
    reasons = {r["column"]: r["reason"] for r in job.errors}
    members = xlsxwriter.utility.xl_col_to_name(HEADERS.index("成员数"))
    assert f"单元格{members}3是公式" in reasons["成员数"] and "计算结果" in reasons["成员数"]
    assert job.valid_rows == 1


def test_a_formula_with_its_stored_result_is_read_as_the_result(cast):
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, HEADERS)
    values = row(名称="兴宁社区书画协会")
    for c, value in enumerate(values):
        if value is not None:
            ws.write(1, c, value)
    ws.write_formula(1, HEADERS.index("成员数"), "=10+25", None, 35)
    ws.write_formula(1, HEADERS.index("住所"), '=IF(1=1,"兴宁路1号","x")', None, "兴宁路1号")
    wb.close()
    job = validate(cast["registrar"], buffer.getvalue())
    assert job.status == ImportStatus.VALIDATED and job.valid_rows == 1, job.report


def test_an_error_value_is_flagged_naming_the_cell(cast):
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, HEADERS)
    for c, value in enumerate(row()):
        if value is not None:
            ws.write(1, c, value)
    ws.write_formula(1, HEADERS.index("成员数"), "=#REF!+1", None, "#REF!")
    wb.close()
    job = validate(cast["registrar"], buffer.getvalue())
    assert issues(job) == {(2, "成员数")}
    assert "#REF!" in job.errors[0]["reason"]


# --- the header finder, as a property ----------------------------------------------------------
filler = st.lists(st.one_of(st.none(), st.text(alphabet="区社组织名录填报单位日期：0123456789 ", max_size=12)),
                  max_size=5)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(above=st.lists(filler, max_size=8), data_rows=st.integers(min_value=0, max_value=4),
       extra=st.sampled_from(["", "备注", "序号"]))
def test_the_header_is_found_under_any_title_and_blank_rows_and_rows_keep_their_numbers(above, data_rows, extra):
    header = [*HEADERS, extra] if extra else HEADERS
    lines = [*above, header, *([f"协会{i}", "登记"] for i in range(data_rows))]
    table = uploads._header_and_rows(iter(tuple(line) for line in lines), len(lines), importing.is_header_row)
    assert table.header_found
    assert table.header_row == len(above) + 1
    assert table.header[:len(HEADERS)] == HEADERS
    assert [n for n, _ in table.rows] == [len(above) + 2 + i for i in range(data_rows)]


@given(lines=st.lists(filler, min_size=1, max_size=8))
def test_without_a_header_the_first_non_blank_row_is_taken_and_no_row_is_lost(lines):
    non_blank = [i + 1 for i, line in enumerate(lines) if not uploads._blank(line)]
    if not non_blank:
        with pytest.raises(uploads.UploadRefused):
            uploads._header_and_rows(iter(tuple(line) for line in lines), len(lines), importing.is_header_row)
        return
    table = uploads._header_and_rows(iter(tuple(line) for line in lines), len(lines), importing.is_header_row)
    assert not table.header_found and table.header_row == non_blank[0]
    assert [n for n, _ in table.rows] == non_blank[1:]
