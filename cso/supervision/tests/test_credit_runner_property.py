"""Property: whatever the history and whatever days the (incremental) runs fall on, the stored open entries are
exactly the rules' current entries — one per list at most, each with its non-empty reason chain."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cso.orgs.models import Organization
from cso.orgs.tests.factories import make_registered
from cso.supervision import credit_rules as cr
from cso.supervision import credit_runner
from cso.supervision.models import CreditEvent, CreditRun, ListEntry

KINDS = ["annual_report_missing", "inspection_failed", "unreachable", "court_dishonest", "corrected",
         "exit_application", "penalty"]
D = date
history = st.lists(st.tuples(st.sampled_from(KINDS), st.dates(min_value=D(2019, 1, 1), max_value=D(2030, 12, 31)),
                             st.sampled_from(["warning", "fine", "suspension"]),
                             st.sampled_from(["1000", "60000"])), max_size=8)
run_days = st.lists(st.dates(min_value=D(2019, 1, 1), max_value=D(2032, 12, 31)), min_size=1, max_size=4,
                    unique=True)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=history, days=run_days)
def test_incremental_runs_store_exactly_the_current_entries(cast, raw, days):
    ListEntry.objects.all().delete()
    CreditEvent.objects.all().delete()
    CreditRun.objects.all().delete()
    org = Organization.objects.filter(name="性质测试协会").first() or make_registered(cast["superuser"],
                                                                                 name="性质测试协会")
    events = []
    for kind, on, penalty, fine in raw:
        row = CreditEvent.objects.create(organization=org, kind=kind, date=on,
                                         penalty_type=penalty if kind == "penalty" else "",
                                         fine_amount=Decimal(fine) if kind == "penalty" and penalty == "fine" else None)
        events.append(cr.Event(row.pk, row.kind, row.date, row.penalty_type, row.fine_amount))
    for day in sorted(days):
        credit_runner.start(day, "450102")
        expected = {(e.credit_list, e.entered_on): e for e in cr.current(events, day).values()}
        stored = {(e.credit_list, e.entered_on): e for e in ListEntry.objects.filter(state__in=["proposed",
                                                                                               "confirmed"])}
        assert set(stored) == set(expected), day
        for key, entry in stored.items():
            assert entry.chain and entry.chain == expected[key].chain()
            assert entry.basis == entry.chain[0]["basis"]
