"""The set-based run of the credit rules: proposals, timers, exits, staff decisions kept, incremental runs."""

from datetime import date
from decimal import Decimal

import pytest

from cso.orgs.tests.factories import county_authority, credit_code, make_registered
from cso.supervision import credit, credit_runner
from cso.supervision.models import CreditRun, ListEntry

pytestmark = pytest.mark.django_db


def test_a_run_proposes_entries_updates_timers_and_exits(cast):
    org = make_registered(cast["superuser"])
    quiet = make_registered(cast["superuser"])  # no events: not looked at
    credit.record_event(org, "annual_report_missing", date(2025, 3, 1), user=cast["registrar"])
    credit_runner.run_credit_rules.enqueue("2025-06-01")
    run = CreditRun.objects.get()
    assert (run.status, run.organizations, run.proposed) == ("done", 1, 1)
    entry = ListEntry.objects.get()
    assert (entry.organization, entry.credit_list, entry.state) == (org, "abnormal", "proposed")
    assert (entry.entered_on, entry.escalates_on, entry.needs_correction) == (date(2025, 3, 1), date(2027, 3, 1), True)
    assert entry.chain[0]["code"] == "annual_report_missing" and "民政部令第60号" in entry.basis
    assert credit.timers(entry)[0] == "若在 2027-03-01 前未纠正，将列入严重违法失信名单"
    assert not ListEntry.objects.filter(organization=quiet).exists()

    credit.decide(entry, cast["registrar"], True, "逾期未报送2024年度工作报告")
    credit.record_event(org, "penalty", date(2025, 7, 1), penalty_type="fine", fine_amount=Decimal("60000"))
    run = credit_runner.start(date(2025, 8, 1), "450102")
    assert (run.organizations, run.proposed, run.updated) == (1, 1, 0)  # serious proposed; a large fine is serious only
    assert set(ListEntry.objects.values_list("credit_list", "state")) == {("abnormal", "confirmed"),
                                                                         ("serious", "proposed")}
    credit.record_event(org, "corrected", date(2025, 9, 1))
    run = credit_runner.start(date(2025, 9, 2), "450102")
    entry.refresh_from_db()
    assert (entry.state, entry.exit_on) == ("exited", date(2025, 9, 1)) and entry.was_published
    assert run.exited == 1


def test_a_dismissed_proposal_is_not_proposed_again_and_an_incremental_run_skips_quiet_orgs(cast):
    org = make_registered(cast["superuser"])
    credit.record_event(org, "unreachable", date(2026, 1, 5))
    credit_runner.start(date(2026, 2, 1), "450102")
    credit.decide(ListEntry.objects.get(), cast["registrar"], False, "信件已由本人签收，系误记")
    again = credit_runner.start(date(2026, 3, 1), "450102", full=True)
    assert again.proposed == 0 and ListEntry.objects.get().state == "dismissed"
    nothing = credit_runner.start(date(2026, 3, 2), "450102")
    assert nothing.organizations == 0


def test_the_two_year_timer_escalates_in_an_incremental_run(cast):
    org = make_registered(cast["superuser"])
    credit.record_event(org, "inspection_failed", date(2024, 3, 1))
    credit_runner.start(date(2024, 4, 1), "")
    credit.decide(ListEntry.objects.get(), cast["registrar"], True, "抽查整改逾期")
    run = credit_runner.start(date(2026, 3, 1), "")
    assert (run.organizations, run.exited, run.proposed) == (1, 1, 1)
    serious = ListEntry.objects.get(credit_list="serious")
    assert (serious.entered_on, serious.reason_code, serious.earliest_exit_on) == (
        date(2026, 3, 1), "abnormal_two_years", date(2028, 3, 1))
    assert ListEntry.objects.get(credit_list="abnormal").exit_reason == "列入满2年，转入严重违法失信名单"


def test_a_run_limited_to_a_division_leaves_others_alone(cast):
    here = make_registered(cast["superuser"])
    there = make_registered(cast["superuser"], division="450103001005", credit_code=credit_code("1", "450103"),
                            registration_authority=county_authority("450103000000"))
    for org in (here, there):
        credit.record_event(org, "penalty", date(2026, 1, 5), penalty_type="suspension")
    run = credit_runner.start(date(2026, 2, 1), "450103")
    assert run.organizations == 1
    assert list(ListEntry.objects.values_list("organization", flat=True)) == [there.pk]


def test_the_command_hands_a_run_to_the_worker(cast):
    import io

    from django.core.management import call_command

    org = make_registered(cast["superuser"])
    credit.record_event(org, "court_dishonest", date(2026, 1, 5))
    out = io.StringIO()
    call_command("run_credit_rules", "--as-of", "2026-02-01", "--full", stdout=out)
    assert "done" in out.getvalue() and ListEntry.objects.get().credit_list == "serious"
