"""Annual reports and inspection results feed the credit rules (issue 11; RULES.md "Credit lists", 民政部令第60号).

Each feed writes ``CreditEvent`` rows through ``credit.record_event`` (one fact each, ``source_object`` the row
that caused it) and is called by the service that takes the decision, inside its transaction (both or nothing):

- ``annual_report_failed(report, user)``: a report reviewed 不合格 → ``annual_report_false`` (活动异常名录：未按照
  规定要求报送年度工作报告), dated the review day, source the report;
- ``annual_reports_missing(day)``: the daily, set-based run (``manage.py feed_credit_from_annual_reports``): every
  organization that owed a report for the last year, whose deadline has passed on ``day`` and that has filed none →
  ``annual_report_missing`` dated the day after the deadline; one per organization and year (idempotent);
- ``inspection_failed(result, user)``: an inspection result concluding 发现问题，责令限期整改 →
  ``inspection_failed`` dated the day after the period to fix it (the rule lists on 逾期未整改: the next run of the
  rules after that day proposes the entry; a verified correction is a ``corrected`` event recorded by staff).

Every call is idempotent: a second call for the same source (or the same organization and year) records nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from cso.orgs.models import Organization

from . import annual, annual_reminders
from .credit import record_event
from .models.credit import CreditEvent, EventKind


def _exists(kind: str, source_object) -> bool:
    return CreditEvent.objects.filter(kind=kind, source_type=ContentType.objects.get_for_model(source_object),
                                      source_id=source_object.pk).exists()


def annual_report_failed(report, user=None) -> CreditEvent | None:
    """A report reviewed 不合格: one ``annual_report_false`` event (none if already recorded)."""
    if report.result != "fail" or _exists(EventKind.ANNUAL_REPORT_FALSE, report):
        return None
    on = timezone.localdate(report.reviewed_at) if report.reviewed_at else timezone.localdate()
    return record_event(report.organization, EventKind.ANNUAL_REPORT_FALSE, on,
                        source=f"{report.year}年度年度报告（年检不合格）", source_object=report,
                        basis=report.reason[:300], user=user)


def missing_source(year: int) -> str:
    """The ``source`` of a missing-report event: with the kind, the key of one event per organization and year."""
    return f"{year}年度年度报告（逾期未报送）"


def annual_reports_missing(day: date | None = None) -> int:
    """Record ``annual_report_missing`` for every organization missing last year's report after its deadline.

    Set-based: one INSERT … SELECT-like bulk per province rule (the candidates are a queryset; the organizations
    already fed for that year are excluded in SQL). Returns how many events were recorded."""
    day = day or timezone.localdate()
    made = 0
    for rules, where in annual_reminders._groups():
        year = day.year - 1
        deadline = rules.deadline(year)
        if day <= deadline:
            continue
        source = missing_source(year)
        fed = CreditEvent.objects.filter(kind=EventKind.ANNUAL_REPORT_MISSING, source=source).values("organization_id")
        orgs = annual.missing(Organization.objects.filter(where), year).exclude(pk__in=fed)
        on = deadline + timedelta(days=1)
        with transaction.atomic():
            batch = []
            for org_id in orgs.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000):
                batch.append(CreditEvent(organization_id=org_id, kind=EventKind.ANNUAL_REPORT_MISSING, date=on,
                                         source=source, basis=f"截止日期 {deadline:%Y-%m-%d}，逾期未报送"))
                if len(batch) >= 5000:
                    CreditEvent.objects.bulk_create(batch)
                    made += len(batch)
                    batch = []
            CreditEvent.objects.bulk_create(batch)
            made += len(batch)
    return made


def inspection_failed(result, user=None) -> CreditEvent | None:
    """An inspection result 责令限期整改: one ``inspection_failed`` event due the day after ``fix_by``."""
    if result.conclusion != "fix" or _exists(EventKind.INSPECTION_FAILED, result):
        return None
    on = (result.fix_by or result.inspected_on) + timedelta(days=1)
    return record_event(result.target.organization, EventKind.INSPECTION_FAILED, on,
                        source=f"抽查计划 {result.target.plan} 检查结果（逾期未整改）", source_object=result,
                        basis=f"整改期限 {result.fix_by:%Y-%m-%d}" if result.fix_by else "", user=user)


@task()
def feed_credit_from_annual_reports(day: str = "") -> int:
    """The background task of the daily run (``manage.py feed_credit_from_annual_reports``)."""
    return annual_reports_missing(date.fromisoformat(day) if day else None)
