"""The table of a reporting round: the upward approval chain, lateness, chasing, the difference from
the previous round and roll-ups.

Everything here is testable without HTTP; every step asks the responsibilities table
(``cso.accounts.responsibilities.require``) first. Numbers come only from the statistics engine
(``cso.stats.indicators.compute``): a draft stores the engine's result as it is; a submitted table is
never recomputed; a roll-up sums the count indicators of the tables and lets the engine recompute
the ratios from the summed parts.

The chain, for a county's table (and the same for a city's roll-up, one level up):
  (none) → draft       制表: the county clerk generates it (and may regenerate it while a draft)
  draft → submitted    审核并报送: another account of the county reviews and sends it up
  submitted → accepted 通过: the city accepts it; it is locked
  submitted → returned 退回: the city returns it with a reason; the county corrects it as version n+1
Nobody decides on their own division's table, and the preparer never reviews their own table.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Exists, OuterRef, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from cso.accounts.responsibilities import require
from cso.core.validators import validate_phone
from cso.regions import codes
from cso.regions.models import Division
from cso.stats import indicators
from cso.stats.targets import effective_targets

from . import rounds as rounds_mod
from .choices import ROUND_STATE_BADGES, STATUS_BADGES, EventKind, ReportStatus, RoundState, Timeliness
from .columns import COLUMN_KEYS, GROUP_OF, SHORT_LABELS, choosable, layout_for
from .models import SENT, ColumnLayout, Overdue, QuarterlyReport, Reminder, ReportEvent, ReportingRound

SCHEMA = 2
FIRST_YEAR = 2000
# Versions counted in roll-ups: sent up and not returned.
COUNTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.SUPERSEDED)


class WorkflowError(Exception):
    """A step that is not allowed in the table's present state; the message is for people."""


# --- dates ------------------------------------------------------------------------------------

def today() -> date:
    return timezone.localdate()


def round_of(division_code: str, reference: date) -> rounds_mod.Round:
    found = rounds_mod.round_at(division_code, reference)
    if found is None:
        raise WorkflowError(f"本省没有截至 {reference:%Y-%m-%d} 的报送轮次。")
    return found


def check_round(rnd: rounds_mod.Round, day: date | None = None) -> None:
    day = day or today()
    if not FIRST_YEAR <= rnd.year <= day.year:
        raise WorkflowError(f"年度须在 {FIRST_YEAR} 年至 {day.year} 年之间。")
    if rnd.reference > day:
        raise WorkflowError(f"{rnd.title}的截至日期 {rnd.reference:%Y-%m-%d} 尚未到，不能生成统计表。")


# --- the frozen table -------------------------------------------------------------------------

def _jsonable(value):
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return str(Decimal(str(value)))
    return value


def number(value):
    """A stored value back as a number: ints stay ints, ratio strings become Decimals."""
    if value is None or isinstance(value, (int, Decimal)):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    try:
        return Decimal(value)
    except (ArithmeticError, ValueError, TypeError):
        return None


def _definition(key: str) -> dict:
    ind = indicators.INDICATORS[key]
    return {
        "key": key, "label": ind.label, "short": SHORT_LABELS.get(key, ind.label),
        "group": GROUP_OF.get(key, ind.label if key not in SHORT_LABELS else ""),
        "unit": ind.unit, "kind": ind.kind, "meaning": ind.meaning, "formula": ind.formula,
    }


def _kinds(values: dict) -> dict[str, str]:
    kinds = {}
    for key in values:
        ind = indicators.INDICATORS.get(key)
        kinds[key] = ind.kind if ind is not None else "count"  # dynamic category:/target: keys are counts
    return kinds


def _row(stats) -> dict:
    return {"code": stats.code, "name": stats.name, "level": stats.level,
            "direct": bool(getattr(stats, "is_direct", False)),  # organizations placed on the county itself
            "values": {key: _jsonable(value) for key, value in stats.values.items()}}


def columns_for(division_code: str) -> tuple[list[dict], bool]:
    keys, proposed = layout_for(rounds_mod.province_of(division_code))
    return [_definition(key) for key in keys], proposed


def build_table(county: Division, as_of: date, period_start: date) -> dict:
    """The engine's table for a county (one row per street/township and the total), ready to freeze.
    New and ended organizations are counted from ``period_start`` to ``as_of``, both included — the
    half-open interval (period_start − 1 day, as_of]."""
    result = indicators.compute(county.code, as_of, period_start=period_start)
    columns, proposed = columns_for(county.code)
    return {
        "schema": SCHEMA,
        "county": {"code": county.code, "name": county.name},
        "as_of": as_of.isoformat(),
        "period_start": period_start.isoformat(),
        "columns": columns,
        "proposed_layout": proposed,
        "kinds": _kinds(result.parent.values),
        "rows": [_row(row) for row in result.rows],
        "total": _row(result.parent),
        "urban_rule": result.urban_rule,
        "urban_rule_label": result.urban_rule_label,
        "targets": {key: _jsonable(value) for key, value in result.targets.items()},
        "target_sources": {key: tv.source_label for key, tv in effective_targets(county.code, as_of.year).items()},
    }


def build_city_table(city: Division, rnd: rounds_mod.Round, user) -> dict:
    """A city's roll-up of its counties' accepted tables of the round: one row per county, the total summed
    from their counts and the ratios recomputed. Every current county must have an accepted table."""
    counties = list(Division.objects.filter(parent_id=city.code, level=codes.COUNTY).current()
                    .order_by("code").values_list("code", "name"))
    if not counties:
        raise WorkflowError(f"{city.name}没有下辖的县（市、区）。")
    accepted = {t.division_id: t for t in QuarterlyReport.objects.filter(
        division_id__in=[c for c, _ in counties], reference_date=rnd.reference, status=ReportStatus.ACCEPTED)}
    missing = [name for code, name in counties if code not in accepted]
    if missing:
        raise WorkflowError(f"以下县（市、区）的统计表尚未通过，不能生成汇总表：{'、'.join(missing)}。")
    columns, proposed = columns_for(city.code)
    keys = rollup_keys(columns)
    rows, grand = [], {}
    for code, name in counties:
        counts = {k: int(v) for k, v in (accepted[code].totals or {}).items() if k in keys and isinstance(v, int)}
        for k, v in counts.items():
            grand[k] = grand.get(k, 0) + v
        rows.append({"code": code, "name": name, "level": codes.COUNTY, "direct": False, "report": accepted[code].pk,
                     "version": accepted[code].version,
                     "values": {k: _jsonable(v) for k, v in with_ratios(counts).items()}})
    labels = sorted({t.urban_rule_label for t in accepted.values() if t.urban_rule_label})
    return {
        "schema": SCHEMA,
        "county": {"code": city.code, "name": city.name},
        "as_of": rnd.reference.isoformat(),
        "period_start": rnd.period_start.isoformat(),
        "columns": columns,
        "proposed_layout": proposed,
        "kinds": dict.fromkeys(keys, "count"),
        "rows": rows,
        "total": {"code": city.code, "name": city.name, "level": codes.CITY, "direct": False,
                  "values": {k: _jsonable(v) for k, v in with_ratios(dict(grand)).items()}},
        "urban_rule": "",
        "urban_rule_label": "；".join(labels),
        "targets": {},
    }


def _set_table(report: QuarterlyReport, data: dict) -> None:
    report.data = data
    values = data["total"]["values"]
    report.totals = {key: values.get(key) for key in rollup_keys(data["columns"])}
    report.urban_rule_label = data.get("urban_rule_label", "")[:200]


# --- events -----------------------------------------------------------------------------------

def _who(user) -> str:
    division = getattr(user, "division", None)
    return division.name if division is not None else ""


def _event(report: QuarterlyReport, kind: str, user, note: str = "") -> ReportEvent:
    return ReportEvent.objects.create(
        report=report, division_id=report.division_id, kind=kind, user=user, user_name=user.display_name,
        user_division=_who(user), note=note,
    )


def _locked(report: QuarterlyReport) -> QuarterlyReport:
    return QuarterlyReport.objects.select_for_update().select_related("division").get(pk=report.pk)


def _clean_name(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise WorkflowError(f"请填写{label}姓名。")
    if len(value) > 50:
        raise WorkflowError(f"{label}姓名不能超过 50 个字。")
    return value


def _clean_phone(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return validate_phone(value)
    except ValidationError as exc:
        raise WorkflowError(exc.messages[0]) from exc


def _reason(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise WorkflowError(f"请填写{label}。")
    return value


# --- the chain --------------------------------------------------------------------------------

def live_version(division_code: str, reference: date) -> QuarterlyReport | None:
    return (QuarterlyReport.objects.filter(division_id=division_code, reference_date=reference)
            .exclude(status__in=(ReportStatus.SUPERSEDED, ReportStatus.RETURNED)).first())


def latest_version(division_code: str, reference: date) -> QuarterlyReport | None:
    return (QuarterlyReport.objects.filter(division_id=division_code, reference_date=reference)
            .order_by("-version").first())


def _table_for(division: Division, rnd: rounds_mod.Round, user) -> dict:
    if division.level == codes.COUNTY:
        return build_table(division, rnd.reference, rnd.period_start)
    return build_city_table(division, rnd, user)


@transaction.atomic
def generate(division: Division, reference: date, user, *, prepared_by_name: str = "",
             contact_phone: str = "", day: date | None = None) -> QuarterlyReport:
    """制表: generate the round's draft (regenerate it when a draft exists already)."""
    if division.level not in (codes.COUNTY, codes.CITY):
        raise WorkflowError("统计表由县（市、区）生成，汇总表由市生成。")
    require(user, "reports.prepare", Overdue(division.code))
    day = day or today()
    rnd = round_of(division.code, reference)
    check_round(rnd, day)
    latest = latest_version(division.code, reference)
    if latest is not None and latest.status == ReportStatus.DRAFT:
        return regenerate(latest, user, prepared_by_name=prepared_by_name, contact_phone=contact_phone)
    if latest is not None and latest.status != ReportStatus.RETURNED:
        raise WorkflowError(f"{rnd.title}的统计表{latest.get_status_display()}，不能再生成。")
    if latest is not None:
        raise WorkflowError("该统计表已被退回，请在退回的统计表页面更正（生成新版本）。")
    report = QuarterlyReport(
        division=division, year=rnd.year, reference_date=rnd.reference, deadline=rnd.deadline,
        round_label=rnd.label, version=1, status=ReportStatus.DRAFT, as_of=rnd.reference,
        period_start=rnd.period_start, generated_at=timezone.now(), prepared_by=user,
        prepared_by_name=_clean_name(prepared_by_name or user.display_name, "制表人"),
        contact_phone=_clean_phone(contact_phone or user.phone),
    )
    _set_table(report, _table_for(division, rnd, user))
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise WorkflowError("该轮的统计表刚刚已由他人生成，请刷新页面后再操作。") from exc
    _event(report, EventKind.GENERATED, user, f"统计区间 {rnd.interval_label}")
    return report


@transaction.atomic
def regenerate(report: QuarterlyReport, user, *, prepared_by_name: str = "", contact_phone: str = "",
               day: date | None = None) -> QuarterlyReport:
    require(user, "reports.prepare", report)
    report = _locked(report)
    if report.status != ReportStatus.DRAFT:
        raise WorkflowError(f"该统计表{report.get_status_display()}，只有草稿可以重新生成。")
    rnd = rounds_mod.Round(report.year, 0, 0, report.reference_date, report.deadline,
                           report.period_start - timedelta(days=1))
    _set_table(report, _table_for(report.division, rnd, user))
    report.generated_at = timezone.now()
    report.prepared_by = user
    report.prepared_by_name = _clean_name(prepared_by_name or report.prepared_by_name or user.display_name, "制表人")
    report.contact_phone = _clean_phone(contact_phone or report.contact_phone)
    report.save()
    _event(report, EventKind.REGENERATED, user, f"统计区间 {report.interval_label}")
    return report


@transaction.atomic
def submit(report: QuarterlyReport, user, *, reviewer_name: str = "", note: str = "") -> QuarterlyReport:
    """审核并报送: a reviewer of the division (not the preparer) sends the draft up; its data never changes again."""
    require(user, "reports.submit", report)
    report = _locked(report)
    if report.status != ReportStatus.DRAFT:
        raise WorkflowError(f"该统计表{report.get_status_display()}，只有草稿可以审核报送。")
    if report.prepared_by_id is not None and report.prepared_by_id == user.pk:
        raise WorkflowError("制表人和审核人须为不同的账号：请由本单位另一位工作人员审核并报送。")
    report.send_up()
    report.reviewer = user
    report.reviewer_name = _clean_name(reviewer_name or user.display_name, "审核人")
    report.reviewed_at = report.submitted_at = timezone.now()
    report.submitted_by = user
    report.save()
    submitted_on = timezone.localdate(report.submitted_at)
    late = (f"（逾期 {(submitted_on - report.deadline).days} 天）"
            if submitted_on > report.deadline and report.version == 1 else "")
    _event(report, EventKind.SUBMITTED, user, ((note or "").strip() + late).strip())
    return report


def _require_above(user, action: str, report: QuarterlyReport) -> None:
    require(user, action, report)
    if user.division_id == report.division_id:  # also for accounts without a division row in the table
        raise PermissionDenied("不能审批本级的统计表。")


@transaction.atomic
def accept(report: QuarterlyReport, user, *, note: str = "") -> QuarterlyReport:
    """通过: the level above accepts a submitted table; from now on it is locked."""
    _require_above(user, "reports.accept", report)
    report = _locked(report)
    if report.status != ReportStatus.SUBMITTED:
        raise WorkflowError(f"该统计表{report.get_status_display()}，只有已报送、待审批的统计表可以通过。")
    report.accept()
    report.decided_by, report.decided_at = user, timezone.now()
    report.save()
    _event(report, EventKind.ACCEPTED, user, (note or "").strip())
    return report


@transaction.atomic
def return_table(report: QuarterlyReport, user, *, reason: str) -> QuarterlyReport:
    """退回: the level above returns a submitted table with a reason; the division corrects it."""
    _require_above(user, "reports.return", report)
    reason = _reason(reason, "退回原因")
    report = _locked(report)
    if report.status != ReportStatus.SUBMITTED:
        raise WorkflowError(f"该统计表{report.get_status_display()}，只有已报送、待审批的统计表可以退回。")
    report.send_back()
    report.decided_by, report.decided_at, report.return_reason = user, timezone.now(), reason
    report.save()
    _event(report, EventKind.RETURNED, user, reason)
    return report


@transaction.atomic
def correct(report: QuarterlyReport, user, *, reason: str = "", prepared_by_name: str = "", contact_phone: str = "",
            day: date | None = None) -> QuarterlyReport:
    """Correct a returned table: version n+1, a fresh draft from the registry; version n is kept."""
    require(user, "reports.prepare", report)
    report = _locked(report)
    if report.status != ReportStatus.RETURNED:
        raise WorkflowError(f"该统计表{report.get_status_display()}，只有被退回的统计表可以更正。")
    if hasattr(report, "next_version"):
        raise WorkflowError(f"已有第{report.next_version.version}版更正。")
    reason = (reason or "").strip() or f"按退回意见更正：{report.return_reason}"
    rnd = rounds_mod.Round(report.year, 0, 0, report.reference_date, report.deadline,
                           report.period_start - timedelta(days=1))
    new = QuarterlyReport(
        division=report.division, year=report.year, reference_date=report.reference_date,
        deadline=report.deadline, round_label=report.round_label, version=report.version + 1,
        status=ReportStatus.DRAFT, as_of=report.as_of, period_start=report.period_start,
        generated_at=timezone.now(), prepared_by=user,
        prepared_by_name=_clean_name(prepared_by_name or user.display_name, "制表人"),
        contact_phone=_clean_phone(contact_phone or report.contact_phone), correction_reason=reason,
        previous_version=report,
    )
    _set_table(new, _table_for(report.division, rnd, user))
    new.save()
    _event(new, EventKind.CORRECTED, user, f"更正第{report.version}版：{reason}")
    return new


@transaction.atomic
def chase(division: Division, reference: date, user, *, note: str = "", day: date | None = None) -> Reminder:
    """催报: the level above chases a division whose table of a round is late (no table sent by the deadline,
    or a returned table not yet sent again)."""
    require(user, "reports.chase", Overdue(division.code))
    if user.division_id == division.code:
        raise PermissionDenied("不能催报本级。")
    day = day or today()
    rnd = round_of(division.code, reference)
    if day <= rnd.deadline:
        raise WorkflowError(f"{rnd.title}的报送期限 {rnd.deadline:%Y-%m-%d} 尚未过，不需要催报。")
    live = live_version(division.code, reference)
    if live is not None and live.status in SENT:
        raise WorkflowError(f"{division.name}已报送该轮统计表，不需要催报。")
    text = (note or "").strip() or f"{rnd.title}的统计表已逾期，请尽快报送。"
    return Reminder.objects.create(division=division, reference_date=reference, user=user,
                                   user_name=user.display_name, user_division=_who(user), note=text[:500])


def reminders_for(division_code: str, user, limit: int = 10) -> list[Reminder]:
    """The chases addressed to a division (its notices), newest first."""
    return list(Reminder.objects.visible_to(user).filter(division_id=division_code)[:limit])


# --- where a division's round stands ------------------------------------------------------------

STATE_FIELDS = ("pk", "division_id", "year", "reference_date", "version", "status", "as_of", "period_start",
                "submitted_at")


@dataclass
class ReportRef:
    """The few facts of one version that the lists need (read as plain values, not model instances)."""

    pk: int
    division_id: str
    year: int
    reference_date: date
    version: int
    status: str
    as_of: date
    period_start: date
    submitted_at: datetime | None

    def get_status_display(self) -> str:
        return ReportStatus(self.status).label

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES[self.status]


@dataclass
class RoundStatus:
    """One division's round: its versions, its state in the chain and its lateness."""

    code: str
    name: str
    round: rounds_mod.Round
    live: ReportRef | None = None  # the version in progress (draft, submitted, accepted)
    latest: ReportRef | None = None
    official: ReportRef | None = None  # the newest version sent up and not returned
    first_submitted_at: datetime | None = None
    versions: int = 0
    reminders: int = 0
    timeliness: str = Timeliness.NOT_DUE
    days_late: int = 0

    @property
    def deadline(self) -> date:
        return self.round.deadline

    @property
    def state(self) -> str:
        if self.latest is None:
            return RoundState.NOT_STARTED
        if self.latest.status == ReportStatus.RETURNED or (
                self.latest.status == ReportStatus.DRAFT and self.latest.version > 1 and self.official is None):
            return RoundState.RETURNED
        if self.latest.status in (ReportStatus.SUPERSEDED, ReportStatus.SUBMITTED):
            return RoundState.SUBMITTED
        return RoundState(self.latest.status)

    @property
    def state_label(self) -> str:
        label = RoundState(self.state).label
        if self.state == RoundState.RETURNED and self.latest.status == ReportStatus.DRAFT:
            label += f"（第{self.latest.version}版更正中）"
        return label

    @property
    def state_badge(self) -> str:
        return ROUND_STATE_BADGES[self.state]

    @property
    def timeliness_label(self) -> str:
        return Timeliness(self.timeliness).label

    @property
    def is_late(self) -> bool:
        return self.timeliness in (Timeliness.OVERDUE, Timeliness.SUBMITTED_LATE)

    @property
    def awaits_decision(self) -> bool:
        return self.latest is not None and self.latest.status == ReportStatus.SUBMITTED

    @property
    def may_be_chased(self) -> bool:
        return self.timeliness == Timeliness.OVERDUE or (
            self.state == RoundState.RETURNED and today() > self.round.deadline)

    # older templates
    @property
    def status_label(self) -> str:
        return self.state_label


def _day_end(day: date) -> datetime:
    """The first moment after ``day`` ends, in the site's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))


def timeliness(first_submitted_at: datetime | None, due: date, day: date,
               due_end: datetime | None = None) -> tuple[str, int]:
    """(Timeliness, days late). Late = not submitted by the deadline, or submitted after it."""
    if first_submitted_at is not None:
        if first_submitted_at < (due_end or _day_end(due)):
            return Timeliness.ON_TIME, 0
        return Timeliness.SUBMITTED_LATE, (timezone.localdate(first_submitted_at) - due).days
    if day > due:
        return Timeliness.OVERDUE, (day - due).days
    return Timeliness.NOT_DUE, 0


def _refs(queryset):
    return (ReportRef(*values) for values in queryset.order_by("division_id", "reference_date", "version")
            .values_list(*STATE_FIELDS))


def _absorb(state: RoundStatus, ref: ReportRef) -> None:
    state.versions += 1
    state.latest = ref  # ascending versions: the newest wins
    if ref.status not in (ReportStatus.SUPERSEDED, ReportStatus.RETURNED):
        state.live = ref
    if ref.status in COUNTED and ref.submitted_at is not None:
        state.official = ref
    if ref.submitted_at is not None and (state.first_submitted_at is None
                                         or ref.submitted_at < state.first_submitted_at):
        state.first_submitted_at = ref.submitted_at


def round_states(divisions: list[tuple[str, str]], rnd: rounds_mod.Round, day: date | None = None) -> list[RoundStatus]:
    """The state of one round for each (code, name) division, in two queries."""
    day = day or today()
    states = {code: RoundStatus(code, name, rnd) for code, name in divisions}
    if len(states) > 500:  # a whole country or a large province: read the round, not a long IN list
        queryset = QuarterlyReport.objects.filter(reference_date=rnd.reference)
    else:
        queryset = QuarterlyReport.objects.filter(reference_date=rnd.reference, division_id__in=list(states))
    for ref in _refs(queryset):
        state = states.get(ref.division_id)
        if state is not None:
            _absorb(state, ref)
    if len(states) <= 500:
        counts = (Reminder.objects.filter(reference_date=rnd.reference, division_id__in=list(states))
                  .values_list("division_id").order_by())
        for (code,) in counts:
            states[code].reminders += 1
    due_end = _day_end(rnd.deadline)
    for state in states.values():
        state.timeliness, state.days_late = timeliness(state.first_submitted_at, rnd.deadline, day, due_end)
    return list(states.values())


def division_rounds(division: Division, year: int, day: date | None = None) -> list[RoundStatus]:
    """The rounds of a year for one division (rounds whose reference date has not come are left out), newest first."""
    day = day or today()
    found = {r.reference: RoundStatus(division.code, division.name, r)
             for r in rounds_mod.rounds_of(division.code, year) if r.reference <= day}
    for ref in _refs(QuarterlyReport.objects.filter(division=division, year=year)):
        if ref.reference_date in found:
            _absorb(found[ref.reference_date], ref)
    for state in found.values():
        state.timeliness, state.days_late = timeliness(state.first_submitted_at, state.deadline, day)
    return sorted(found.values(), key=lambda s: s.round.reference, reverse=True)


def other_tables(division: Division, year: int, user) -> list[QuarterlyReport]:
    """Tables of the year whose reference date is not one of the province's rounds today (tables made
    under an earlier schedule, e.g. the quarterly tables before the rounds): still readable."""
    references = {r.reference for r in rounds_mod.rounds_of(division.code, year)}
    return list(QuarterlyReport.objects.visible_to(user).filter(division=division, year=year)
            .exclude(reference_date__in=references).order_by("-reference_date", "-version"))


def report_years(division: Division, day: date | None = None) -> list[int]:
    day = day or today()
    years = set(QuarterlyReport.objects.filter(division=division).values_list("year", flat=True).distinct())
    years.update({day.year, day.year - 1})
    return sorted(years, reverse=True)


def official_version(division_code: str, reference: date) -> QuarterlyReport | None:
    """The newest version of a division's round that was sent up and not returned."""
    return (QuarterlyReport.objects.filter(division_id=division_code, reference_date=reference,
                                           status__in=COUNTED, submitted_at__isnull=False)
            .order_by("-version").first())


def official_as_of(division_code: str, day: date) -> QuarterlyReport | None:
    """The newest official version of a division's table counted up to exactly ``day`` (for trends)."""
    return (QuarterlyReport.objects.filter(division_id=division_code, as_of=day, status__in=COUNTED,
                                           submitted_at__isnull=False)
            .order_by("-version").first())


def previous_official(report: QuarterlyReport) -> QuarterlyReport | None:
    """The official table of the round before (by reference date) of the same division."""
    return (QuarterlyReport.objects.filter(division_id=report.division_id, reference_date__lt=report.reference_date,
                                           status__in=COUNTED, submitted_at__isnull=False)
            .order_by("-reference_date", "-version").first())


def versions_of(report: QuarterlyReport, user=None) -> list[QuarterlyReport]:
    """Every version of the report's round (those the user may see, when a user is given)."""
    queryset = QuarterlyReport.objects.visible_to(user) if user is not None else QuarterlyReport.objects.all()
    return list(queryset.filter(division_id=report.division_id, reference_date=report.reference_date)
                .select_related("prepared_by", "submitted_by").order_by("-version"))


@dataclass
class Step:
    """One line of a round's timeline: an event of a version, or a chase."""

    kind: str
    label: str
    version: int | None
    user_name: str
    user_division: str
    note: str
    created_at: datetime


def timeline_of(report: QuarterlyReport, user=None) -> list[Step]:
    """The events of every version of the report's round and the chases, in time order."""
    queryset = ReportEvent.objects.visible_to(user) if user is not None else ReportEvent.objects.all()
    steps = [Step(e.kind, e.get_kind_display(), e.report.version, e.user_name, e.user_division, e.note, e.created_at)
             for e in queryset.filter(report__division_id=report.division_id,
                                      report__reference_date=report.reference_date).select_related("report")]
    reminders = Reminder.objects.visible_to(user) if user is not None else Reminder.objects.all()
    steps += [Step("chased", "催报", None, r.user_name, r.user_division, r.note, r.created_at)
              for r in reminders.filter(division_id=report.division_id, reference_date=report.reference_date)]
    return sorted(steps, key=lambda s: s.created_at)


# --- differences and roll-ups -----------------------------------------------------------------

def count_keys(data: dict) -> list[str]:
    return [c["key"] for c in data["columns"] if c["kind"] == "count"]


def differences(data: dict, previous: dict | None) -> dict[str, dict[str, int]]:
    """Δ against the previous round's official table for every count column, by row code ("" = total)."""
    if not previous:
        return {}
    keys = count_keys(data)
    before = {row["code"]: row["values"] for row in previous["rows"]}
    before[""] = previous["total"]["values"]
    result = {}
    for row in [*data["rows"], {**data["total"], "code": ""}]:
        old = before.get(row["code"])
        if old is None:
            continue
        result[row["code"]] = {
            key: number(row["values"].get(key)) - number(old.get(key))
            for key in keys
            if row["values"].get(key) is not None and old.get(key) is not None
        }
    return result


def with_ratios(counts: dict) -> dict:
    """Counts plus the ratios the engine recomputes from them (never a sum of ratios)."""
    return indicators.finish_ratios(dict(counts))


@dataclass
class RollupRow:
    code: str
    name: str
    level: int
    values: dict
    submitted: int = 0
    expected: int = 0
    as_of: date | None = None  # the common 统计截止日期 of the tables summed, None when they differ
    period_start: date | None = None
    states: list[RoundStatus] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.submitted == self.expected

    @property
    def late(self) -> int:
        return sum(1 for state in self.states if state.is_late)


@dataclass
class Rollup:
    parent_code: str
    parent_name: str
    round: rounds_mod.Round
    rows: list[RollupRow]
    total: RollupRow
    states: list[RoundStatus]
    columns: list[dict]
    urban_rule_labels: list[str]

    @property
    def child_label(self) -> str:
        level = self.rows[0].level if self.rows else codes.COUNTY
        return {codes.PROVINCE: "省（区、市）", codes.CITY: "市（州、盟）", codes.COUNTY: "县（市、区）"}[level]

    @property
    def late(self) -> list[RoundStatus]:
        return [s for s in self.states if s.is_late]

    @property
    def year(self) -> int:
        return self.round.year

    @property
    def deadline(self) -> date:
        return self.round.deadline


def counties_under(parent: Division | None, user) -> list[tuple[str, str]]:
    """(code, name) of the current counties under a city, a province or the country, within the user's scope."""
    qs = Division.objects.visible_to(user).filter(level=codes.COUNTY).current()
    if parent is not None:
        qs = qs.within(parent.prefix)
    return list(qs.order_by("code").values_list("code", "name"))


def rollup_keys(columns: list[dict]) -> list[str]:
    """The counts a roll-up needs: every count column, and the parts of every ratio column as the engine
    names them in ``indicators.RATIOS`` (the engine divides them; nothing is computed here)."""
    keys: list[str] = []
    for column in columns:
        parts = [column["key"]] if column["kind"] == "count" else list(indicators.RATIOS.get(column["key"], ())[:2])
        keys.extend(key for key in parts if key not in keys)
    return keys


def _row_group_code(county_code: str, parent: Division | None) -> tuple[str, int]:
    """The code of the row a county is summed into: itself under a city, its city under a province, and
    its province nationally."""
    if parent is not None and parent.level == codes.CITY:
        return county_code, codes.COUNTY
    if parent is not None and parent.level == codes.PROVINCE:
        return codes.pad_code(county_code[:4]), codes.CITY
    return codes.pad_code(county_code[:2]), codes.PROVINCE


def _common(values: list):
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


def official_tables(reference: date):
    """The official version of each county's round: its newest version sent up and not returned (a version
    superseded before the approval chain existed stays official until its correction is submitted)."""
    counted = QuarterlyReport.objects.filter(reference_date=reference, status__in=COUNTED,
                                             submitted_at__isnull=False, division__level=codes.COUNTY)
    newer = counted.filter(division_id=OuterRef("division_id"), version__gt=OuterRef("version"))
    return counted.exclude(Exists(newer))


def summed_counts(parent: Division | None, reference: date, user, keys: list[str]) -> dict[str, dict]:
    """Sums of the counts ``keys`` over the official tables under ``parent``, by child row code, in one
    grouped query over the frozen counts (``totals``)."""
    length = {None: 2, codes.PROVINCE: 4, codes.CITY: 6}[parent.level if parent is not None else None]
    queryset = official_tables(reference).filter(
        pk__in=QuarterlyReport.objects.visible_to(user).values("pk"), division__abolished_in__isnull=True)
    if parent is not None:
        queryset = queryset.within(parent.prefix)
    aliases = {f"n{i}": key for i, key in enumerate(keys)}
    sums = {alias: Sum(Cast(KeyTextTransform(key, "totals"), BigIntegerField())) for alias, key in aliases.items()}
    result = {}
    for row in queryset.annotate(k=Substr("division_id", 1, length)).values("k").annotate(**sums).order_by():
        code = codes.pad_code(row.pop("k"))
        result[code] = {aliases[a]: int(v) for a, v in row.items() if v is not None}
    return result


def rollup(parent: Division | None, rnd: rounds_mod.Round, user, day: date | None = None) -> Rollup:
    """The roll-up of the submitted tables under a city, a province or the whole country.

    The counts are summed by the database over the frozen counts of the official tables, grouped by
    the child row's code prefix; the engine then recomputes every ratio from the summed parts. The
    submission state of every county comes from one more query.
    """
    states = round_states(counties_under(parent, user), rnd, day)
    group_codes: dict[str, list[RoundStatus]] = {}
    levels: dict[str, int] = {}
    for state in states:
        code, level = _row_group_code(state.code, parent)
        group_codes.setdefault(code, []).append(state)
        levels[code] = level
    names = dict(Division.objects.filter(code__in=list(group_codes)).values_list("code", "name"))
    official_ids = [s.official.pk for s in states if s.official is not None]
    sample = QuarterlyReport.objects.filter(pk__in=official_ids[:1]).values_list("data__columns", flat=True).first()
    columns = sample or [_definition(key) for key in COLUMN_KEYS]
    keys = rollup_keys(columns)
    sums = summed_counts(parent, rnd.reference, user, keys) if official_ids else {}
    submitted = QuarterlyReport.objects.visible_to(user).filter(reference_date=rnd.reference, status__in=COUNTED,
                                                                division__level=codes.COUNTY)
    if parent is not None:
        submitted = submitted.within(parent.prefix)
    rule_labels = sorted(
        label for label in submitted.order_by().values_list("urban_rule_label", flat=True).distinct() if label
    ) if official_ids else []

    def make_row(code: str, name: str, level: int, members: list[RoundStatus], counts: dict) -> RollupRow:
        official = [s.official for s in members if s.official is not None]
        return RollupRow(
            code=code, name=name, level=level, values=with_ratios(counts) if official else {},
            submitted=len(official), expected=len(members), states=members,
            as_of=_common([r.as_of for r in official]) if official else None,
            period_start=_common([r.period_start for r in official]) if official else None,
        )

    rows: list[RollupRow] = []
    grand: dict[str, int] = {}
    for code, members in sorted(group_codes.items()):
        counts = sums.get(code, {})
        for key, value in counts.items():
            grand[key] = grand.get(key, 0) + value
        rows.append(make_row(code, names.get(code, code), levels[code], members, counts))
    parent_code = parent.code if parent is not None else ""
    parent_name = parent.name if parent is not None else "全国"
    total = make_row(parent_code, parent_name, parent.level if parent is not None else 0, states, grand)
    return Rollup(parent_code, parent_name, rnd, rows, total, states, columns, rule_labels)


# --- per-province settings: rounds and columns -------------------------------------------------

def _check_month_day(month: int, day: int, label: str) -> None:
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:
        raise WorkflowError(f"{label}“{month}月{day}日”不是有效日期。")


@transaction.atomic
def add_round(user, province: Division, *, reference_month: int, reference_day: int, deadline_month: int,
              deadline_day: int, source: str = "") -> ReportingRound:
    """A province adds a round. Its first own round copies seed 000's three first, so adding never drops them."""
    if province.level != codes.PROVINCE:
        raise WorkflowError("报送轮次按省设置。")
    require(user, "reports.rounds", ReportingRound(province=province))
    _check_month_day(reference_month, reference_day, "截至日期")
    _check_month_day(deadline_month, deadline_day, "报送期限")
    rows = ReportingRound.objects.select_for_update().filter(province=province)
    if not rows.exists():
        for rm, rd, dm, dd in rounds_mod.DEFAULT_ROUNDS:
            ReportingRound.objects.create(province=province, reference_month=rm, reference_day=rd, deadline_month=dm,
                                          deadline_day=dd, source=rounds_mod.SEED_SOURCE[:200], created_by=user)
    if rows.filter(reference_month=reference_month, reference_day=reference_day).exists():
        raise WorkflowError(f"本省已有截至{reference_month}月{reference_day}日的报送轮次。")
    return ReportingRound.objects.create(
        province=province, reference_month=reference_month, reference_day=reference_day,
        deadline_month=deadline_month, deadline_day=deadline_day, source=(source or "").strip()[:200],
        created_by=user)


@transaction.atomic
def remove_round(user, row: ReportingRound) -> None:
    """A province removes one of its rounds (tables already made for it stay readable)."""
    require(user, "reports.rounds", row)
    if ReportingRound.objects.filter(province_id=row.province_id).count() <= 1:
        raise WorkflowError("至少保留一个报送轮次；如需恢复文件000的三轮，请联系系统管理员删除本省设置。")
    row.delete()


@transaction.atomic
def set_columns(user, province: Division, keys: list[str]) -> ColumnLayout:
    """A province chooses its columns (empty: back to the proposed layout). Frozen tables keep theirs."""
    layout = ColumnLayout.objects.select_for_update().filter(province=province).first() or ColumnLayout(
        province=province)
    require(user, "reports.columns", layout)
    valid = dict(choosable())
    unknown = [k for k in keys if k not in valid]
    if unknown:
        raise WorkflowError(f"未定义的指标：{'、'.join(unknown)}。")
    order = list(valid)
    layout.columns = sorted(dict.fromkeys(keys), key=order.index)
    layout.updated_by = user
    layout._history_user = user
    layout.save()
    return layout
