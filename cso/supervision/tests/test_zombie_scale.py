"""The national zombie scan: chunked (keyset batches, one transaction each) and whole, through Python
(``reasons_of``) and set-based SQL (PostgreSQL), all give the same scores and reasons."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.utils import timezone

from cso.orgs.models import Leader, Organization
from cso.orgs.tests.factories import make_filed, make_registered
from cso.supervision import credit, zombie
from cso.supervision.models import ActivityRecord, AnnualReport, ZombieScan, ZombieScore

AS_OF = date(2026, 7, 1)


def _age(org, when):
    Organization.objects.filter(pk=org.pk).update(updated_at=timezone.make_aware(datetime(*when)))


@pytest.fixture
def registry(cast):
    user = cast["superuser"]
    orgs = []
    for i in range(4):
        quiet = make_registered(user, registered_on=date(2018 + i, 5, 1), founded_on=date(2018 + i, 5, 1))
        _age(quiet, (2023, 1 + i, 1))
        for _ in range(i % 3):
            credit.record_event(quiet, "unreachable", date(2026, 3, 1 + i))
        if i % 2:
            AnnualReport.objects.create(organization=quiet, year=2025, state="submitted")
        orgs.append(quiet)
    busy = make_registered(user)
    _age(busy, (2024, 1, 1))
    Leader.objects.create(organization=busy, name="李明")
    ActivityRecord.objects.create(organization=busy, date=date(2026, 5, 1), what="社区义诊")
    AnnualReport.objects.create(organization=busy, year=2025, state="submitted")
    orgs.append(busy)
    for i in range(4):
        team = make_filed(user, filed_on=date(2020 + i, 3, 1))
        _age(team, (2020 + i, 3, 2 + i))
        if i == 3:
            ActivityRecord.objects.create(organization=team, date=date(2025, 1, 2), what="广场舞")
        orgs.append(team)
    gone = make_filed(user, filed_on=date(2019, 1, 1))
    Organization.objects.filter(pk=gone.pk).update(status="cleared")
    return orgs


def _scores():
    return {s.organization_id: (s.score, s.reasons, s.scanned_on) for s in ZombieScore.objects.all()}


@pytest.mark.django_db
def test_chunked_and_whole_scans_agree(registry):
    whole = zombie.scan(AS_OF, "450102", chunk_size=10_000, set_based=False)
    expected = _scores()
    assert len(expected) >= 7 and whole.organizations == 9
    assert {r["code"] for _, reasons, _ in expected.values() for r in reasons} == {
        "no_activity", "annual_missing", "unreachable", "no_leader_change", "stale_filing"}
    chunked = zombie.scan(AS_OF, "450102", chunk_size=2, set_based=False)
    assert _scores() == expected
    assert (chunked.status, chunked.organizations, chunked.flagged) == ("done", 9, whole.flagged)
    assert ZombieScore.objects.filter(scan=chunked).count() == len(expected)  # old scores replaced


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based path is PostgreSQL's")
def test_set_based_sql_gives_the_reasons_of_python(registry):
    zombie.scan(AS_OF, "450102", set_based=False)
    expected = _scores()
    for size in (3, 10_000):
        run = zombie.scan(AS_OF, "450102", chunk_size=size, set_based=True)
        assert _scores() == expected
        assert (run.organizations, run.flagged) == (9, len(expected))


@pytest.mark.django_db
def test_progress_is_written_after_each_chunk(registry, monkeypatch):
    seen = []
    real = zombie._score_chunk

    def spy(run, *args):
        seen.append(ZombieScan.objects.get(pk=run.pk).organizations)
        return real(run, *args)

    monkeypatch.setattr(zombie, "_score_chunk", spy)
    run = zombie.scan(AS_OF, "450102", chunk_size=4)
    assert len(seen) == 3 and seen[0] == 0 and seen == sorted(seen) and seen[-1] > 0
    assert run.organizations == 9


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based path is PostgreSQL's")
def test_a_reason_weighted_zero_is_kept_on_both_paths(registry, settings):
    settings.CSO_ZOMBIE_RULES = {"default": {"no_leader_change_weight": 0, "stale_filing_weight": 0}}
    zombie.scan(AS_OF, "450102", set_based=False)
    expected = _scores()
    assert any(r["weight"] == 0 for _, reasons, _ in expected.values() for r in reasons)
    run = zombie.scan(AS_OF, "450102", set_based=True)
    assert _scores() == expected and run.flagged == len(expected)
