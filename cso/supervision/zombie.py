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
from django.db import transaction
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


def annotated(orgs, as_of: date, rules: dict):
    """The organizations with one annotation per signal's facts — one SQL statement."""
    c = cutoffs(as_of, rules)
    started = Coalesce(Least("filed_on", "registered_on"), "registered_on", "filed_on", Cast("created_at", DateField()))
    updated = Cast("updated_at", DateField())
    last_record = Subquery(ActivityRecord.objects.filter(organization=OuterRef("pk"), date__lte=as_of)
                           .values("organization").annotate(m=Max("date")).values("m")[:1])
    history = Leader.history.model.objects.filter(organization_id=OuterRef("pk"))
    last_leader = Subquery(history.values("organization_id").annotate(m=Max("history_date")).values("m")[:1])
    unreachable = Subquery(
        CreditEvent.objects.filter(organization=OuterRef("pk"), kind=EventKind.UNREACHABLE,
                                   date__gt=c.unreachable, date__lte=as_of)
        .values("organization").annotate(n=Count("id")).values("n")[:1])
    report = AnnualReport.objects.filter(organization=OuterRef("pk"), year=c.report_year, state__in=FILED_STATES)
    return orgs.annotate(
        z_started=started,
        z_last_activity=Greatest(Coalesce(last_record, started), updated, started),
        z_last_leader=Coalesce(Cast(last_leader, DateField()), started),
        z_unreachable=Coalesce(unreachable, 0),
        z_report=Exists(report),
        z_updated=updated,
    )


def reasons_of(row: dict, as_of: date, rules: dict) -> list[dict]:
    """The reasons of one annotated row (plain values: testable with hand-made facts)."""
    c = cutoffs(as_of, rules)
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


def scan(as_of: date, division_prefix: str | None = None, *, run: ZombieScan | None = None,
         batch_size: int = 5000) -> ZombieScan:
    """Score the live organizations under ``division_prefix`` (all without it) as of ``as_of``; replaces their
    previous scores. Organizations without any signal get no row."""
    run = run or ZombieScan.objects.create(as_of=as_of, division_prefix=division_prefix or "")
    total = flagged = 0
    with transaction.atomic():
        old = ZombieScore.objects.all()
        if division_prefix:
            old = old.filter(subtree_q("organization__division", division_prefix))
        old._raw_delete(old.db)
        for rules_prefix, where in _province_parts(division_prefix):
            rules = rules_for(rules_prefix)
            orgs = Organization.objects.filter(where, status__in=LIVE_STATUSES).order_by()
            batch = []
            for row in annotated(orgs, as_of, rules).values(*FIELDS).iterator(chunk_size=batch_size):
                total += 1
                reasons = reasons_of(row, as_of, rules)
                if not reasons:
                    continue
                batch.append(ZombieScore(organization_id=row["id"], scan=run, scanned_on=as_of, reasons=reasons,
                                         score=min(sum(r["weight"] for r in reasons), 32767)))
                if len(batch) >= batch_size:
                    flagged += len(batch)
                    ZombieScore.objects.bulk_create(batch)
                    batch = []
            if batch:
                flagged += len(batch)
                ZombieScore.objects.bulk_create(batch)
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

