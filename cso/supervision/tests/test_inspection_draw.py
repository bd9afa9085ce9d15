"""The draw of random inspections: reproducible, at least the minimum rate, never a conflicted inspector.

The pure function is tested with hypothesis; the database test runs on SQLite and on PostgreSQL (CI runs the suite
on both) and compares with a sample computed here by hand from the published formula, so both databases must give
the same answer."""

import hashlib
import hmac
import math
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from cso.orgs.tests.factories import make_registered
from cso.supervision import draw as d
from cso.supervision import inspections as services
from cso.supervision.models import InspectionPlan, Inspector, InspectorConflict, TargetInspector

uids = st.lists(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=6, max_size=16), unique=True,
                max_size=120)
seeds = st.text(min_size=1, max_size=40)
rates = st.decimals(min_value=Decimal("0.01"), max_value=100, places=2)
keys = st.lists(st.text(alphabet="abcdefghijk_0123", min_size=1, max_size=8), unique=True, min_size=2, max_size=12)


@settings(max_examples=150, deadline=None)
@given(seeds, uids, rates, st.randoms(use_true_random=False))
def test_same_seed_same_population_same_sample_whatever_the_order(seed, population, rate, rnd):
    shuffled = list(population)
    rnd.shuffle(shuffled)
    assert d.draw(seed, population, rate, site_share_percent=0) == d.draw(seed, shuffled, rate, site_share_percent=0)


@settings(max_examples=150, deadline=None)
@given(seeds, uids, rates, st.sampled_from([3, 4, 5]))
def test_the_sample_meets_the_minimum_rate(seed, population, rate, minimum):
    result = d.draw(seed, population, rate, min_rate_percent=minimum, site_share_percent=0)
    assert result.size == len(result.targets) == len(set(result.uids))
    assert set(result.uids) <= set(population)
    assert result.size * 100 >= max(rate, minimum) * len(population)  # ceil(rate × N) ≥ rate × N
    assert result.size == min(len(population), math.ceil(max(rate, minimum) * len(population) / 100))


@settings(max_examples=150, deadline=None)
@given(seeds, uids.filter(lambda u: len(u) > 0), keys, st.data())
def test_never_a_conflicted_inspector_and_the_skips_are_recorded(seed, population, pool, data):
    declared = st.lists(st.sampled_from(pool), max_size=len(pool) - 2, unique=True)
    conflicts = {uid: dict.fromkeys(data.draw(declared), "亲属任职")
                 for uid in data.draw(st.lists(st.sampled_from(population), unique=True))}
    result = d.draw(seed, population, 50, site_share_percent=100, inspectors=pool, conflicts=conflicts)
    for target in result.targets:
        assert target.method == d.SITE
        assert len(target.inspectors) == 2 == len(set(target.inspectors))
        declared = conflicts.get(target.uid, {})
        assert not set(target.inspectors) & set(declared)
        assert {s.inspector for s in target.skipped} <= set(declared)
        assert all(s.reason == "亲属任职" for s in target.skipped)


@settings(max_examples=50, deadline=None)
@given(seeds, uids, rates, keys, st.randoms(use_true_random=False))
def test_inspectors_do_not_depend_on_the_order_of_the_pool(seed, population, rate, pool, rnd):
    shuffled = list(pool)
    rnd.shuffle(shuffled)
    assert d.draw(seed, population, rate, inspectors=pool) == d.draw(seed, population, rate, inspectors=shuffled)


def test_the_formula_published_on_the_plan_page_gives_the_sample():
    population = [f"ORG{i:05d}" for i in range(200)]
    seed = "5f0c2b"
    by_hand = sorted(population, key=lambda u: (hmac.new(seed.encode(), f"org:{u}".encode(),
                                                         hashlib.sha256).hexdigest(), u))[:6]
    assert d.draw(seed, population, 3, site_share_percent=0).uids == by_hand


def test_too_few_unconflicted_inspectors_is_refused_in_chinese():
    with pytest.raises(d.DrawError, match="检查人员不足"):
        d.draw("s", ["A1"], 100, inspectors=["x", "y"], conflicts={"A1": {"x": "曾任职"}})


# --- against the database (SQLite and PostgreSQL) ----------------------------------------------------------
@pytest.fixture
def county_plan(cast):
    orgs = [make_registered(cast["superuser"], name=f"兴宁区抽查测试协会{i:02d}") for i in range(40)]
    inspectors = [Inspector.objects.create(user=cast[name], division_id="450102000000", added_by=cast["county"])
                  for name in ("county", "registrar")]
    from cso.demo.testing import make_user

    third = make_user("inspector3", "civil_affairs", "450102000000")
    inspectors.append(Inspector.objects.create(user=third, division_id="450102000000", added_by=cast["county"]))
    plan = InspectionPlan(division_id="450102000000", year=2026, title="2026年度兴宁区社会组织抽查",
                          rate=Decimal("3"), site_share=Decimal("100"), created_by=cast["county"])
    plan.full_clean()
    plan.save()
    return plan, orgs, inspectors


def test_the_database_draw_is_the_published_formula(county_plan, cast):
    plan, orgs, inspectors = county_plan
    InspectorConflict.objects.create(inspector=inspectors[0], organization=orgs[0], reason="配偶任秘书长")
    InspectorConflict.objects.create(inspector=inspectors[1], organization=orgs[1], reason="曾任理事")
    services.run_draw(plan, cast["county"])
    plan.refresh_from_db()
    assert plan.state == "drawn" and plan.drawn_by == cast["county"]
    population = sorted(o.uid for o in orgs)
    expected = sorted(population, key=lambda u: (d.org_score(plan.seed, u), u))[:2]  # ceil(3 % × 40) = 2
    assert [t.org_uid for t in plan.targets.order_by("rank")] == expected
    assert services.verify(plan) == []
    for target in plan.targets.all():
        assert len(target.assigned) == 2
        conflicted = set(InspectorConflict.objects.filter(organization=target.organization)
                         .values_list("inspector", flat=True))
        assert not {row.inspector_id for row in target.assigned} & conflicted


def test_a_conflict_forces_a_skip_with_its_reason(county_plan, cast):
    plan, orgs, inspectors = county_plan
    plan.rate = Decimal("100")
    plan.save()
    InspectorConflict.objects.create(inspector=inspectors[2], organization=orgs[5], reason="本人曾任该会会长")
    services.run_draw(plan, cast["county"])
    target = plan.targets.get(organization=orgs[5])
    assert inspectors[2].pk not in {row.inspector_id for row in target.assigned}
    skipped = list(target.inspector_rows.filter(status=TargetInspector.Status.SKIPPED))
    assert all(row.reason == "本人曾任该会会长" for row in skipped)
    plan.refresh_from_db()
    assert services.verify(plan) == []


def test_tampering_with_the_sample_is_found_by_the_verification(county_plan, cast):
    plan, orgs, _ = county_plan
    services.run_draw(plan, cast["county"])
    target = plan.targets.order_by("rank").first()
    other = next(o for o in orgs if o.uid not in set(plan.targets.values_list("org_uid", flat=True)))
    target.organization, target.org_uid = other, other.uid
    target.save()
    plan.refresh_from_db()
    assert services.verify(plan)


def test_the_rate_may_not_be_below_the_levels_minimum(cast, settings):
    settings.CSO_INSPECTION_MIN_RATES = {"county": 6}
    plan = InspectionPlan(division_id="450102000000", year=2026, title="抽查", rate=Decimal("5"))
    with pytest.raises(ValidationError, match="最低比例6%"):
        plan.full_clean()


def test_a_drawn_plan_is_not_drawn_again(county_plan, cast):
    plan, _, _ = county_plan
    services.run_draw(plan, cast["county"])
    with pytest.raises(ValidationError, match="不能重新抽取"):
        services.run_draw(plan, cast["county"])
    assert plan.targets.count() == 2


def test_the_verification_command_reruns_the_draw(county_plan, cast):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    plan, _, _ = county_plan
    services.run_draw(plan, cast["county"])
    out = StringIO()
    call_command("verify_inspection_draw", plan.pk, stdout=out)
    assert "一致" in out.getvalue() and plan.seed in out.getvalue()
    plan.targets.order_by("rank").first().delete()
    with pytest.raises(CommandError):
        call_command("verify_inspection_draw", stdout=StringIO())


def test_a_province_may_set_a_higher_minimum(cast, settings):
    settings.CSO_INSPECTION_MIN_RATES = {"county": 3, "45": {"county": 8}}
    plan = InspectionPlan(division_id="450102000000", year=2026, title="抽查", rate=Decimal("5"))
    with pytest.raises(ValidationError, match="最低比例8%"):
        plan.full_clean()


def test_the_seed_must_match_the_commitment_published_with_the_plan(county_plan, cast):
    """Commit–reveal: a seed swapped after the plan was made (the commitment published) fails the verification,
    in the service and in ``verify_inspection_draw``, even though the draw re-runs consistently from it."""
    import hashlib
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    plan, _, _ = county_plan
    committed = plan.seed_commitment
    assert committed == hashlib.sha256(plan.seed.encode()).hexdigest()
    InspectionPlan.objects.filter(pk=plan.pk).update(seed="0" * 32)  # swapped before the draw
    plan.refresh_from_db()
    services.run_draw(plan, cast["county"])
    plan.refresh_from_db()
    assert plan.seed_commitment == committed and not plan.commitment_holds
    assert "承诺值不符" in services.verify(plan)[0]
    with pytest.raises(CommandError):
        call_command("verify_inspection_draw", plan.pk, stdout=StringIO())
