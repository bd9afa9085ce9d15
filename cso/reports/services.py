"""The quarterly table's workflow, lateness, difference from the previous quarter and roll-ups.

Everything here is testable without HTTP. Numbers come only from the statistics engine
(``cso.stats.indicators.compute``): a draft stores the engine's result as it is; a submitted table is
never recomputed; a roll-up sums the count indicators of the submitted tables and lets the engine
recompute the ratios from the summed parts.

Transitions: (none) → draft → reviewed → submitted → superseded (by a correction, which opens
version n+1 as a new draft). A reviewed table may be returned to draft; only a draft is regenerated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Exists, OuterRef, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from cso.core.validators import validate_phone
from cso.regions import codes
from cso.regions.models import Division
from cso.stats import indicators

from .choices import STATUS_BADGES, EventKind, ReportStatus, Timeliness
from .columns import COLUMN_KEYS, GROUP_OF, SHORT_LABELS
from .models import QuarterlyReport, ReportEvent, can_prepare

SCHEMA = 1
# Seed 000 sets 6/20, 9/20 and 12/20 for the second to fourth quarters; the first quarter's 3/20 is by analogy.
DEFAULT_DEADLINES = {1: "03-20", 2: "06-20", 3: "09-20", 4: "12-20"}
FIRST_YEAR = 2000


class WorkflowError(Exception):
    """A step that is not allowed in the table's present state; the message is for people."""


# --- dates ------------------------------------------------------------------------------------

def today() -> date:
    return timezone.localdate()


def deadline(year: int, quarter: int) -> date:
    """The submission deadline of a quarter (setting ``CSO_REPORT_DEADLINES``: {quarter: "MM-DD"})."""
    configured = getattr(settings, "CSO_REPORT_DEADLINES", None) or DEFAULT_DEADLINES
    month, day = (int(part) for part in str(configured.get(quarter, DEFAULT_DEADLINES[quarter])).split("-"))
    return date(year, month, day)


def deadlines_note() -> str:
    configured = getattr(settings, "CSO_REPORT_DEADLINES", None) or DEFAULT_DEADLINES
    parts = []
    for quarter in range(1, 5):
        month, day = (int(p) for p in str(configured.get(quarter, DEFAULT_DEADLINES[quarter])).split("-"))
        parts.append(f"第{quarter}季度{month}月{day}日")
    return "报送期限：" + "，".join(parts) + "。"


def check_quarter(year: int, quarter: int, day: date | None = None) -> None:
    day = day or today()
    if quarter not in (1, 2, 3, 4):
        raise WorkflowError("季度须为 1 至 4。")
    if not FIRST_YEAR <= year <= day.year:
        raise WorkflowError(f"年度须在 {FIRST_YEAR} 年至 {day.year} 年之间。")
    start, _end = indicators.quarter_bounds(year, quarter)
    if start > day:
        raise WorkflowError(f"{year}年第{quarter}季度尚未开始，不能生成报表。")


def as_of_for(year: int, quarter: int, day: date | None = None) -> tuple[date, date]:
    """(统计截止日期, 本期起始日期): the quarter's last day, or today while the quarter is running."""
    day = day or today()
    start, end = indicators.quarter_bounds(year, quarter)
    return min(end, day), start


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def current_quarter(day: date | None = None) -> tuple[int, int]:
    day = day or today()
    return day.year, (day.month - 1) // 3 + 1


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
        "key": key, "label": ind.label, "short": SHORT_LABELS.get(key, ind.label), "group": GROUP_OF.get(key, ""),
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


def build_table(county: Division, as_of: date, period_start: date) -> dict:
    """The engine's table for a county (one row per street/township and the total), ready to freeze."""
    result = indicators.compute(county.code, as_of, period_start=period_start)
    return {
        "schema": SCHEMA,
        "county": {"code": county.code, "name": county.name},
        "as_of": as_of.isoformat(),
        "period_start": period_start.isoformat(),
        "columns": [_definition(key) for key in COLUMN_KEYS],
        "kinds": _kinds(result.parent.values),
        "rows": [_row(row) for row in result.rows],
        "total": _row(result.parent),
        "urban_rule": result.urban_rule,
        "urban_rule_label": result.urban_rule_label,
        "targets": {key: _jsonable(value) for key, value in result.targets.items()},
    }


def _set_table(report: QuarterlyReport, data: dict) -> None:
    report.data = data
    values = data["total"]["values"]
    report.totals = {key: values.get(key) for key in rollup_keys(data["columns"])}
    report.urban_rule_label = data.get("urban_rule_label", "")[:200]


# --- permissions and events -------------------------------------------------------------------

def _require_preparer(user, county_code: str) -> None:
    if not can_prepare(user) or user.division_id != county_code:
        raise PermissionDenied("只有本县（市、区）民政部门工作人员可以生成、审核、报送和更正本县的统计表。")


def _event(report: QuarterlyReport, kind: str, user, note: str = "") -> ReportEvent:
    return ReportEvent.objects.create(
        report=report, county_id=report.county_id, kind=kind, user=user, user_name=user.display_name, note=note
    )


def _locked(report: QuarterlyReport) -> QuarterlyReport:
    return QuarterlyReport.objects.select_for_update().select_related("county").get(pk=report.pk)


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


# --- workflow ---------------------------------------------------------------------------------

def live_version(county_code: str, year: int, quarter: int) -> QuarterlyReport | None:
    return (QuarterlyReport.objects.filter(county_id=county_code, year=year, quarter=quarter)
            .exclude(status=ReportStatus.SUPERSEDED).first())


@transaction.atomic
def generate(county: Division, year: int, quarter: int, user, *, prepared_by_name: str = "",
             contact_phone: str = "", day: date | None = None) -> QuarterlyReport:
    """Generate the quarter's draft; regenerate it when a draft exists already."""
    _require_preparer(user, county.code)
    if county.level != codes.COUNTY:
        raise WorkflowError("统计表按县（市、区）生成。")
    day = day or today()
    check_quarter(year, quarter, day)
    existing = live_version(county.code, year, quarter)
    if existing is not None:
        return regenerate(existing, user, prepared_by_name=prepared_by_name, contact_phone=contact_phone, day=day)
    as_of, start = as_of_for(year, quarter, day)
    report = QuarterlyReport(
        county=county, year=year, quarter=quarter, version=1, status=ReportStatus.DRAFT, as_of=as_of,
        period_start=start, generated_at=timezone.now(), prepared_by=user,
        prepared_by_name=_clean_name(prepared_by_name or user.display_name, "制表人"),
        contact_phone=_clean_phone(contact_phone or user.phone),
    )
    _set_table(report, build_table(county, as_of, start))
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise WorkflowError("该季度的统计表刚刚已由他人生成，请刷新页面后再操作。") from exc
    _event(report, EventKind.GENERATED, user, f"统计截止日期 {as_of:%Y-%m-%d}")
    return report


@transaction.atomic
def regenerate(report: QuarterlyReport, user, *, prepared_by_name: str = "", contact_phone: str = "",
               day: date | None = None) -> QuarterlyReport:
    _require_preparer(user, report.county_id)
    report = _locked(report)
    if report.status != ReportStatus.DRAFT:
        raise WorkflowError(f"该统计表{report.get_status_display()}，只有草稿可以重新生成。"
                            + ("如需修改已报送的数据，请发起更正。" if report.status == ReportStatus.SUBMITTED else ""))
    as_of, start = as_of_for(report.year, report.quarter, day)
    report.as_of, report.period_start = as_of, start
    _set_table(report, build_table(report.county, as_of, start))
    report.generated_at = timezone.now()
    report.prepared_by = user
    report.prepared_by_name = _clean_name(prepared_by_name or report.prepared_by_name or user.display_name, "制表人")
    report.contact_phone = _clean_phone(contact_phone or report.contact_phone)
    report.save()
    _event(report, EventKind.REGENERATED, user, f"统计截止日期 {as_of:%Y-%m-%d}")
    return report


@transaction.atomic
def review(report: QuarterlyReport, user, *, reviewer_name: str = "", note: str = "") -> QuarterlyReport:
    _require_preparer(user, report.county_id)
    report = _locked(report)
    if report.status != ReportStatus.DRAFT:
        raise WorkflowError(f"该统计表{report.get_status_display()}，只有草稿可以审核。")
    report.status = ReportStatus.REVIEWED
    report.reviewer = user
    report.reviewer_name = _clean_name(reviewer_name or user.display_name, "审核人")
    report.reviewed_at = timezone.now()
    report.save()
    _event(report, EventKind.REVIEWED, user, (note or "").strip())
    return report


@transaction.atomic
def return_to_draft(report: QuarterlyReport, user, *, reason: str) -> QuarterlyReport:
    _require_preparer(user, report.county_id)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("请填写退回修改的原因。")
    report = _locked(report)
    if report.status != ReportStatus.REVIEWED:
        raise WorkflowError(f"该统计表{report.get_status_display()}，只有已审核、未报送的统计表可以退回修改。")
    report.status = ReportStatus.DRAFT
    report.reviewer, report.reviewer_name, report.reviewed_at = None, "", None
    report.save()
    _event(report, EventKind.RETURNED, user, reason)
    return report


@transaction.atomic
def submit(report: QuarterlyReport, user, *, note: str = "", day: date | None = None) -> QuarterlyReport:
    """Submit a reviewed table: from now on its data never changes."""
    _require_preparer(user, report.county_id)
    report = _locked(report)
    if report.status == ReportStatus.DRAFT:
        raise WorkflowError("该统计表尚未审核，请先审核再报送。")
    if report.status != ReportStatus.REVIEWED:
        raise WorkflowError(f"该统计表{report.get_status_display()}，不能再次报送。")
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = user
    report.submitted_at = timezone.now()
    report.save()
    due = deadline(report.year, report.quarter)
    submitted_on = timezone.localdate(report.submitted_at)
    late = f"（逾期 {(submitted_on - due).days} 天）" if submitted_on > due and report.version == 1 else ""
    _event(report, EventKind.SUBMITTED, user, ((note or "").strip() + late).strip())
    return report


@transaction.atomic
def correct(report: QuarterlyReport, user, *, reason: str, prepared_by_name: str = "", contact_phone: str = "",
            day: date | None = None) -> QuarterlyReport:
    """Open version n+1 of a submitted table (a fresh draft); version n is kept, superseded."""
    _require_preparer(user, report.county_id)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("请填写更正原因。")
    report = _locked(report)
    if report.status != ReportStatus.SUBMITTED:
        raise WorkflowError(f"该统计表{report.get_status_display()}，只有已报送的统计表可以更正。")
    report.status = ReportStatus.SUPERSEDED
    report.save()
    as_of, start = as_of_for(report.year, report.quarter, day)
    new = QuarterlyReport(
        county=report.county, year=report.year, quarter=report.quarter, version=report.version + 1,
        status=ReportStatus.DRAFT, as_of=as_of, period_start=start,
        generated_at=timezone.now(), prepared_by=user,
        prepared_by_name=_clean_name(prepared_by_name or report.prepared_by_name or user.display_name, "制表人"),
        contact_phone=_clean_phone(contact_phone or report.contact_phone), correction_reason=reason,
        previous_version=report,
    )
    _set_table(new, build_table(report.county, as_of, start))
    new.save()
    _event(report, EventKind.CORRECTED, user, f"由第{new.version}版更正：{reason}")
    _event(new, EventKind.CORRECTED, user, f"更正第{report.version}版：{reason}")
    return new


# --- lateness ---------------------------------------------------------------------------------

@dataclass
class QuarterState:
    """One county's quarter: its live version, its official (newest submitted) version and lateness."""

    county_code: str
    county_name: str
    year: int
    quarter: int
    deadline: date
    live: ReportRef | None = None
    official: ReportRef | None = None
    first_submitted_at: datetime | None = None
    versions: int = 0
    timeliness: str = Timeliness.NOT_DUE
    days_late: int = 0

    @property
    def timeliness_label(self) -> str:
        return Timeliness(self.timeliness).label

    @property
    def is_late(self) -> bool:
        return self.timeliness in (Timeliness.OVERDUE, Timeliness.SUBMITTED_LATE)

    @property
    def status_label(self) -> str:
        if self.live is None:
            return "未生成"
        label = self.live.get_status_display()
        if self.live.version > 1 and self.live.status != ReportStatus.SUBMITTED:
            label = f"更正中（第{self.live.version}版{label}）"
        return label

    @property
    def quarter_label(self) -> str:
        return f"{self.year}年第{self.quarter}季度"


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


STATE_FIELDS = ("pk", "county_id", "year", "quarter", "version", "status", "as_of", "period_start", "submitted_at")


@dataclass
class ReportRef:
    """The few facts of one version that the lists need (read as plain values, not model instances)."""

    pk: int
    county_id: str
    year: int
    quarter: int
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


def _refs(queryset):
    return (ReportRef(*values) for values in queryset.order_by("county_id", "year", "quarter", "version")
            .values_list(*STATE_FIELDS))


def quarter_states(counties: list[tuple[str, str]], year: int, quarter: int,
                   day: date | None = None) -> list[QuarterState]:
    """The state of one quarter for each (code, name) county, in one query."""
    day = day or today()
    due = deadline(year, quarter)
    states = {code: QuarterState(code, name, year, quarter, due) for code, name in counties}
    if len(states) > 500:  # a whole country or a large province: read the quarter, not a long IN list
        queryset = QuarterlyReport.objects.filter(year=year, quarter=quarter)
    else:
        queryset = QuarterlyReport.objects.filter(year=year, quarter=quarter, county_id__in=list(states))
    for ref in _refs(queryset):
        state = states.get(ref.county_id)
        if state is not None:
            _absorb(state, ref)
    due_end = _day_end(due)
    for state in states.values():
        state.timeliness, state.days_late = timeliness(state.first_submitted_at, due, day, due_end)
    return list(states.values())


def _absorb(state: QuarterState, report: ReportRef) -> None:
    state.versions += 1
    if report.status != ReportStatus.SUPERSEDED:
        state.live = report
    if report.submitted_at is not None:
        state.official = report  # versions come in ascending order: the newest submitted wins
        if state.first_submitted_at is None or report.submitted_at < state.first_submitted_at:
            state.first_submitted_at = report.submitted_at


def county_quarters(county: Division, year: int, day: date | None = None) -> list[QuarterState]:
    """The four quarters of a year for one county (quarters not yet begun are left out)."""
    day = day or today()
    due = {q: deadline(year, q) for q in range(1, 5)}
    states = {q: QuarterState(county.code, county.name, year, q, due[q]) for q in range(1, 5)
              if indicators.quarter_bounds(year, q)[0] <= day}
    for ref in _refs(QuarterlyReport.objects.filter(county=county, year=year)):
        if ref.quarter in states:
            _absorb(states[ref.quarter], ref)
    for state in states.values():
        state.timeliness, state.days_late = timeliness(state.first_submitted_at, state.deadline, day)
    return sorted(states.values(), key=lambda s: s.quarter, reverse=True)


def report_years(county: Division, day: date | None = None) -> list[int]:
    day = day or today()
    years = set(QuarterlyReport.objects.filter(county=county).values_list("year", flat=True).distinct())
    years.update({day.year, day.year - 1})
    return sorted(years, reverse=True)


def official_version(county_code: str, year: int, quarter: int) -> QuarterlyReport | None:
    """The newest submitted version of a county's quarter (a superseded one until its correction is submitted)."""
    return (QuarterlyReport.objects.filter(county_id=county_code, year=year, quarter=quarter,
                                           submitted_at__isnull=False)
            .order_by("-version").first())


def previous_official(report: QuarterlyReport) -> QuarterlyReport | None:
    year, quarter = previous_quarter(report.year, report.quarter)
    return official_version(report.county_id, year, quarter)


def versions_of(report: QuarterlyReport, user=None) -> list[QuarterlyReport]:
    """Every version of the report's quarter (those the user may see, when a user is given)."""
    queryset = QuarterlyReport.objects.visible_to(user) if user is not None else QuarterlyReport.objects.all()
    return list(queryset.filter(county_id=report.county_id, year=report.year, quarter=report.quarter)
                .select_related("prepared_by", "submitted_by").order_by("-version"))


def timeline_of(report: QuarterlyReport, user=None) -> list[ReportEvent]:
    """The events of every version of the report's quarter (of the versions the user may see)."""
    queryset = ReportEvent.objects.visible_to(user) if user is not None else ReportEvent.objects.all()
    return list(queryset.filter(report__county_id=report.county_id, report__year=report.year,
                                report__quarter=report.quarter)
                .select_related("report").order_by("created_at", "id"))


# --- differences and roll-ups -----------------------------------------------------------------

def count_keys(data: dict) -> list[str]:
    return [c["key"] for c in data["columns"] if c["kind"] == "count"]


def differences(data: dict, previous: dict | None) -> dict[str, dict[str, int]]:
    """Δ against the previous quarter's submitted table for every count column, by row code ("" = total)."""
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
    states: list[QuarterState] = field(default_factory=list)

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
    year: int
    quarter: int
    deadline: date
    rows: list[RollupRow]
    total: RollupRow
    states: list[QuarterState]
    columns: list[dict]
    urban_rule_labels: list[str]

    @property
    def child_label(self) -> str:
        level = self.rows[0].level if self.rows else codes.COUNTY
        return {codes.PROVINCE: "省（区、市）", codes.CITY: "市（州、盟）", codes.COUNTY: "县（市、区）"}[level]

    @property
    def late(self) -> list[QuarterState]:
        return [s for s in self.states if s.is_late]


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


def official_tables(year: int, quarter: int):
    """The official version of each county's quarter: its newest submitted one (a superseded version stays
    official until its correction is submitted)."""
    newer = QuarterlyReport.objects.filter(county_id=OuterRef("county_id"), year=year, quarter=quarter,
                                           submitted_at__isnull=False, version__gt=OuterRef("version"))
    return QuarterlyReport.objects.filter(year=year, quarter=quarter, submitted_at__isnull=False).exclude(
        Exists(newer))


def summed_counts(parent: Division | None, year: int, quarter: int, user, keys: list[str]) -> dict[str, dict]:
    """Sums of the counts ``keys`` over the official tables under ``parent``, by child row code, in one
    grouped query over the frozen counts (``totals``)."""
    length = {None: 2, codes.PROVINCE: 4, codes.CITY: 6}[parent.level if parent is not None else None]
    queryset = official_tables(year, quarter).filter(
        pk__in=QuarterlyReport.objects.visible_to(user).values("pk"), county__abolished_in__isnull=True)
    if parent is not None:
        queryset = queryset.within(parent.prefix)
    aliases = {f"n{i}": key for i, key in enumerate(keys)}
    sums = {alias: Sum(Cast(KeyTextTransform(key, "totals"), BigIntegerField())) for alias, key in aliases.items()}
    result = {}
    for row in queryset.annotate(k=Substr("county_id", 1, length)).values("k").annotate(**sums).order_by():
        code = codes.pad_code(row.pop("k"))
        result[code] = {aliases[a]: int(v) for a, v in row.items() if v is not None}
    return result


def rollup(parent: Division | None, year: int, quarter: int, user, day: date | None = None) -> Rollup:
    """The roll-up of the submitted tables under a city, a province or the whole country.

    The counts are summed by the database over the frozen counts of the official tables, grouped by
    the child row's code prefix; the engine then recomputes every ratio from the summed parts. The
    submission state of every county comes from one more query.
    """
    states = quarter_states(counties_under(parent, user), year, quarter, day)
    group_codes: dict[str, list[QuarterState]] = {}
    levels: dict[str, int] = {}
    for state in states:
        code, level = _row_group_code(state.county_code, parent)
        group_codes.setdefault(code, []).append(state)
        levels[code] = level
    names = dict(Division.objects.filter(code__in=list(group_codes)).values_list("code", "name"))
    official_ids = [s.official.pk for s in states if s.official is not None]
    sample = QuarterlyReport.objects.filter(pk__in=official_ids[:1]).values_list("data__columns", flat=True).first()
    columns = sample or [_definition(key) for key in COLUMN_KEYS]
    keys = rollup_keys(columns)
    sums = summed_counts(parent, year, quarter, user, keys) if official_ids else {}
    submitted = QuarterlyReport.objects.visible_to(user).filter(year=year, quarter=quarter, submitted_at__isnull=False)
    if parent is not None:
        submitted = submitted.within(parent.prefix)
    rule_labels = sorted(
        label for label in submitted.order_by().values_list("urban_rule_label", flat=True).distinct() if label
    ) if official_ids else []

    def make_row(code: str, name: str, level: int, members: list[QuarterState], counts: dict) -> RollupRow:
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
    return Rollup(parent_code, parent_name, year, quarter, deadline(year, quarter), rows, total, states, columns,
                  rule_labels)
