"""The credit-list rules with hand-computed dates (RULES.md "Credit lists", 民政部令第60号), and a property test."""

import itertools
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cso.supervision import credit_rules as cr
from cso.supervision.credit_rules import ABNORMAL, SERIOUS, Event

D = date


def ev(n, kind, on, penalty_type="", fine=None):
    return Event(n, kind, on, penalty_type, Decimal(fine) if fine is not None else None)


def test_dates_add_whole_months_and_years():
    assert cr.add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert cr.add_years(D(2024, 2, 29), 2) == D(2026, 2, 28)
    assert cr.add_years(D(2025, 3, 1), -3) == D(2022, 3, 1)


def test_missing_annual_report_lists_abnormal_with_the_escalation_timer():
    now = cr.current([ev(1, "annual_report_missing", D(2025, 3, 1))], D(2025, 6, 1))
    entry = now[ABNORMAL]
    assert (entry.entered_on, entry.reason_code) == (D(2025, 3, 1), "annual_report_missing")
    assert entry.needs_correction
    assert entry.escalates_on == D(2027, 3, 1)
    assert entry.earliest_exit_on is None  # only a correction lets it leave
    assert "年度工作报告" in entry.basis and "民政部令第60号" in entry.basis
    assert SERIOUS not in now


def test_correction_removes_it_on_the_day_of_the_verification():
    events = [ev(1, "annual_report_missing", D(2025, 3, 1)), ev(2, "corrected", D(2025, 5, 20))]
    (episode,) = cr.evaluate(events, D(2026, 1, 1))
    assert (episode.exit_on, episode.exit_reason) == (D(2025, 5, 20), cr.EXIT_CORRECTED)
    assert cr.current(events, D(2025, 5, 19))[ABNORMAL].entered_on == D(2025, 3, 1)
    assert cr.current(events, D(2025, 5, 20)) == {}


def test_a_warning_leaves_after_six_months_without_correction():
    events = [ev(1, "penalty", D(2025, 8, 31), "warning")]
    assert cr.current(events, D(2025, 9, 1))[ABNORMAL].earliest_exit_on == D(2026, 2, 28)
    assert ABNORMAL in cr.current(events, D(2026, 2, 27))
    (episode,) = cr.evaluate(events, D(2026, 2, 28))
    assert (episode.exit_on, episode.exit_reason) == (D(2026, 2, 28), cr.EXIT_SIX_MONTHS)


def test_a_second_small_fine_pushes_the_six_months_on():
    events = [ev(1, "penalty", D(2025, 1, 10), "fine", "1000"), ev(2, "penalty", D(2025, 4, 1), "warning")]
    entry = cr.current(events, D(2025, 5, 1))[ABNORMAL]
    assert entry.earliest_exit_on == D(2025, 10, 1)
    assert [r.code for r in entry.reasons] == ["minor_penalty", "minor_penalty"]


def test_two_minor_penalties_within_three_years_list_serious_on_the_second():
    events = [ev(1, "penalty", D(2023, 5, 1), "warning"), ev(2, "penalty", D(2026, 5, 1), "fine", "20000")]
    now = cr.current(events, D(2026, 6, 1))
    assert now[SERIOUS].entered_on == D(2026, 5, 1) and now[SERIOUS].reason_code == "repeated_penalties"
    assert now[SERIOUS].earliest_exit_on == D(2028, 5, 1)
    # one day outside the three years: abnormal only
    late = [ev(1, "penalty", D(2023, 5, 1), "warning"), ev(2, "penalty", D(2026, 5, 2), "warning")]
    assert set(cr.current(late, D(2026, 6, 1))) == {ABNORMAL}


def test_fine_threshold_is_fifty_thousand():
    assert set(cr.current([ev(1, "penalty", D(2026, 1, 5), "fine", "50000")], D(2026, 2, 1))) == {SERIOUS}
    assert set(cr.current([ev(1, "penalty", D(2026, 1, 5), "fine", "49999.99")], D(2026, 2, 1))) == {ABNORMAL}


def test_each_serious_condition_lists_serious_on_its_day():
    for kind, penalty in (("penalty", "suspension"), ("penalty", "change_revoked"), ("penalty", "revocation"),
                          ("court_dishonest", "")):
        entry = cr.current([ev(1, kind, D(2026, 3, 3), penalty)], D(2026, 3, 3))[SERIOUS]
        assert entry.entered_on == D(2026, 3, 3) and entry.earliest_exit_on == D(2028, 3, 3)
    assert cr.current([ev(1, "penalty", D(2026, 3, 3), "confiscation")], D(2027, 1, 1)) == {}
    assert cr.current([ev(1, "other", D(2026, 3, 3))], D(2027, 1, 1)) == {}


def test_two_full_years_on_the_abnormal_list_move_it_to_the_serious_list():
    events = [ev(1, "unreachable", D(2025, 3, 1))]
    assert set(cr.current(events, D(2027, 2, 28))) == {ABNORMAL}
    abnormal, serious = cr.evaluate(events, D(2027, 3, 1))
    assert (abnormal.exit_on, abnormal.exit_reason) == (D(2027, 3, 1), cr.EXIT_ESCALATED)
    assert (serious.entered_on, serious.reason_code, serious.reasons[0].event_id) == (D(2027, 3, 1),
                                                                                      "abnormal_two_years", None)
    assert serious.earliest_exit_on == D(2029, 3, 1)


def test_a_correction_the_day_before_the_two_years_prevents_the_move():
    events = [ev(1, "unreachable", D(2025, 3, 1)), ev(2, "corrected", D(2027, 2, 28))]
    assert cr.current(events, D(2028, 1, 1)) == {}


def test_correcting_does_not_cut_short_the_six_months_of_a_penalty():
    events = [ev(1, "penalty", D(2025, 1, 15), "warning"), ev(2, "annual_report_missing", D(2025, 3, 1)),
              ev(3, "corrected", D(2025, 4, 1))]
    entry = cr.current(events, D(2025, 4, 2))[ABNORMAL]
    assert entry.earliest_exit_on == D(2025, 7, 15) and not entry.needs_correction
    assert cr.evaluate(events, D(2025, 8, 1))[0].exit_on == D(2025, 7, 15)


def test_leaving_the_serious_list_takes_an_application_two_years_after_the_last_event():
    events = [ev(1, "penalty", D(2024, 6, 1), "suspension"), ev(2, "exit_application", D(2026, 5, 31))]
    assert SERIOUS in cr.current(events, D(2026, 7, 1))  # applied one day too early
    events.append(ev(3, "exit_application", D(2026, 6, 1)))
    (episode,) = cr.evaluate(events, D(2026, 7, 1))
    assert (episode.exit_on, episode.exit_reason) == (D(2026, 6, 1), cr.EXIT_APPLIED)


def test_a_new_listing_event_restarts_the_serious_clock():
    events = [ev(1, "penalty", D(2024, 6, 1), "suspension"), ev(2, "annual_report_missing", D(2025, 9, 10))]
    serious = cr.current(events, D(2025, 10, 1))[SERIOUS]
    assert serious.earliest_exit_on == D(2027, 9, 10)
    assert [r.event_id for r in serious.reasons] == [1]  # the clock restarted, the reason chain is the suspension
    events.append(ev(3, "exit_application", D(2026, 6, 1)))
    assert SERIOUS in cr.current(events, D(2026, 7, 1))
    events.append(ev(4, "exit_application", D(2027, 9, 10)))
    assert SERIOUS not in cr.current(events, D(2027, 9, 10))


def test_a_new_event_after_leaving_opens_a_new_entry():
    events = [ev(1, "annual_report_missing", D(2025, 3, 1)), ev(2, "corrected", D(2025, 4, 1)),
              ev(3, "annual_report_missing", D(2026, 3, 1))]
    first, second = cr.evaluate(events, D(2026, 4, 1))
    assert first.exit_on == D(2025, 4, 1)
    assert second.entered_on == D(2026, 3, 1) and second.escalates_on == D(2028, 3, 1) and second.is_current


def test_events_after_the_day_of_the_run_are_ignored():
    assert cr.current([ev(1, "annual_report_missing", D(2027, 1, 1))], D(2026, 12, 31)) == {}


KINDS = ["annual_report_missing", "annual_report_false", "inspection_failed", "unreachable", "no_party_org",
         "court_dishonest", "corrected", "exit_application", "other", "penalty"]
events_strategy = st.lists(st.tuples(
    st.sampled_from(KINDS), st.dates(min_value=D(2018, 1, 1), max_value=D(2030, 12, 31)),
    st.sampled_from(["warning", "fine", "suspension", "revocation", "change_revoked", "confiscation"]),
    st.sampled_from(["100", "49999", "50000", "200000"])), max_size=12)


@settings(max_examples=300, deadline=None)
@given(events_strategy, st.dates(min_value=D(2018, 1, 1), max_value=D(2033, 12, 31)))
def test_any_history_gives_at_most_one_current_entry_per_list_with_a_consistent_reason_chain(raw, as_of):
    events = [ev(i, kind, on, pt if kind == "penalty" else "", fine if pt == "fine" else None)
              for i, (kind, on, pt, fine) in enumerate(raw, 1)]
    episodes = cr.evaluate(events, as_of)
    by_id = {e.id: e for e in events}
    for credit_list in cr.LISTS:
        mine = [e for e in episodes if e.credit_list == credit_list]
        assert sum(e.is_current for e in mine) <= 1
        for before, after in itertools.pairwise(mine):  # stays on one list never overlap
            assert before.exit_on is not None and before.exit_on <= after.entered_on
    for episode in episodes:
        assert episode.reasons, "a listed organization has a reason"
        assert episode.reasons[0].on == episode.entered_on
        assert all(cr.REASONS[r.code][0] == episode.credit_list for r in episode.reasons)
        assert all(episode.entered_on <= r.on <= as_of for r in episode.reasons)
        assert [r.on for r in episode.reasons] == sorted(r.on for r in episode.reasons)
        for reason in episode.reasons:
            if reason.event_id is not None:
                assert by_id[reason.event_id].on == reason.on
            if episode.exit_on is not None:
                assert reason.on <= episode.exit_on
        if episode.is_current and episode.credit_list == ABNORMAL:
            assert episode.escalates_on > as_of
            assert episode.earliest_exit_on is None or episode.earliest_exit_on > as_of
    assert set(cr.current(events, as_of)) <= set(cr.LISTS)
