"""Grade evaluation eligibility (RULES.md "Grade evaluation"), dates computed by hand."""

from datetime import date

import pytest
from django.utils import timezone

from cso.orgs.tests.factories import make_registered
from cso.supervision import evaluation
from cso.supervision.models import AnnualReport, AnnualState, Conclusion, CreditEvent, EnforcementCase, ListEntry
from cso.supervision.models.credit import CreditList, EntryState, EventKind

ON = date(2026, 6, 1)


def _report(org, year, result=Conclusion.PASS):
    return AnnualReport.objects.create(organization=org, year=year, state=AnnualState.REVIEWED, result=result,
                                       submitted_at=timezone.now(), reason="" if result == "pass" else "账目不清")


def _codes(reasons):
    return [code for code, _ in reasons]


@pytest.fixture
def org(cast):
    org = make_registered(cast["superuser"], registered_on=date(2024, 6, 1))
    _report(org, 2025)
    return org


def test_registered_two_full_years_and_never_evaluated_may_apply(org):
    # registered 2024-06-01: two full years on 2026-06-01, not on 2026-05-31
    ok, reasons = evaluation.eligibility(org, ON)
    assert ok and _codes(reasons) == ["first"]
    ok, reasons = evaluation.eligibility(org, date(2026, 5, 31))
    assert not ok and _codes(reasons) == ["too_young"]


def test_renewal_when_validity_ends_and_upgrade_after_the_local_minimum(org):
    # evaluated 2021-09-01, valid until 2026-08-31; renewal window 180 days → from 2026-03-04
    ok, reasons = evaluation.eligibility(org, date(2026, 3, 4), previous=(date(2021, 9, 1), date(2026, 8, 31)))
    assert ok and _codes(reasons) == ["renewal"]
    # evaluated 2024-03-01: upgrade bid from 2026-03-01 (2 years), not on 2026-02-28
    prev = (date(2024, 3, 1), date(2029, 2, 28))
    ok, reasons = evaluation.eligibility(org, date(2026, 3, 1), previous=prev)
    assert ok and _codes(reasons) == ["upgrade"]
    ok, reasons = evaluation.eligibility(org, date(2026, 2, 28), previous=prev)
    assert not ok and _codes(reasons) == ["too_soon"]


def test_a_province_sets_a_longer_upgrade_minimum(org, settings):
    settings.CSO_EVALUATION_RULES = {"": {}, "45": {"upgrade_years": 3}}
    ok, reasons = evaluation.eligibility(org, date(2026, 3, 1), previous=(date(2024, 3, 1), date(2029, 2, 28)))
    assert not ok and "2027-03-01" in reasons[0][1]


def test_missing_last_years_report_excludes(cast):
    org = make_registered(cast["superuser"], registered_on=date(2020, 1, 1), founded_on=date(2020, 1, 1))
    _report(org, 2024)  # 2025's report missing on 2026-06-01
    ok, reasons = evaluation.eligibility(org, ON)
    assert not ok and _codes(reasons) == ["first", "no_annual_report"]
    assert "2025" in reasons[1][1] and "民政部令第39号" in reasons[1][1]


def test_last_report_failed_excludes(org):
    AnnualReport.objects.filter(organization=org, year=2025).update(result=Conclusion.FAIL)
    ok, reasons = evaluation.eligibility(org, ON)
    assert not ok and "annual_fail" in _codes(reasons)


def test_basic_two_years_running_excludes_but_once_does_not(org):
    AnnualReport.objects.filter(organization=org, year=2025).update(result=Conclusion.BASIC)
    assert evaluation.eligibility(org, ON)[0] is True  # only once
    _report(org, 2024, Conclusion.BASIC)
    ok, reasons = evaluation.eligibility(org, ON)
    assert not ok and "annual_basic_twice" in _codes(reasons)


def test_penalty_last_year_excludes_but_not_the_year_before(org):
    CreditEvent.objects.create(organization=org, kind=EventKind.PENALTY, date=date(2024, 12, 31))
    assert evaluation.eligibility(org, ON)[0] is True
    CreditEvent.objects.create(organization=org, kind=EventKind.PENALTY, date=date(2025, 1, 1))
    ok, reasons = evaluation.eligibility(org, ON)
    assert not ok and "penalised" in _codes(reasons)


def test_penalty_still_running_excludes(org):
    EnforcementCase.objects.create(organization=org, number="E-1", facts="x", penalty_type="suspension",
                                   opened_on=date(2023, 1, 1), decided_on=date(2023, 3, 1))
    ok, reasons = evaluation.eligibility(org, ON)
    assert not ok and _codes(reasons) == ["first", "penalised"]


def test_open_case_means_under_investigation(org):
    EnforcementCase.objects.create(organization=org, number="E-2", facts="x", opened_on=date(2026, 5, 1))
    ok, reasons = evaluation.eligibility(org, ON)
    assert not ok and _codes(reasons) == ["first", "investigated"]
    EnforcementCase.objects.filter(number="E-2").update(closed_on=date(2026, 5, 20))  # closed without penalty
    assert evaluation.eligibility(org, ON)[0] is True


@pytest.mark.parametrize("credit_list", [CreditList.ABNORMAL, CreditList.SERIOUS])
def test_listed_excludes_until_exit(org, credit_list):
    entry = ListEntry.objects.create(organization=org, credit_list=credit_list, state=EntryState.CONFIRMED,
                                     entered_on=date(2026, 1, 5), reason_code="x", basis="y")
    ok, reasons = evaluation.eligibility(org, ON)
    assert not ok and "listed" in _codes(reasons) and entry.get_credit_list_display() in reasons[-1][1]
    ListEntry.objects.filter(pk=entry.pk).update(state=EntryState.EXITED, exit_on=date(2026, 5, 1))
    assert evaluation.eligibility(org, ON)[0] is True


@pytest.mark.parametrize(("cutoffs", "total", "grade"), [
    ("anqing", 950, "5A"), ("anqing", 949, "4A"), ("anqing", 901, "4A"), ("anqing", 851, "3A"),
    ("anqing", 800, ""), ("luoyang", 900, "5A"), ("luoyang", 899, "4A"), ("luoyang", 600, "2A"),
    ("luoyang", 599, ""), ("chenxi_100", 90, "5A"), ("chenxi_100", 50, "1A"), ("chenxi_100", 49, ""),
])
def test_grade_by_the_rules_md_cutoffs(cutoffs, total, grade):
    assert evaluation.grade_for(total, evaluation.EXAMPLE_CUTOFFS[cutoffs]) == grade


# --- the score of one indicator (evaluation_services.parse_score) ---------------------------------------------
from decimal import Decimal  # noqa: E402

from hypothesis import given  # noqa: E402
from hypothesis import settings as hsettings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cso.supervision.evaluation_services import parse_score  # noqa: E402


@hsettings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=12), st.decimals(allow_nan=True, allow_infinity=True).map(str),
                 st.integers(-1000, 2000).map(str)),
       st.sampled_from([Decimal(10), Decimal(30), Decimal("7.5"), Decimal(1000)]))
def test_a_score_is_accepted_exactly_when_it_is_a_number_between_0_and_the_points_with_one_decimal(text, points):
    number, error = parse_score(text, points)
    assert (number is None) == bool(error)
    if number is not None:
        assert 0 <= number <= points and number == number.quantize(Decimal("0.1"))
    else:
        assert error.startswith(("：", "的得分应在0至"))
