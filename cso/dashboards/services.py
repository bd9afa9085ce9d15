"""What the dashboard shows, assembled from the statistics engine.

Every number comes from ``cso.stats.indicators`` (``compute``, ``community_stats``, ``drill_url``)
and every target from ``cso.stats.targets.effective_targets``: no formula is written here. This
module only picks indicators, pairs them with their targets and drill-down links, and shapes the
chart payloads that ``static/cso/dashboards/dashboards.js`` draws.

Scoping: ``resolve_division`` is the one entry point; a division outside the user's subtree is a
404 (through ``Division.objects.visible_to``), and the engine is called with ``user`` so it checks
again.
"""

from __future__ import annotations

import contextlib
import datetime
import time
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from cso.core.scoping import Scope
from cso.orgs.models import Category, ServiceTarget
from cso.regions import codes
from cso.regions.models import Division
from cso.regions.services import breadcrumb_divisions, visible_root
from cso.stats import indicators, rollups
from cso.stats.targets import effective_targets

NATIONAL_CODE = ""

# The target cards, in the order they are shown. A ratio's card also shows its numerator and
# denominator (``indicators.RATIOS``), each linking to the list behind it.
CARD_KEYS = (
    "per_10k",
    "avg_urban",
    "avg_rural",
    "communities_at_target_share",
    "incubation_bases",
    "facility_share",
    "party_coverage",
)
# Labels of helper counts the engine uses as ratio denominators but does not list as indicators.
HELPER_LABELS = {"communities_classified": ("已划分城乡的社区数", "个")}
# Incubation bases are a per-county target (1–2 bases in each county).
INCUBATION_MIN = "incubation_bases_min"
INCUBATION_MAX = "incubation_bases_max"

# Counts shown in the first trend chart, ratios in the second.
TREND_COUNTS = ("orgs_live", "cso_live", "new_in_period", "ended_in_period")
TREND_RATIOS = ("per_10k", "avg_urban", "avg_rural", "communities_at_target_share")
TREND_QUARTERS = 8
# One trend request starts no new computation after this many seconds (the page asks again).
TREND_BUDGET_SECONDS = 6

TODO_LIMIT = 20
# National and provincial results of today are cached this long (see ``indicators.compute_cached``).
BIG_TODAY_SECONDS = indicators.BIG_TODAY_SECONDS


def cache_seconds() -> int:
    """How long computed past quarter ends stay cached (backdated registry edits show up after this)."""
    return int(getattr(settings, "CSO_DASHBOARD_CACHE_SECONDS", 15 * 60))


# --- division and date ----------------------------------------------------------------------


def resolve_division(user, code: str | None) -> Division | None:
    """The division the dashboard is about: ``code`` inside the user's subtree (404 outside), or the
    user's own division; None means the whole country (national accounts only)."""
    if Scope.for_user(user).nothing:
        raise Http404("no division")
    code = (code or "").strip()
    if code == "0" * codes.CODE_LENGTH:
        if not Scope.for_user(user).is_national:
            raise Http404("national view for national accounts only")
        return None
    if code:
        return get_object_or_404(Division.objects.visible_to(user), code=code)
    return visible_root(user)


def parent_code(division: Division | None) -> str:
    return division.code if division is not None else NATIONAL_CODE


def parse_day(value: str | None) -> tuple[datetime.date, str | None]:
    """The as-of date from a query parameter, and an error message when it was unusable."""
    today = timezone.localdate()
    value = (value or "").strip()
    if not value:
        return today, None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return today, f"日期“{value[:20]}”格式不正确，应为“年-月-日”（如 {today:%Y-%m-%d}），已按今天显示。"
    if day > today:
        return today, "统计日期不能晚于今天，已按今天显示。"
    if day.year < 1990:
        return today, "统计日期过早（早于1990年），已按今天显示。"
    return day, None


def dashboard_url(code: str | None, day: datetime.date) -> str:
    query = {"as_of": day.isoformat()}
    if code:
        query = {"division": code, **query}
    return f"{reverse('dashboards:home')}?{urlencode(query)}"


def breadcrumbs(user, division: Division | None, day: datetime.date) -> list[dict]:
    crumbs = []
    if visible_root(user) is None:
        crumbs.append({"label": "全国", "url": dashboard_url(None, day)})
    for d in breadcrumb_divisions(division, user):
        crumbs.append({"label": d.name, "url": dashboard_url(d.code, day)})
    if crumbs:
        crumbs[-1]["url"] = None
    return crumbs


# --- numbers --------------------------------------------------------------------------------


def _number(value) -> float | int | None:
    """A JSON-friendly number (Decimal → float)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def _source_label(target, division_code: str) -> str:
    if target is None:
        return ""
    if target.is_default:
        return target.source_label
    if target.source_code == division_code:
        return "本级设定"
    return f"沿用{target.source_name}设定"


@dataclass
class Card:
    key: str
    label: str
    unit: str
    meaning: str
    formula: str
    value: object
    url: str | None
    target: Decimal | None = None
    target_max: Decimal | None = None
    target_source: str = ""
    gap: object = None
    met: bool | None = None
    note: str = ""
    parts: list[dict] = field(default_factory=list)

    @property
    def has_target(self) -> bool:
        return self.target is not None


def build_cards(result, division: Division | None, targets: dict) -> list[Card]:
    """One card per target indicator: value, target, gap and the lists behind each number."""
    code = parent_code(division)
    level = division.level if division is not None else 0
    values = result.parent.values
    cards = []
    for key in CARD_KEYS:
        ind = indicators.INDICATORS.get(key)
        if ind is None:
            continue
        value = values.get(key)
        card = Card(
            key=key, label=ind.label, unit=ind.unit, meaning=ind.meaning, formula=ind.formula,
            value=value, url=indicators.drill_url(key, code, result.day, result.period_start),
        )
        if key == "incubation_bases":
            low, high = targets.get(INCUBATION_MIN), targets.get(INCUBATION_MAX)
            card.target = low.value if low else None
            card.target_max = high.value if high else None
            card.target_source = _source_label(low, code)
            if level == codes.COUNTY:
                card.gap, card.met = result.parent.gap(key), result.parent.meets(key)
            else:
                if level == codes.CITY:
                    card.note = "该目标按县（区）考核，各县（区）情况见下方图表。"
                elif level < codes.CITY:
                    card.note = "该目标按县（区）考核，请进入各县（区）看板查看。"
                else:
                    card.note = "该目标按县（区）考核，此处为本辖区内的基地数。"
        else:
            target = targets.get(ind.target_key) if ind.target_key else None
            if target is None and key == "party_coverage":
                # Shown only when an administrator has set a party-building coverage target.
                continue
            card.target = target.value if target else None
            card.target_source = _source_label(target, code)
            if card.target is not None:
                card.gap, card.met = result.parent.gap(key), result.parent.meets(key)
        if key == "incubation_bases":
            # the reading used (which levels count), and the bases of every level beside it
            card.note = " ".join(n for n in (result.bases_rule_label, card.note) if n)
            for part in ("incubation_bases_county", "incubation_bases_street", "incubation_bases_community"):
                part_ind = indicators.INDICATORS[part]
                card.parts.append({"key": part, "label": part_ind.label, "unit": part_ind.unit,
                                   "value": values.get(part), "url": None})
        for part in indicators.RATIOS.get(key, ())[:2]:
            part_ind = indicators.INDICATORS.get(part)
            label, unit = (part_ind.label, part_ind.unit) if part_ind else HELPER_LABELS.get(part, (part, ""))
            url = indicators.drill_url(part, code, result.day, result.period_start)
            if url is None and part == "communities_classified" and values.get(part) == values.get("communities"):
                # Every community is classified: the list of all communities is exactly this set.
                url = indicators.drill_url("communities", code, result.day, result.period_start)
            card.parts.append({"key": part, "label": label, "unit": unit, "value": values.get(part), "url": url})
        cards.append(card)
    return cards


def gap_charts(result, division: Division | None, cards: list[Card]) -> list[dict]:
    """One bar chart per target indicator: each child division's value against the target.

    Clicking a bar opens that child's dashboard. Incubation bases are charted only when the children
    are counties (the target is per county).
    """
    charts = []
    rows = result.rows
    if not rows:
        return charts
    children = [row for row in rows if not row.is_direct]
    child_level = children[0].level if children else rows[0].level
    for card in cards:
        if card.target is None:
            continue
        if card.key == "incubation_bases" and child_level != codes.COUNTY:
            continue
        bars = []
        for row in rows:
            value = row.values.get(card.key)
            if row.is_direct and value is None:
                continue  # the "本级" row has no communities or residents of its own
            bars.append({
                "name": row.name,
                "code": row.code,
                "value": _number(value),
                "met": _row_meets(row, card),
                "url": _row_link(row, card.key, result),
                "drill": indicators.drill_url(card.key, row.code, result.day, result.period_start,
                                              direct=row.is_direct),
            })
        charts.append({
            "key": card.key,
            "title": f"{card.label}（{card.unit}）",
            "unit": card.unit,
            "target": _number(card.target),
            "target_label": f"目标 {_plain(card.target)}{card.unit}",
            "bars": bars,
        })
    return charts


def _row_meets(row, card: Card) -> bool | None:
    """Whether a child meets its own effective target (a child may set its own)."""
    if card.target is None:
        return None
    if card.key == "incubation_bases" and row.level != codes.COUNTY:
        return None
    return row.meets(card.key)


def _row_link(row, key: str, result) -> str | None:
    """A child's dashboard; for the organizations placed on the parent itself ("本级"), their list."""
    if getattr(row, "is_direct", False):
        return indicators.drill_url(key, row.code, result.day, result.period_start, direct=True)
    return dashboard_url(row.code, result.day)


def _plain(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        value = value.normalize()
        return f"{value:f}"
    return str(value)


def child_rows(result, cards: list[Card]) -> list[dict]:
    """The table beside the charts: each child's values, each linking to its list."""
    table = []
    for row in result.rows:
        cells = []
        for card in cards:
            value = row.values.get(card.key)
            cells.append({
                "key": card.key, "value": value, "unit": card.unit, "met": _row_meets(row, card),
                "url": indicators.drill_url(card.key, row.code, result.day, result.period_start,
                                            direct=row.is_direct),
            })
        table.append({
            "code": row.code, "name": row.name,
            "url": None if getattr(row, "is_direct", False) else dashboard_url(row.code, result.day),
            "orgs_live": row.values.get("orgs_live"),
            "orgs_live_url": indicators.drill_url("orgs_live", row.code, result.day, result.period_start,
                                                  direct=row.is_direct),
            "cells": cells,
        })
    return table


def composition(result, division: Division | None) -> dict:
    """Live organizations by category and by service target (dynamic keys of the engine)."""
    code = parent_code(division)
    values = result.parent.values

    def series(model, prefix):
        items = []
        for term in model.objects.order_by("order", "bit"):
            key = f"{prefix}:{term.code}"
            if key not in values:
                continue
            items.append({
                "code": term.code, "name": term.name, "value": _number(values.get(key)) or 0,
                "url": indicators.drill_url(key, code, result.day, result.period_start),
            })
        return items

    return {
        "total": _number(values.get("orgs_live")),
        "total_url": indicators.drill_url("orgs_live", code, result.day, result.period_start),
        "categories": series(Category, "category"),
        "targets": series(ServiceTarget, "target"),
    }


def todo_list(user, division: Division | None, day: datetime.date, limit: int = TODO_LIMIT):
    """The communities furthest below target, with what they lack (the cultivation to-do list)."""
    rows = indicators.community_stats(parent_code(division), day, user=user, below_target_only=True,
                                      limit=limit)
    for row in rows:
        row.drill = indicators.drill_url("cso_live", row.code, day)
        row.dashboard = dashboard_url(row.code, day)
    return rows


def full_todo_url(division: Division | None, day: datetime.date) -> str:
    query = {"as_of": day.isoformat(), "at_target": "no"}
    if division is not None:
        query = {"division": division.code, **query}
    return f"{reverse('stats:communities')}?{urlencode(query)}"


# --- the dashboard as a whole ---------------------------------------------------------------


@dataclass
class Dashboard:
    division: Division | None
    day: datetime.date
    result: object
    cards: list[Card]
    gap_charts: list[dict]
    children: list[dict]
    composition: dict
    todo: list
    todo_all_url: str
    urban_rule_label: str
    generated_at: datetime.datetime | None = None

    @property
    def child_level_name(self) -> str:
        children = [row for row in self.result.rows if not row.is_direct]  # not the "本级" row
        if not children:
            return ""
        return codes.LEVEL_SHORT_NAMES.get(children[0].level, "下级区划")


def _is_big(division: Division | None) -> bool:
    """National and provincial dashboards: results that take seconds and are cached."""
    return division is None or division.level <= codes.PROVINCE


def _computed(user, division: Division | None, day: datetime.date, with_todo: bool):
    """The engine's result and the to-do list, and when a cached copy was made (None: computed now).

    National and provincial results come from ``indicators.compute_cached`` (the roll-up the
    indicator page shares); their to-do list, a pass over every community below, is a roll-up of its
    own (``cso.stats.rollups``, computed by the task worker). Cities, counties, streets and
    communities are always computed fresh.
    """
    code = parent_code(division)
    try:
        result, generated_at = indicators.compute_cached(code, day, user=user)
    except rollups.RollUpPending:
        if with_todo and _is_big(division):  # ask the worker for the to-do list at the same time
            with contextlib.suppress(rollups.RollUpPending):
                rollups.cached(code, day, indicators.quarter_start(day), kind=TODO_ROLLUP)
        raise
    if not with_todo:
        return result, [], generated_at
    if not _is_big(division):
        return result, todo_list(user, division, day), generated_at
    # a pass over every community below: a roll-up computed by the task worker, like the result
    todo, _ = rollups.cached(code, day, indicators.quarter_start(day), kind=TODO_ROLLUP)
    return result, todo, generated_at


TODO_ROLLUP = "dashboards.todo"


@rollups.computer(TODO_ROLLUP)
def _todo_rollup(code: str, day: datetime.date, start: datetime.date) -> list:
    """The to-do list of a national or provincial dashboard, computed in the worker (the whole
    division: its readers' scope is checked before it is served)."""
    division = Division.objects.filter(code=code).first() if code else None
    return todo_list(None, division, day)


def build(user, division: Division | None, day: datetime.date, *, with_todo: bool = True) -> Dashboard:
    """Everything the page shows except the trend (served by its own JSON endpoint)."""
    code = parent_code(division)
    result, todo, generated_at = _computed(user, division, day, with_todo)
    targets = effective_targets(code, day.year)
    cards = build_cards(result, division, targets)
    return Dashboard(
        division=division,
        day=day,
        result=result,
        cards=cards,
        gap_charts=gap_charts(result, division, cards),
        children=child_rows(result, cards),
        composition=composition(result, division),
        todo=todo,
        todo_all_url=full_todo_url(division, day),
        urban_rule_label=result.urban_rule_label,
        generated_at=generated_at,
    )


# --- trend over quarters --------------------------------------------------------------------


def last_quarters(day: datetime.date, n: int = TREND_QUARTERS) -> list[tuple[int, int]]:
    """The ``n`` quarters ending with the one that contains ``day``, oldest first."""
    year, quarter = indicators.quarter_of(day)
    out = []
    for _ in range(n):
        out.append((year, quarter))
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return out[::-1]


def _frozen_values(user, division: Division | None, year: int, quarter: int, at: datetime.date) -> dict | None:
    """A point's figures from submitted (frozen) tables counted up to exactly ``at``, when the reports app has
    them: a county's own official table, or for a city, a province or the country the roll-up of its
    counties' tables of the round whose reference date is ``at``, when every county has submitted (a partial
    sum would understate the figures). Streets and communities have no table of their own."""
    if division is not None and division.level > codes.COUNTY:
        return None
    try:
        from cso.reports import rounds as report_rounds
        from cso.reports import services as reports
    except ImportError:
        return None
    if division is not None and division.level == codes.COUNTY:
        report = reports.official_as_of(division.code, at)
        if report is None:
            return None
        total = (report.data or {}).get("total") or {}
        return total.get("values") or None
    rnd = report_rounds.round_at(division.code if division is not None else None, at)
    if rnd is None:
        return None
    rollup = reports.rollup(division, rnd, user)
    if not rollup.total.expected or not rollup.total.complete:
        return None
    return rollup.total.values


TREND_KEYS = (*TREND_COUNTS, *TREND_RATIOS)


def _trend_point(user, division: Division | None, year: int, quarter: int, at: datetime.date,
                 cacheable: bool, may_compute: bool = True) -> tuple[dict, str, bool]:
    """The trend's values at ``at`` (a quarter end, or the chosen day within the last quarter) and
    where they come from: "frozen" submitted tables, "computed" by the engine, or "pending" when the
    point is neither at hand nor ``may_compute`` (the time budget of the request is spent); and
    whether the engine ran for it.

    A county's own submitted table is looked up every time (one indexed query), so a submission shows
    at once; for a city, a province or the country the whole point — roll-up or computation — is
    cached when ``cacheable`` (a past quarter end other than the chosen day)."""
    code = parent_code(division)
    start, end = indicators.quarter_bounds(year, quarter)
    county = division is not None and division.level == codes.COUNTY
    key = f"dashboards:trend:v2:{code or 'national'}:{at.isoformat()}:{start.isoformat()}"
    if cacheable and not county:
        hit = cache.get(key)
        if hit is not None:
            return (*hit, False)
    if at == end:
        frozen = _frozen_values(user, division, year, quarter, at)
        if frozen is not None:
            point = ({k: _number(_to_decimal(frozen.get(k))) for k in TREND_KEYS}, "frozen")
            if cacheable and not county:
                cache.set(key, point, cache_seconds())
            return (*point, False)
    if cacheable and county:
        hit = cache.get(key)
        if hit is not None:
            return (*hit, False)
    if _is_big(division):
        # National and provincial points are roll-ups computed by the task worker (cso.stats.rollups;
        # the chosen day's is the page's own result), never in the request: "pending" until there.
        try:
            result = indicators.compute_cached(code, at, period_start=start, user=user)[0]
        except rollups.RollUpPending:
            return dict.fromkeys(TREND_KEYS), "pending", False
        point = ({k: _number(result.parent.values.get(k)) for k in TREND_KEYS}, "computed")
        if cacheable:
            cache.set(key, point, cache_seconds())
        return (*point, False)
    if not may_compute:
        return dict.fromkeys(TREND_KEYS), "pending", False
    result = indicators.compute(code, at, period_start=start, user=user)
    point = ({k: _number(result.parent.values.get(k)) for k in TREND_KEYS}, "computed")
    if cacheable:
        cache.set(key, point, cache_seconds())
    return (*point, True)


def trend(user, division: Division | None, day: datetime.date, n: int = TREND_QUARTERS,
          budget_seconds: float | None = None) -> dict:
    """Key counts and ratios at each of the last ``n`` quarter ends (the last point is ``day``).

    Submitted quarterly tables are used as they were frozen (a county's own; for higher levels the
    roll-up once every county under them has submitted); other points are computed by the engine
    (national and provincial ones by the task worker, ``cso.stats.rollups``).
    Past quarter ends are cached for ``cache_seconds()``; the chosen day itself is always computed
    fresh (national and provincial: the page's own cached result), so the trend agrees with the cards.

    With ``budget_seconds``, points are filled newest first and no new computation starts once the
    budget is spent: the rest come back "pending" (``pending`` counts them) and the page asks again,
    so a national trend fills in over a few requests instead of one request of a minute.
    """
    code = parent_code(division)
    today = timezone.localdate()
    started = time.monotonic()
    quarters = last_quarters(day, n)
    points: list[dict] = [{} for _ in quarters]
    past_computed = 0
    for index in reversed(range(len(quarters))):
        year, quarter = quarters[index]
        start, end = indicators.quarter_bounds(year, quarter)
        at = min(end, day)
        last = index == len(quarters) - 1
        # The chosen day and at least one past quarter per request are always computed (progress).
        may_compute = (budget_seconds is None or last or not past_computed
                       or time.monotonic() - started < budget_seconds)
        values, source, ran = _trend_point(user, division, year, quarter, at,
                                           cacheable=end < today and at != day, may_compute=may_compute)
        if ran and not last:
            past_computed += 1
        points[index] = {
            "label": f"{year}年{quarter}季度" + ("" if at == end else f"（截至{at.month}月{at.day}日）"),
            "day": at.isoformat(),
            "source": source,
            "values": values,
            "urls": {key: indicators.drill_url(key, code, at, start) for key in TREND_KEYS},
        }

    def series(keys):
        return [
            {
                "key": key,
                "name": indicators.INDICATORS[key].label,
                "unit": indicators.INDICATORS[key].unit,
                "data": [{"value": p["values"].get(key), "url": p["urls"][key]} for p in points],
            }
            for key in keys
            if key in indicators.INDICATORS
        ]

    return {
        "labels": [p["label"] for p in points],
        "days": [p["day"] for p in points],
        "sources": [p["source"] for p in points],
        "pending": sum(1 for p in points if p["source"] == "pending"),
        "counts": series(TREND_COUNTS),
        "ratios": series(TREND_RATIOS),
    }


def _to_decimal(value):
    if value is None or isinstance(value, int | float | Decimal):
        return value
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


# --- chart payloads (also served as JSON) --------------------------------------------------


def gaps_payload(dashboard: Dashboard) -> dict:
    return {"charts": dashboard.gap_charts, "child_level": dashboard.child_level_name}


def composition_payload(dashboard: Dashboard) -> dict:
    return dashboard.composition
