"""Annual reports and inspection results feed the credit rules: each feed records exactly one event, a second call
records nothing, and the next run of the rules proposes the right entry (活动异常名录, 民政部令第60号)."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cso.orgs.tests.factories import make_registered
from cso.supervision import annual_services, credit_runner, feeds, inspections
from cso.supervision.models import (
    AnnualReport,
    AnnualState,
    CreditEvent,
    InspectionPlan,
    InspectionTarget,
    ListEntry,
)

pytestmark = pytest.mark.django_db


def _proposed(org, as_of):
    credit_runner.run_credit_rules.enqueue(as_of.isoformat())
    return list(ListEntry.objects.filter(organization=org).values_list("credit_list", "state", "reason_code"))


def test_a_report_reviewed_fail_records_one_event_and_lists_the_organization(cast):
    org = make_registered(cast["superuser"], registered_on=date(2020, 5, 1))
    report = AnnualReport.objects.create(organization=org, year=2025, due_on=date(2026, 5, 31),
                                         state=AnnualState.SUBMITTED, submitted_at=timezone.now())
    annual_services.review(report, cast["county"], "fail", "财务数据与审计报告不符")
    event = CreditEvent.objects.get(organization=org)
    assert (event.kind, event.source_object, event.date) == ("annual_report_false", report, timezone.localdate())
    report.refresh_from_db()
    assert feeds.annual_report_failed(report) is None  # idempotent
    assert CreditEvent.objects.count() == 1
    assert _proposed(org, timezone.localdate()) == [("abnormal", "proposed", "annual_report_false")]


def test_a_report_reviewed_pass_records_nothing(cast):
    org = make_registered(cast["superuser"], registered_on=date(2020, 5, 1))
    report = AnnualReport.objects.create(organization=org, year=2025, due_on=date(2026, 5, 31),
                                         state=AnnualState.SUBMITTED, submitted_at=timezone.now())
    annual_services.review(report, cast["county"], "pass", "")
    assert not CreditEvent.objects.exists()


def test_the_daily_run_records_one_missing_event_per_organization_and_year(cast):
    owing = make_registered(cast["superuser"], registered_on=date(2020, 5, 1))
    filed = make_registered(cast["superuser"], registered_on=date(2020, 5, 1))
    young = make_registered(cast["superuser"], registered_on=date(2025, 9, 1))  # registered after the cutoff
    AnnualReport.objects.create(organization=filed, year=2025, due_on=date(2026, 5, 31),
                                state=AnnualState.SUBMITTED, submitted_at=timezone.now())
    assert feeds.annual_reports_missing(date(2026, 5, 31)) == 0  # the deadline day itself: not yet missing
    call_command("feed_credit_from_annual_reports", day="2026-06-01")
    event = CreditEvent.objects.get()
    assert (event.organization, event.kind, event.date) == (owing, "annual_report_missing", date(2026, 6, 1))
    assert feeds.annual_reports_missing(date(2026, 6, 2)) == 0  # idempotent
    assert not CreditEvent.objects.filter(organization__in=[filed, young]).exists()
    assert _proposed(owing, date(2026, 6, 2)) == [("abnormal", "proposed", "annual_report_missing")]


def test_an_inspection_result_to_fix_records_one_event_due_after_the_period(cast):
    org = make_registered(cast["superuser"])
    plan = InspectionPlan.objects.create(division_id="450102000000", year=2026, title="抽查", rate="10",
                                         state=InspectionPlan.State.DRAWN, created_by=cast["county"])
    target = InspectionTarget.objects.create(plan=plan, organization=org, org_uid=org.uid, rank=1, score="0",
                                             method="site")
    fix_by = date(2026, 6, 30)
    result = inspections.record_result(target, {"method": "site", "inspected_on": date(2026, 5, 1),
                                                "findings": "财务制度不健全", "conclusion": "fix", "fix_by": fix_by},
                                       cast["county"])
    event = CreditEvent.objects.get()
    assert (event.kind, event.source_object, event.date) == ("inspection_failed", result, fix_by + timedelta(days=1))
    assert feeds.inspection_failed(result) is None and CreditEvent.objects.count() == 1
    assert _proposed(org, fix_by) == []  # still within the period
    assert _proposed(org, fix_by + timedelta(days=1)) == [("abnormal", "proposed", "inspection_failed")]


def test_an_inspection_result_without_problems_records_nothing(cast):
    org = make_registered(cast["superuser"])
    plan = InspectionPlan.objects.create(division_id="450102000000", year=2026, title="抽查", rate="10",
                                         state=InspectionPlan.State.DRAWN, created_by=cast["county"])
    target = InspectionTarget.objects.create(plan=plan, organization=org, org_uid=org.uid, rank=1, score="0",
                                             method="desk")
    inspections.record_result(target, {"method": "desk", "inspected_on": date(2026, 5, 1), "findings": "无",
                                       "conclusion": "ok"}, cast["county"])
    assert not CreditEvent.objects.exists()
