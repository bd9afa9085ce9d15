"""Properties that hold for any input: lateness against the deadline, the workbook's numbers, and rounds that
tile the calendar (the sum of the rounds' new organizations is every organization founded in between)."""

import io
import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cso.reports import rounds, services
from cso.reports.choices import Timeliness
from cso.reports.xlsx import Column, Sheet, render
from cso.stats import indicators

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


# --- rounds tile the calendar ------------------------------------------------------------------------

month_days = st.tuples(st.integers(1, 12), st.integers(1, 28))


@settings(max_examples=25, deadline=None)
@given(references=st.lists(month_days, min_size=1, max_size=5, unique=True))
def test_consecutive_rounds_leave_no_gap_and_no_overlap(references):
    items = sorted((m, d, m, d) for m, d in references)
    found = [rounds._make(year, items, i, False) for year in (2025, 2026) for i in range(len(items))]
    for before, after in itertools.pairwise(found):
        assert after.period_start == before.reference + timedelta(days=1)
        assert after.previous_reference == before.reference


founding = st.dates(min_value=date(2024, 11, 1), max_value=date(2026, 2, 28))


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(history=st.lists(st.tuples(founding, st.one_of(st.none(), st.integers(1, 200)), st.booleans()),
                        min_size=1, max_size=6),
       references=st.lists(month_days, min_size=1, max_size=4, unique=True))
def test_the_rounds_new_and_ended_organizations_sum_to_those_between_the_first_and_last_reference_date(
        cast, history, references):
    """Over any history of foundings and endings and any rounds of a province, the rounds' "new" add up to the
    organizations founded in (first reference date, last reference date], and their "ended" likewise."""
    from cso.orgs import services as org_services
    from cso.orgs.tests.factories import make_filed
    from cso.regions.models import Division
    from cso.reports.models import ReportingRound

    with transaction.atomic():
        province = Division.objects.get(code="450000000000")
        for m, d in references:
            ReportingRound.objects.create(province=province, reference_month=m, reference_day=d, deadline_month=m,
                                          deadline_day=d)
        founded, ended = [], []
        for i, (day, ends_after, cleared) in enumerate(history):
            org = make_filed(cast["street"], name=f"第{i}文艺队", division="450102001003", filed_on=day)
            founded.append(day)
            if ends_after is not None:
                end = day + timedelta(days=ends_after)
                status = "cleared" if cleared else "deregistered"
                org_services.change_status(org, status, end, "测试", cast["street"])
                ended.append(end)
        found = [r for year in (2025, 2026) for r in rounds.rounds_of("450102000000", year)
                 if r.reference <= date(2026, 2, 28)]
        tiles = found[1:]
        if tiles:
            first, last = found[0].reference, found[-1].reference
            new = ended_sum = 0
            for rnd in tiles:
                values = indicators.compute("450102000000", rnd.reference, period_start=rnd.period_start).parent.values
                new += values["new_in_period"]
                ended_sum += values["deregistered_in_period"] + values["cleared_in_period"]
                assert values["ended_in_period"] == values["deregistered_in_period"] + values["cleared_in_period"]
            assert new == sum(1 for day in founded if first < day <= last)
            assert ended_sum == sum(1 for day in ended if first < day <= last)
        transaction.set_rollback(True)
