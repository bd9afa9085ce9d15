"""Zombie detection (僵尸型社会组织, seed 002 第三条): an explainable score per organization from facts.

Each signal is one SQL expression over the organizations (an ``Exists`` / ``Subquery`` annotation), so a scan is one
annotated query over the organizations of a division subtree plus bulk inserts of the scores — never one query per
organization. A row of ``ZombieScore`` keeps the score (the sum of the weights of the signals that fired) and each
reason with its facts, for the candidates page.

The thresholds and weights are the setting ``CSO_ZOMBIE_RULES`` ({"default": {...}, "<province code prefix>": {...}}:
a province overrides some keys). The defaults are 本平台建议 — the seeds name the clean-up but no criteria; the
"unreachable" signal follows the credit rule on returned letters that RULES.md could not verify and says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, DateField, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest, Least
from django.utils import timezone
from django_tasks import task

from cso.core.scoping import subtree_q
from cso.orgs.choices import LIVE_STATUSES, Track
from cso.orgs.models import Leader, Organization

from .models.annual import FILED_STATES, AnnualReport
from .models.credit import CreditEvent, EventKind
from .models.zombie import ActivityRecord, ZombieScan, ZombieScore

logger = logging.getLogger(__name__)

SUGGESTED = "本平台建议"
UNVERIFIED = "RULES.md 未能核实的规则"

DEFAULT_RULES = {
    # months without an activity record (ActivityRecord, or an update of the registry entry)
    "no_activity_months": 12, "no_activity_weight": 30,
    # registered organizations: the annual report of last year not submitted after its due day (month, day)
    "annual_due": (5, 31), "annual_missing_weight": 25,
    # letters to the registered address returned (credit event "unreachable") within this many years
    "unreachable_years": 2, "unreachable_min_events": 1, "unreachable_weight": 25,
    # no change of leaders (nor a first entry of them) for this many years
    "no_leader_change_years": 5, "no_leader_change_weight": 10,
    # filed groups: filed more than this many years ago and the entry never updated since
    "stale_filing_years": 3, "stale_filing_weight": 20,
    # the candidates page and a campaign start at this score
    "candidate_threshold": 50,
}

SIGNALS = {
    "no_activity": "超过{months}个月没有活动记录（最近一次：{last}）",
    "annual_missing": "{year}年度工作报告未报送",
    "unreachable": "{years}年内有{count}次通过登记的住所无法取得联系（挂号信退回）",
    "no_leader_change": "{years}年以上负责人没有变更（最近一次：{last}）",
    "stale_filing": "备案已超过{years}年且此后没有任何更新（备案日期：{filed}）",
}
LABELS = {
    "no_activity": f"长期无活动记录（{SUGGESTED}）",
    "annual_missing": f"年度工作报告未报送（{SUGGESTED}）",
    "unreachable": f"无法取得联系（{UNVERIFIED}）",
    "no_leader_change": f"负责人多年未变更（{SUGGESTED}）",
    "stale_filing": f"备案长期未更新（{SUGGESTED}）",
}


def rules_for(prefix: str | None = None) -> dict:
    """The rules for the division code prefix: the defaults, the setting's "default", then the province's keys."""
    configured = getattr(settings, "CSO_ZOMBIE_RULES", {}) or {}
    rules = {**DEFAULT_RULES, **configured.get("default", {})}
    if prefix:
        for key in sorted((k for k in configured if k != "default" and prefix.startswith(k)), key=len):
            rules.update(configured[key])
    return rules


def _months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError


def _years_before(day: date, years: int) -> date:
    return _months_before(day, 12 * years)


@dataclass
class Cutoffs:
    activity: date
    report_year: int | None
    unreachable: date
    leaders: date
    filing: date


def cutoffs(as_of: date, rules: dict) -> Cutoffs:
    month, day = rules["annual_due"]
    report_year = as_of.year - 1 if as_of > date(as_of.year, month, day) else as_of.year - 2
    return Cutoffs(activity=_months_before(as_of, rules["no_activity_months"]), report_year=report_year,
                   unreachable=_years_before(as_of, rules["unreachable_years"]),
                   leaders=_years_before(as_of, rules["no_leader_change_years"]),
                   filing=_years_before(as_of, rules["stale_filing_years"]))


def annotated(orgs, as_of: date, rules: dict, ids: tuple[int, int] | None = None):
    """The organizations with one annotation per signal's facts — one SQL statement. ``ids`` (first, last): the
    organizations are of that id range; the subqueries are narrowed to it too, so that PostgreSQL's plan (which may
    hash a subquery once instead of probing it per row) reads the range's facts, not the country's."""
    c = cutoffs(as_of, rules)
    narrow = {"organization_id__gte": ids[0], "organization_id__lte": ids[1]} if ids else {}
    started = Coalesce(Least("filed_on", "registered_on"), "registered_on", "filed_on", Cast("created_at", DateField()))
    updated = Cast("updated_at", DateField())
    last_record = Subquery(ActivityRecord.objects.filter(organization=OuterRef("pk"), date__lte=as_of, **narrow)
                           .values("organization").annotate(m=Max("date")).values("m")[:1])
    history = Leader.history.model.objects.filter(organization_id=OuterRef("pk"), **narrow)
    last_leader = Subquery(history.values("organization_id").annotate(m=Max("history_date")).values("m")[:1])
    unreachable = Subquery(
        CreditEvent.objects.filter(organization=OuterRef("pk"), kind=EventKind.UNREACHABLE, **narrow,
                                   date__gt=c.unreachable, date__lte=as_of)
        .values("organization").annotate(n=Count("id")).values("n")[:1])
    report = AnnualReport.objects.filter(organization=OuterRef("pk"), year=c.report_year, state__in=FILED_STATES,
                                         **narrow)
    return orgs.annotate(
        z_started=started,
        z_last_activity=Greatest(Coalesce(last_record, started), updated, started),
        z_last_leader=Coalesce(Cast(last_leader, DateField()), started),
        z_unreachable=Coalesce(unreachable, 0),
        z_report=Exists(report),
        z_updated=updated,
    )


def reasons_of(row: dict, as_of: date, rules: dict, c: Cutoffs | None = None) -> list[dict]:
    """The reasons of one annotated row (plain values: testable with hand-made facts); ``c``: the cutoffs of
    ``as_of`` and ``rules`` when the caller has them (a scan computes them once, not per organization)."""
    c = c or cutoffs(as_of, rules)
    out = []

    def add(code, weight, facts, **fmt):
        out.append({"code": code, "label": LABELS[code], "text": SIGNALS[code].format(**fmt), "weight": weight,
                    "facts": facts})

    last = row["z_last_activity"]
    if last and last < c.activity:
        add("no_activity", rules["no_activity_weight"], {"last_activity": last.isoformat()},
            months=rules["no_activity_months"], last=last.isoformat())
    started = row["z_started"]
    if (row["track"] == Track.REGISTERED and c.report_year and started and started.year <= c.report_year
            and not row["z_report"]):
        add("annual_missing", rules["annual_missing_weight"], {"year": c.report_year}, year=c.report_year)
    if row["z_unreachable"] >= rules["unreachable_min_events"]:
        add("unreachable", rules["unreachable_weight"], {"events": row["z_unreachable"]},
            years=rules["unreachable_years"], count=row["z_unreachable"])
    leader = row["z_last_leader"]
    if leader and leader < c.leaders:
        add("no_leader_change", rules["no_leader_change_weight"], {"last_change": leader.isoformat()},
            years=rules["no_leader_change_years"], last=leader.isoformat())
    filed = row["filed_on"]
    if (row["track"] == Track.FILED and filed and filed < c.filing
            and (row["z_updated"] is None or row["z_updated"] < c.filing)):
        add("stale_filing", rules["stale_filing_weight"], {"filed_on": filed.isoformat()},
            years=rules["stale_filing_years"], filed=filed.isoformat())
    return out


FIELDS = ("id", "track", "filed_on", "z_started", "z_last_activity", "z_last_leader", "z_unreachable", "z_report",
          "z_updated")


def _province_parts(prefix: str | None) -> list[tuple[str | None, Q]]:
    """(rules prefix, filter) pairs: the provinces with their own rules apart, the rest together."""
    configured = [k for k in (getattr(settings, "CSO_ZOMBIE_RULES", {}) or {}) if k != "default"]
    base = subtree_q("division", prefix) if prefix else Q()
    if prefix:
        inner = [k for k in configured if k.startswith(prefix) and k != prefix and len(k) > len(prefix)]
        parts = [(k, subtree_q("division", k)) for k in inner]
        rest = base
        for _, q in parts:
            rest &= ~q
        return [*parts, (prefix, rest)]
    parts = [(k, subtree_q("division", k)) for k in configured]
    rest = Q()
    for _, q in parts:
        rest &= ~q
    return [*parts, (None, rest)]


def _boundaries(orgs, size: int):
    """Keyset chunks of the organizations (any status): (first id, last id) pairs of ``size`` ids each, read
    from the primary key a chunk at a time (never the whole list in memory)."""
    ids = orgs.order_by("pk").values_list("pk", flat=True)
    last = None
    while True:
        page = ids if last is None else ids.filter(pk__gt=last)
        first = page.first()
        if first is None:
            return
        end = next(iter(page[size - 1:size]), None)
        if end is None:
            end = page.order_by("-pk").first()
        yield first, end
        last = end


def _split(code: str, **constants) -> tuple[str, str]:
    """The text of signal ``code`` around its one per-organization value: (before, after)."""
    mark = "\x00"
    before, _, after = SIGNALS[code].format(**{"last": mark, "count": mark, "filed": mark, **constants}).partition(mark)
    return before, after


def _reasons_sql(as_of: date, rules: dict, c: Cutoffs) -> tuple[str, list, str, list]:
    """``reasons_of`` as PostgreSQL expressions over an annotated row ``z``: a jsonb array of the same reasons
    in the same order, the texts made from the same templates (``SIGNALS``, ``LABELS``), and the score (the sum
    of the weights of the same conditions, not read back out of the jsonb) with the flag whether any holds."""
    parts, params, scores, score_params, hits, hit_params = [], [], [], [], [], []

    def reason(code, weight, condition, cond_params, text_sql, text_params, facts_sql, facts_params):
        parts.append(f"CASE WHEN {condition} THEN jsonb_build_array(jsonb_build_object('code', %s::text, "
                     f"'label', %s::text, 'text', {text_sql}, 'weight', %s::int, 'facts', {facts_sql})) "
                     f"ELSE '[]'::jsonb END")
        params.extend([*cond_params, code, LABELS[code], *text_params, weight, *facts_params])
        scores.append(f"CASE WHEN {condition} THEN %s::int ELSE 0 END")
        score_params.extend([*cond_params, weight])
        hits.append(f"({condition})")
        hit_params.extend(cond_params)

    def valued(code, weight, condition, cond_params, fact, value_sql, **constants):
        before, after = _split(code, **constants)
        reason(code, weight, condition, cond_params, f"%s::text || ({value_sql})::text || %s::text", [before, after],
               f"jsonb_build_object(%s::text, {value_sql})", [fact])

    iso = "to_char({}, 'YYYY-MM-DD')"
    valued("no_activity", rules["no_activity_weight"], "z.z_last_activity < %s", [c.activity], "last_activity",
           iso.format("z.z_last_activity"), months=rules["no_activity_months"])
    if c.report_year:
        reason("annual_missing", rules["annual_missing_weight"],
               "z.track = %s AND EXTRACT(YEAR FROM z.z_started) <= %s AND NOT z.z_report",
               [Track.REGISTERED, c.report_year], "%s::text", [SIGNALS["annual_missing"].format(year=c.report_year)],
               "jsonb_build_object('year', %s::int)", [c.report_year])
    valued("unreachable", rules["unreachable_weight"], "z.z_unreachable >= %s", [rules["unreachable_min_events"]],
           "events", "z.z_unreachable", years=rules["unreachable_years"])
    valued("no_leader_change", rules["no_leader_change_weight"], "z.z_last_leader < %s", [c.leaders], "last_change",
           iso.format("z.z_last_leader"), years=rules["no_leader_change_years"])
    valued("stale_filing", rules["stale_filing_weight"],
           "z.track = %s AND z.filed_on < %s AND (z.z_updated IS NULL OR z.z_updated < %s)",
           [Track.FILED, c.filing, c.filing], "filed_on", iso.format("z.filed_on"), years=rules["stale_filing_years"])
    # the score column, then whether any reason holds (a weight may be set to 0: the reason is still kept)
    return (" || ".join(parts), params, f"{' + '.join(scores)} AS score, COALESCE({' OR '.join(hits)}, false) AS hit",
            [*score_params, *hit_params])


def _joined_rows_sql(orgs, as_of: date, c: Cutoffs, lo: int, hi: int) -> tuple[str, list]:
    """The rows of ``annotated`` (same columns, same values) as one PostgreSQL statement that reads each fact table
    once for the id range ``lo``–``hi`` — aggregated, then hash-joined to the organizations — instead of probing
    four correlated subqueries per organization."""
    base, base_params = orgs.values("id", "track", "filed_on", "registered_on", "created_at",
                                    "updated_at").query.sql_with_params()
    q = connection.ops.quote_name
    activity, history = q(ActivityRecord._meta.db_table), q(Leader.history.model._meta.db_table)
    events, reports = q(CreditEvent._meta.db_table), q(AnnualReport._meta.db_table)
    states = ", ".join(["%s"] * len(FILED_STATES))
    sql = (
        "SELECT o.id, o.track, o.filed_on, o.started AS z_started, "
        "GREATEST(COALESCE(a.m, o.started), o.updated, o.started) AS z_last_activity, "
        "COALESCE(l.m::date, o.started) AS z_last_leader, COALESCE(u.n, 0) AS z_unreachable, "
        "(r.organization_id IS NOT NULL) AS z_report, o.updated AS z_updated "
        "FROM (SELECT b.id, b.track, b.filed_on, COALESCE(LEAST(b.filed_on, b.registered_on), b.registered_on, "
        f"b.filed_on, b.created_at::date) AS started, b.updated_at::date AS updated FROM ({base}) b) o "
        f"LEFT JOIN (SELECT organization_id, MAX(date) AS m FROM {activity} WHERE organization_id BETWEEN %s AND %s "
        "AND date <= %s GROUP BY organization_id) a ON a.organization_id = o.id "
        f"LEFT JOIN (SELECT organization_id, MAX(history_date) AS m FROM {history} WHERE organization_id BETWEEN %s "
        "AND %s GROUP BY organization_id) l ON l.organization_id = o.id "
        f"LEFT JOIN (SELECT organization_id, COUNT(*) AS n FROM {events} WHERE organization_id BETWEEN %s AND %s "
        "AND kind = %s AND date > %s AND date <= %s GROUP BY organization_id) u ON u.organization_id = o.id "
        f"LEFT JOIN (SELECT DISTINCT organization_id FROM {reports} WHERE organization_id BETWEEN %s AND %s "
        f"AND year = %s AND state IN ({states})) r ON r.organization_id = o.id")
    params = [*base_params, lo, hi, as_of, lo, hi, lo, hi, EventKind.UNREACHABLE, c.unreachable, as_of,
              lo, hi, c.report_year, *FILED_STATES]
    return sql, params


def _insert_scores_sql(run: ZombieScan, as_of: date, rules: dict, c: Cutoffs, orgs, lo: int,
                       hi: int) -> tuple[int, int]:
    """INSERT … SELECT the scores of the organizations ``orgs`` (ids ``lo``–``hi``) in PostgreSQL; returns how
    many organizations were scanned and how many have a signal."""
    inner, inner_params = _joined_rows_sql(orgs, as_of, c, lo, hi)
    reasons, reason_params, score, score_params = _reasons_sql(as_of, rules, c)
    table = connection.ops.quote_name(ZombieScore._meta.db_table)
    sql = (f"WITH z AS (SELECT z.*, {score} FROM ({inner}) z), "
           f"ins AS (INSERT INTO {table} (organization_id, scan_id, scanned_on, score, reasons) "
           f"SELECT id, %s, %s, LEAST(score, 32767), {reasons} FROM z WHERE hit RETURNING 1) "
           "SELECT (SELECT COUNT(*) FROM z), (SELECT COUNT(*) FROM ins)")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*score_params, *inner_params, run.pk, as_of, *reason_params])
        return cursor.fetchone()


def _score_chunk(run: ZombieScan, as_of: date, division_prefix: str | None, parts, lo: int, hi: int,
                 batch_size: int, set_based: bool) -> tuple[int, int]:
    """Score the organizations with ``lo <= id <= hi`` in one transaction: their old scores go, the new ones
    come; returns (organizations scanned, flagged)."""
    total = flagged = 0
    with transaction.atomic():
        if set_based:
            # JIT-compiling the annotated query costs more than running it on one chunk
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        old = ZombieScore.objects.filter(organization_id__gte=lo, organization_id__lte=hi)
        if division_prefix:
            old = old.filter(subtree_q("organization__division", division_prefix))
        old._raw_delete(old.db)
        for rules, where in parts:
            orgs = Organization.objects.filter(where, pk__gte=lo, pk__lte=hi, status__in=LIVE_STATUSES).order_by()
            c = cutoffs(as_of, rules)
            if set_based:
                scanned, found = _insert_scores_sql(run, as_of, rules, c, orgs, lo, hi)
                total += scanned
                flagged += found
                continue
            rows = annotated(orgs, as_of, rules, (lo, hi)).values(*FIELDS)
            batch = []
            for row in rows.iterator(chunk_size=batch_size):
                total += 1
                reasons = reasons_of(row, as_of, rules, c)
                if reasons:
                    batch.append(ZombieScore(organization_id=row["id"], scan=run, scanned_on=as_of, reasons=reasons,
                                             score=min(sum(r["weight"] for r in reasons), 32767)))
            ZombieScore.objects.bulk_create(batch, batch_size=batch_size)
            flagged += len(batch)
    return total, flagged


def scan(as_of: date, division_prefix: str | None = None, *, run: ZombieScan | None = None,
         chunk_size: int | None = None, batch_size: int = 2000, set_based: bool | None = None) -> ZombieScan:
    """Score the live organizations under ``division_prefix`` (all without it) as of ``as_of``; replaces their
    previous scores. Organizations without any signal get no row.

    The organizations are taken in keyset chunks of ``chunk_size`` ids (``CSO_ZOMBIE_SCAN_CHUNK``), each its own
    transaction (its old scores replaced by the new ones at once), the counts written to the scan after each:
    a national scan neither holds one long transaction nor keeps the country in memory. On PostgreSQL each
    chunk's scores are one INSERT … SELECT (``_joined_rows_sql``: each fact table read once for the chunk's id
    range and hash/merge-joined; ``_reasons_sql``: the SQL twin of ``reasons_of``) — about four times the rate of
    the Python path at national scale (bench/README.md); ``set_based=False`` (and SQLite) sends the rows through
    ``reasons_of`` in Python. The result depends neither on the chunk size nor on the path
    (``test_zombie_scale.py``)."""
    run = run or ZombieScan.objects.create(as_of=as_of, division_prefix=division_prefix or "")
    size = chunk_size or getattr(settings, "CSO_ZOMBIE_SCAN_CHUNK", 20000)
    parts = [(rules_for(rules_prefix), where) for rules_prefix, where in _province_parts(division_prefix)]
    set_based = (set_based is None or set_based) and connection.vendor == "postgresql"
    scope = Organization.objects.filter(subtree_q("division", division_prefix)) if division_prefix else \
        Organization.objects.all()
    total = flagged = 0
    for lo, hi in _boundaries(scope, size):
        scanned, found = _score_chunk(run, as_of, division_prefix, parts, lo, hi, batch_size, set_based)
        total += scanned
        flagged += found
        ZombieScan.objects.filter(pk=run.pk).update(organizations=total, flagged=flagged)
    ZombieScan.objects.filter(pk=run.pk).update(status="done", finished_at=timezone.now(), organizations=total,
                                                flagged=flagged)
    run.refresh_from_db()
    return run


@task()
def scan_zombies(as_of: str, division_prefix: str | None = None, run_id: int | None = None) -> str:
    """The background task of a scan."""
    run = ZombieScan.objects.filter(pk=run_id).first() if run_id else None
    try:
        scan(date.fromisoformat(as_of), division_prefix, run=run)
    except Exception:
        logger.exception("zombie scan %s failed", run_id)
        if run_id:
            ZombieScan.objects.filter(pk=run_id).update(status="failed", finished_at=timezone.now())
        return "failed"
    return "done"


def start(as_of: date, division_prefix: str = "", *, user=None) -> ZombieScan:
    """Record a scan and hand it to the worker."""
    from cso.core import jobs

    run = ZombieScan.objects.create(as_of=as_of, division_prefix=division_prefix, requested_by=user)
    jobs.enqueue(scan_zombies, as_of.isoformat(), division_prefix or None, run.pk)
    run.refresh_from_db()
    return run


def candidates(prefix: str | None = None, threshold: int | None = None):
    """The scores at or above the threshold (the province's candidate_threshold by default), highest first."""
    threshold = rules_for(prefix)["candidate_threshold"] if threshold is None else threshold
    qs = ZombieScore.objects.filter(score__gte=threshold, organization__status__in=LIVE_STATUSES)
    if prefix:
        qs = qs.filter(subtree_q("organization__division", prefix))
    return qs.select_related("organization", "organization__division").order_by("-score", "organization_id")

