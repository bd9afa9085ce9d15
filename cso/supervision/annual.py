"""The rules of the annual report (RULES.md "Annual report"), per province where places differ.

Setting ``CSO_ANNUAL_REPORT_RULES``: ``{"": defaults, "<2-digit province code>": overrides}``; each entry may give

- ``deadline``: "MM-DD" of the year after the report year by which the report is due (default "05-31": many
  localities' 5/31);
- ``registered_before``: "MM-DD" of the report year; organizations registered before it owe a report for that
  year (default "07-01": "registered before 1 July of the report year");
- ``remind_days``: days before the deadline on which organizations with a missing report are reminded
  (default ``[30, 7, 1]``, 本平台建议);
- ``tracks``: which tracks owe a report (default ``["registered"]``: the registered organizations the 民政局
  supervises after registration, seed 000).

``owes_report``, ``deadline`` and ``needs_remediation`` answer for one organization; ``owing``, ``missing`` and
``late`` are querysets (one SQL query each, an anti-join for the missing ones), never a loop over organizations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet

from cso.core.scoping import subtree_q
from cso.orgs.choices import LIVE_STATUSES

DEFAULTS = {"deadline": "05-31", "registered_before": "07-01", "remind_days": [30, 7, 1], "tracks": ["registered"]}


@dataclass(frozen=True)
class Rules:
    deadline_month: int
    deadline_day: int
    cutoff_month: int
    cutoff_day: int
    remind_days: tuple[int, ...]
    tracks: tuple[str, ...]

    def deadline(self, year: int) -> date:
        return _day(year + 1, self.deadline_month, self.deadline_day)

    def cutoff(self, year: int) -> date:
        return _day(year, self.cutoff_month, self.cutoff_day)


def _day(year: int, month: int, day: int) -> date:
    """The date, or the month's last day when the setting names a 29 February of a common year."""
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, 28)


def _month_day(text: str) -> tuple[int, int]:
    month, day = (int(part) for part in str(text).split("-"))
    return month, day


def _configured() -> dict:
    return getattr(settings, "CSO_ANNUAL_REPORT_RULES", None) or {}


def rules_for(province: str | None) -> Rules:
    """The rules of a province (its 2-digit code, or any division code starting with it)."""
    configured = _configured()
    merged = {**DEFAULTS, **configured.get("", {}), **configured.get((province or "")[:2], {})}
    dm, dd = _month_day(merged["deadline"])
    cm, cd = _month_day(merged["registered_before"])
    return Rules(dm, dd, cm, cd, tuple(int(d) for d in merged["remind_days"]), tuple(merged["tracks"]))


def provinces_with_own_rules() -> list[str]:
    return sorted(code for code in _configured() if code)


# --- one organization ------------------------------------------------------------------------------
def _province_of(org) -> str:
    return (org.division_id or "")[:2]


def deadline(org, year: int) -> date:
    """The day the report for ``year`` is due (default: 31 May of the next year)."""
    return rules_for(_province_of(org)).deadline(year)


def owes_report(org, year: int) -> bool:
    """Whether ``org`` owes a report for ``year``: a live organization of a track that reports (registered),
    registered before the cut-off day of that year (default 1 July)."""
    rules = rules_for(_province_of(org))
    if org.track not in rules.tracks or org.status not in LIVE_STATUSES:
        return False
    started = org.registered_on if org.track == "registered" else org.filed_on
    return started is not None and started < rules.cutoff(year)


def previous_result(org, year: int) -> str:
    from .models import AnnualReport, AnnualState

    return (AnnualReport.objects.filter(organization=org, year=year - 1, state=AnnualState.REVIEWED)
            .values_list("result", flat=True).first() or "")


def needs_remediation(org, year: int) -> bool:
    """Last year's conclusion was 基本合格 or 不合格 → this year's report includes a remediation report (Jiaxing)."""
    from .models import Conclusion

    return previous_result(org, year) in (Conclusion.BASIC, Conclusion.FAIL)


def is_late(org, year: int, on: date) -> bool:
    return on > deadline(org, year)


# --- querysets (scale: one query, no loop over organizations) -------------------------------------------
def _owing_q(year: int) -> Q:
    """Organizations owing a report for ``year``, the rules of each configured province applied to its subtree."""
    own = provinces_with_own_rules()

    def clause(rules: Rules) -> Q:
        q = Q(pk__in=[])
        for track in rules.tracks:
            started = "registered_on" if track == "registered" else "filed_on"
            q |= Q(track=track, **{f"{started}__lt": rules.cutoff(year)})
        return q

    q = Q(pk__in=[])
    for province in own:
        q |= subtree_q("division", province) & clause(rules_for(province))
    rest = clause(rules_for(None))
    for province in own:
        rest &= ~subtree_q("division", province)
    return (q | rest) & Q(status__in=LIVE_STATUSES)


def owing(orgs: QuerySet, year: int) -> QuerySet:
    """The organizations of ``orgs`` (an Organization queryset, already scoped) that owe a report for ``year``."""
    return orgs.filter(_owing_q(year))


def missing(orgs: QuerySet, year: int) -> QuerySet:
    """Those owing a report for ``year`` that have not submitted one (no report, or only a draft)."""
    from .models import FILED_STATES, AnnualReport

    filed = AnnualReport.objects.filter(year=year, state__in=FILED_STATES).values("organization_id")
    return owing(orgs, year).exclude(pk__in=filed)


def late(reports: QuerySet, year: int) -> QuerySet:
    """The reports of ``year`` (an AnnualReport queryset, already scoped) submitted after their deadline."""
    return reports.filter(year=year, late=True)


def overdue(year: int, today: date, province: str | None = None) -> bool:
    """Whether the deadline for ``year`` has passed on ``today`` (in ``province``)."""
    return today > rules_for(province).deadline(year)


def current_year(today: date, province: str | None = None) -> int:
    """The report year being filed on ``today``: the last year until its deadline has passed (reports may still be
    filed late), so simply the previous calendar year."""
    return today.year - 1
