"""Properties that hold for any input: lateness against the deadline, and the workbook's numbers."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from cso.reports import services
from cso.reports.choices import Timeliness
from cso.reports.xlsx import Column, Sheet, render

SHANGHAI = ZoneInfo("Asia/Shanghai")
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(SHANGHAI))


@given(due=days, submitted=moments, today=days)
def test_a_submission_is_on_time_exactly_when_made_by_the_end_of_the_deadline_day(due, submitted, today):
    status, late = services.timeliness(submitted, due, today)
    submitted_on = timezone.localdate(submitted)
    if submitted_on <= due:
        assert (status, late) == (Timeliness.ON_TIME, 0)
    else:
        assert status == Timeliness.SUBMITTED_LATE and late == (submitted_on - due).days > 0


@given(due=days, today=days)
def test_without_a_submission_a_quarter_is_overdue_exactly_after_the_deadline(due, today):
    status, late = services.timeliness(None, due, today)
    assert (status == Timeliness.OVERDUE) == (today > due)
    assert late == max((today - due).days, 0)
    assert services.timeliness(None, due, due + timedelta(days=1))[0] == Timeliness.OVERDUE


COLUMNS = [Column("a", "组", "甲", "个", "count"), Column("b", "组", "乙", "个", "count"),
           Column("r", "比率", "比率", "%", "ratio")]


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1, max_size=40))
def test_the_workbook_keeps_every_number_and_its_total(rows):
    data = [(f"第{i}街道", {"a": a, "b": b, "r": "12.5"}) for i, (a, b) in enumerate(rows)]
    total = {"a": sum(a for a, _ in rows), "b": sum(b for _, b in rows), "r": "12.5"}
    sheet = Sheet(title="表", unit_name="单位", fill_date=date(2025, 7, 1), as_of=date(2025, 6, 30),
                  first_label="街道（乡镇）", columns=COLUMNS, rows=data, total=("合计", total))
    ws = openpyxl.load_workbook(io.BytesIO(render(sheet))).active
    first = 6
    last = first + len(rows)
    assert ws.cell(last, 1).value == "合计"
    for col in (2, 3):
        assert ws.cell(last, col).value == sum(ws.cell(r, col).value for r in range(first, last))
    assert [ws.cell(r, 2).value for r in range(first, last)] == [a for a, _ in rows]
