"""Eligibility rules (pure): every blocking condition shows as a reason; priority never blocks."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cso.funding.rules import OrgFacts, ProgrammeFacts, check, grade_rank, is_eligible

DAY = date(2026, 5, 1)
grades = st.sampled_from(["", "1A", "2A", "3A", "4A", "5A"])
programmes = st.builds(
    ProgrammeFacts, state=st.sampled_from(["open", "draft", "closed"]),
    opens_on=st.dates(DAY - timedelta(days=60), DAY + timedelta(days=5)),
    closes_on=st.dates(DAY - timedelta(days=5), DAY + timedelta(days=60)),
    division=st.sampled_from(["450102000000", "450000000000", "450102001000"]),
    track_rule=st.sampled_from(["any", "registered", "filed"]), rural_only=st.booleans(),
    cross_district=st.booleans(), category_ids=st.frozensets(st.integers(1, 4), max_size=2),
    grade_rule=st.sampled_from(["none", "priority", "required"]), grade=grades.filter(bool))
orgs = st.builds(
    OrgFacts, live=st.booleans(), track=st.sampled_from(["registered", "filed"]),
    division=st.sampled_from(["450102001003", "450103001005", "440103001001"]),
    rural=st.sampled_from([True, False, None]),
    category_ids=st.frozensets(st.integers(1, 4), max_size=3), grade=grades)


@given(programmes, orgs)
def test_eligible_exactly_when_no_rule_fails(p, o):
    reasons = check(p, o, DAY)
    expected = (p.state == "open" and p.opens_on <= DAY <= p.closes_on and o.live
                and (p.track_rule == "any" or p.track_rule == o.track)
                and (not p.rural_only or o.rural is True)
                and (not p.category_ids or bool(p.category_ids & o.category_ids))
                and (p.cross_district or o.division.startswith(p.division.rstrip("0")[:len(p.division.rstrip("0"))]))
                and not (p.grade_rule == "required" and grade_rank(o.grade) < grade_rank(p.grade)))
    assert is_eligible(reasons) == expected
    assert all(r.text for r in reasons)
    if p.grade_rule == "priority":
        assert not any(r.blocking and r.code in ("priority", "no_priority") for r in reasons)
