"""The annual report's rules, with dates computed by hand (RULES.md: 5/31 for organizations registered before
1 July of the report year; last year's 基本合格 / 不合格 → a remediation report)."""

from datetime import date, datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cso.orgs.models import AccountLink, Organization
from cso.orgs.tests.factories import make_filed, make_registered
from cso.supervision import annual, annual_services
from cso.supervision.models import AnnualReport, AnnualState, Conclusion

COMPLETE = {
    "work_compliance": "遵守法律法规", "work_changes": "无", "work_activities": "开展邻里互助活动12次",
    "work_personnel": "无变动", "work_funds": "会费收入", "work_awards": "", "work_public_benefit": "",
    "total_income": Decimal("12000"), "total_expense": Decimal("9000"), "donation_income": Decimal("2000"),
    "government_grants": Decimal("5000"), "year_end_assets": Decimal("8000"), "liabilities": Decimal("1000"),
    "net_assets": Decimal("7000"), "party_members": 3, "party_organization": False,
    "party_activities": "由社区党委派驻党建指导员",
}


def test_the_default_deadline_is_31_may_of_the_next_year(cast):
    org = make_registered(cast["superuser"])
    assert annual.deadline(org, 2025) == date(2026, 5, 31)
    assert annual.deadline(org, 2024) == date(2025, 5, 31)


def test_a_province_sets_its_own_deadline_and_cutoff(cast, settings):
    settings.CSO_ANNUAL_REPORT_RULES = {"": {}, "45": {"deadline": "03-31", "registered_before": "01-01"}}
    org = make_registered(cast["superuser"], registered_on=date(2025, 3, 1))
    assert annual.deadline(org, 2025) == date(2026, 3, 31)
    assert annual.owes_report(org, 2025) is False  # registered after 1 January 2025
    assert annual.owes_report(org, 2026) is True
    assert annual.rules_for("44").deadline(2025) == date(2026, 5, 31)  # other provinces keep the default


@pytest.mark.parametrize(("registered_on", "owes"), [
    (date(2025, 6, 30), True),   # the day before 1 July
    (date(2025, 7, 1), False),   # 1 July itself: not before
    (date(2025, 12, 31), False),
    (date(2020, 5, 1), True),
])
def test_owes_a_report_when_registered_before_1_july_of_the_year(cast, registered_on, owes):
    org = make_registered(cast["superuser"], registered_on=registered_on)
    assert annual.owes_report(org, 2025) is owes
    assert (org in annual.owing(Organization.objects.all(), 2025)) is owes


def test_filed_groups_and_dead_organizations_owe_nothing(cast):
    group = make_filed(cast["superuser"])
    dead = make_registered(cast["superuser"])
    Organization.objects.filter(pk=dead.pk).update(status="deregistered")
    dead.refresh_from_db()
    assert annual.owes_report(group, 2025) is False
    assert annual.owes_report(dead, 2025) is False
    assert set(annual.owing(Organization.objects.all(), 2025)) == set()


def _reviewed(org, year, result):
    return AnnualReport.objects.create(organization=org, year=year, state=AnnualState.REVIEWED, result=result,
                                       submitted_at=timezone.now(), reason="" if result == "pass" else "账目不清")


@pytest.mark.parametrize(("last", "needed"), [
    (Conclusion.PASS, False), (Conclusion.BASIC, True), (Conclusion.FAIL, True), (None, False)])
def test_remediation_follows_last_years_conclusion(cast, last, needed):
    org = make_registered(cast["superuser"])
    if last:
        _reviewed(org, 2024, last)
    assert annual.needs_remediation(org, 2025) is needed
    assert annual.needs_remediation(org, 2026) is False  # only the year right after


def test_missing_and_late_are_querysets(cast, django_assert_max_num_queries):
    su = cast["superuser"]
    filed_on_time, filed_late, draft_only, none = (make_registered(su) for _ in range(4))
    AnnualReport.objects.create(organization=filed_on_time, year=2025, state=AnnualState.SUBMITTED,
                                submitted_at=timezone.now(), late=False)
    AnnualReport.objects.create(organization=filed_late, year=2025, state=AnnualState.SUBMITTED,
                                submitted_at=timezone.now(), late=True)
    AnnualReport.objects.create(organization=draft_only, year=2025)
    with django_assert_max_num_queries(1):
        missing = set(annual.missing(Organization.objects.all(), 2025))
    assert missing == {draft_only, none}
    with django_assert_max_num_queries(1):
        late = list(annual.late(AnnualReport.objects.all(), 2025))
    assert [r.organization for r in late] == [filed_late]


def _linked_account(cast, org):
    user = cast["organization"]
    AccountLink.objects.get_or_create(user=user, organization=org, division_id=org.division_id)
    return user


def test_submitting_after_the_deadline_marks_the_report_late(cast):
    org = make_registered(cast["superuser"])
    user = _linked_account(cast, org)
    with mock.patch.object(annual_services, "today", return_value=date(2026, 6, 2)):
        report = annual_services.start(user, org, 2025)
    report = annual_services.save_draft(report, user, COMPLETE)
    june = timezone.make_aware(datetime(2026, 6, 1, 9, 0))
    with mock.patch("django.utils.timezone.now", return_value=june):
        report = annual_services.submit(report, user)
    assert report.late is True and report.due_on == date(2026, 5, 31)
    assert list(annual.late(AnnualReport.objects.all(), 2025)) == [report]


def test_submission_names_the_missing_fields_and_checks_the_figures(cast):
    org = make_registered(cast["superuser"])
    user = _linked_account(cast, org)
    report = annual_services.start(user, org, 2025)
    with pytest.raises(ValidationError) as exc:
        annual_services.submit(report, user)
    fields = exc.value.message_dict
    assert "年末净资产合计" in fields["net_assets"][0] and "党员人数" in fields["party_members"][0]
    annual_services.save_draft(report, user, {**COMPLETE, "net_assets": Decimal("6000")})
    with pytest.raises(ValidationError) as exc:
        annual_services.submit(report, user)
    assert list(exc.value.message_dict) == ["net_assets"]
    with pytest.raises(ValidationError) as exc:
        annual_services.save_draft(report, user, {"total_income": Decimal("-1")})
    assert "不能为负数" in str(exc.value)


def test_a_submitted_report_cannot_change_until_returned(cast):
    org = make_registered(cast["superuser"])
    user = _linked_account(cast, org)
    report = annual_services.save_draft(annual_services.start(user, org, 2025), user, COMPLETE)
    annual_services.submit(report, user)
    with pytest.raises(ValidationError, match="不能修改"):
        annual_services.save_draft(report, user, {"work_awards": "改"})
    stored = AnnualReport.objects.get(pk=report.pk)
    stored.total_income = Decimal("1")
    with pytest.raises(ValidationError, match="内容不能修改"):  # not even by a direct save
        stored.save()
    annual_services.return_for_correction(report, cast["county"], "请补充活动情况")
    annual_services.save_draft(report, user, {"work_awards": "改"})
    assert AnnualReport.objects.get(pk=report.pk).work_awards == "改"


def test_an_organization_registered_after_the_cutoff_cannot_start_that_year(cast):
    org = make_registered(cast["superuser"], registered_on=date(2025, 8, 1))
    user = _linked_account(cast, org)
    with pytest.raises(ValidationError, match="无须报送"):
        annual_services.start(user, org, 2025)
