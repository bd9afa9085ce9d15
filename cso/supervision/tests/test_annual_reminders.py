"""Reminders of missing annual reports, N days before the deadline (the task runs immediately in tests); the
notices app hears the signal and notifies the organization's accounts."""

from datetime import date

from django.core.management import call_command

from cso.notices.models import Notification
from cso.orgs.models import AccountLink
from cso.orgs.tests.factories import make_registered
from cso.supervision import annual_reminders
from cso.supervision.models import AnnualReminderRun, AnnualReport, AnnualState


def _linked(cast, **extra):
    org = make_registered(cast["superuser"], **extra)
    AccountLink.objects.create(user=cast["organization"], organization=org, division_id=org.division_id)
    return org


def test_reminds_the_missing_ones_30_days_before_31_may(cast):
    missing = _linked(cast, name="兴宁区未报协会")
    filed = _linked(cast, name="兴宁区已报协会")
    _linked(cast, name="兴宁区新协会", registered_on=date(2025, 8, 1))  # owes nothing for 2025
    AnnualReport.objects.create(organization=filed, year=2025, state=AnnualState.SUBMITTED)
    call_command("remind_annual_reports", day="2026-05-01")  # 30 days before 2026-05-31
    notes = Notification.objects.filter(kind="supervision.annual_reminder")
    assert [n.title for n in notes] == ["请报送2025年度报告"]
    assert "兴宁区未报协会" in notes[0].body and "2026-05-31" in notes[0].body
    assert notes[0].recipient == cast["organization"] and notes[0].related_id == str(missing.pk)
    # the same day again: nothing more
    call_command("remind_annual_reports", day="2026-05-01")
    assert notes.count() == 1
    assert AnnualReminderRun.objects.get(day=date(2026, 5, 1)).reminded == 1


def test_no_reminder_on_other_days_and_a_province_sets_its_days(cast, settings):
    _linked(cast)
    assert annual_reminders.send(date(2026, 5, 2)).reminded == 0
    settings.CSO_ANNUAL_REPORT_RULES = {"45": {"deadline": "03-31", "remind_days": [10]}}
    assert annual_reminders.send(date(2026, 3, 21)).reminded == 1
    assert annual_reminders.send(date(2026, 5, 1)).reminded == 0  # 广西 no longer reminds for 5/31


def test_the_organization_hears_of_a_return_and_the_conclusion(cast, client, django_capture_on_commit_callbacks):
    from cso.supervision import annual_services

    org = _linked(cast)
    report = AnnualReport.objects.create(organization=org, year=2025, state=AnnualState.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        annual_services.return_for_correction(report, cast["county"], "请补充活动情况")
    report.refresh_from_db()
    report.state = AnnualState.SUBMITTED
    report.save()
    with django_capture_on_commit_callbacks(execute=True):
        annual_services.review(report, cast["county"], "fail", "未按章程开展活动")
    told = dict(Notification.objects.filter(recipient=cast["organization"]).values_list("title", "body"))
    assert "请补充活动情况" in told["年度报告被退回修改"]
    assert "不合格" in told["年度报告已审查"]
