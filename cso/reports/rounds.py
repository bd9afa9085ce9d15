"""Reporting rounds (轮次): per province, a reference date (截至) and a deadline each, every year.

Seed 000 names three deadlines: before 6/20, 9/20 and 12/20. It gives no reference date; this
product proposes (本平台建议) the last day of the month before each deadline, so that a table can be
complete before it is due. A province may define its own rounds (``ReportingRound`` rows); then
its rows replace the defaults.

The interval of a round is half-open: (previous round's reference date, this round's reference
date]. The previous round of a year's first round is the last round of the year before, so
consecutive rounds tile the calendar with no gap and no overlap.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from cso.regions import codes

SEED_SOURCE = "文件000《关于重点培育发展社区社会组织的实施意见》印发通知：6月20日、9月20日、12月20日前报送"
REFERENCE_PROPOSAL = "截至日期为报送期限前一个月的最后一天（本平台建议，文件未规定）"
# (reference month, reference day, deadline month, deadline day)
DEFAULT_ROUNDS: tuple[tuple[int, int, int, int], ...] = ((5, 31, 6, 20), (8, 31, 9, 20), (11, 30, 12, 20))


def _day(year: int, month: int, day: int) -> date:
    """A month/day in a year; the 29th to 31st of a shorter month fall on its last day."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Round:
    year: int
    number: int  # 1-based, in reference-date order within the year
    count: int  # rounds in the year
    reference: date  # 截至
    deadline: date
    previous_reference: date  # the previous round's reference date (maybe last year)
    is_default: bool = True

    @property
    def period_start(self) -> date:
        """The first day counted: the day after the previous round's reference date."""
        return self.previous_reference + timedelta(days=1)

    @property
    def label(self) -> str:
        return f"第{self.number}轮"

    @property
    def title(self) -> str:
        return f"{self.year}年{self.label}（截至{self.reference.month}月{self.reference.day}日）"

    @property
    def interval_label(self) -> str:
        return f"（{self.previous_reference:%Y-%m-%d}，{self.reference:%Y-%m-%d}］"


def province_of(code: str) -> str:
    return codes.pad_code(code[:2])


def schedule(province_code: str | None) -> tuple[list[tuple[int, int, int, int]], bool]:
    """The province's (reference month, day, deadline month, day) list and whether it is seed 000's default."""
    from .models import ReportingRound

    rows = []
    if province_code:
        rows = list(ReportingRound.objects.filter(province_id=province_of(province_code))
                    .values_list("reference_month", "reference_day", "deadline_month", "deadline_day"))
    if not rows:
        return list(DEFAULT_ROUNDS), True
    return sorted(rows), False


def _make(year: int, items: list, index: int, is_default: bool) -> Round:
    ref_m, ref_d, due_m, due_d = items[index]
    reference = _day(year, ref_m, ref_d)
    deadline = _day(year, due_m, due_d)
    if deadline < reference:  # due early the next year
        deadline = _day(year + 1, due_m, due_d)
    previous = _day(year, *items[index - 1][:2]) if index > 0 else _day(year - 1, *items[-1][:2])
    return Round(year, index + 1, len(items), reference, deadline, previous, is_default)


def rounds_of(code: str | None, year: int) -> list[Round]:
    """The rounds of a year for a division's province, in order."""
    items, is_default = schedule(code)
    return [_make(year, items, i, is_default) for i in range(len(items))]


def round_at(code: str | None, reference: date) -> Round | None:
    """The round of the division's province whose reference date is ``reference`` (None: no such round)."""
    return next((r for r in rounds_of(code, reference.year) if r.reference == reference), None)


def latest_due(code: str | None, day: date) -> Round:
    """The round whose reference date is the latest on or before ``day`` (what overview pages show first)."""
    candidates = [r for y in (day.year - 1, day.year) for r in rounds_of(code, y) if r.reference <= day]
    return candidates[-1]


def schedule_note(code: str | None) -> str:
    items, is_default = schedule(code)
    parts = [f"截至{rm}月{rd}日、{dm}月{dd}日前报送" for rm, rd, dm, dd in items]
    note = "报送轮次：" + "；".join(parts) + "。"
    if is_default:
        note += f"依据：{SEED_SOURCE}；{REFERENCE_PROPOSAL}。"
    else:
        note += "本省自定的报送轮次。"
    return note
