"""Zombie detection: each signal on hand-made facts, the set-based scan, the province override."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cso.orgs.models import Leader, Organization
from cso.orgs.tests.factories import make_filed, make_registered
from cso.supervision import credit, zombie
from cso.supervision.models import ActivityRecord, AnnualReport, ZombieScan, ZombieScore

AS_OF = date(2026, 7, 1)
RULES = zombie.rules_for()


def row(**facts):
    base = {"id": 1, "track": "registered", "filed_on": None, "z_started": date(2020, 1, 1),
            "z_last_activity": date(2026, 6, 1), "z_last_leader": date(2024, 1, 1), "z_unreachable": 0,
            "z_report": True, "z_updated": date(2026, 6, 1)}
    base.update(facts)
    return base


def codes(**facts):
    return [r["code"] for r in zombie.reasons_of(row(**facts), AS_OF, RULES)]


def test_a_healthy_organization_has_no_reason():
    assert codes() == []


def test_no_activity_for_twelve_months():
    assert codes(z_last_activity=date(2025, 6, 30)) == ["no_activity"]
    assert codes(z_last_activity=date(2025, 7, 1)) == []
    reason = zombie.reasons_of(row(z_last_activity=date(2025, 1, 2)), AS_OF, RULES)[0]
    assert reason["facts"] == {"last_activity": "2025-01-02"} and "12个月" in reason["text"]
    assert "本平台建议" in reason["label"] and reason["weight"] == 30


def test_annual_report_missing_registered_only_and_after_the_due_day():
    assert codes(z_report=False) == ["annual_missing"]
    reason = zombie.reasons_of(row(z_report=False), AS_OF, RULES)[0]
    assert reason["facts"] == {"year": 2025}
    assert codes(z_report=False, track="filed") == []
    assert codes(z_report=False, z_started=date(2026, 2, 1)) == []  # started after the report year
    early = zombie.reasons_of(row(z_report=False), date(2026, 5, 1), RULES)[0]
    assert early["facts"] == {"year": 2024}  # before 5-31 the 2025 report is not due yet


def test_unreachable_is_marked_unverified():
    reason = zombie.reasons_of(row(z_unreachable=2), AS_OF, RULES)[0]
    assert reason["code"] == "unreachable" and "RULES.md 未能核实的规则" in reason["label"]
    assert reason["facts"] == {"events": 2}


def test_no_leader_change_for_five_years():
    assert codes(z_last_leader=date(2021, 6, 30)) == ["no_leader_change"]
    assert codes(z_last_leader=date(2021, 7, 1)) == []


def test_stale_filing_of_a_filed_group():
    assert codes(track="filed", filed_on=date(2022, 1, 1), z_updated=date(2022, 1, 1)) == ["stale_filing"]
    assert codes(track="filed", filed_on=date(2022, 1, 1), z_updated=date(2025, 1, 1)) == []
    assert codes(track="filed", filed_on=date(2024, 1, 1), z_updated=date(2024, 1, 1)) == []


def test_province_override(settings):
    settings.CSO_ZOMBIE_RULES = {"default": {"no_activity_months": 6}, "45": {"no_activity_months": 24}}
    assert zombie.rules_for()["no_activity_months"] == 6
    assert zombie.rules_for("450102")["no_activity_months"] == 24
    assert zombie.rules_for("44")["no_activity_months"] == 6


def _age(org, when):
    Organization.objects.filter(pk=org.pk).update(updated_at=timezone.make_aware(datetime(*when)))


@pytest.mark.django_db
def test_scan_scores_from_the_database(cast):
    quiet = make_registered(cast["superuser"], registered_on=date(2019, 5, 1), founded_on=date(2019, 5, 1))
    _age(quiet, (2024, 1, 1))
    credit.record_event(quiet, "unreachable", date(2026, 3, 1))
    busy = make_registered(cast["superuser"])
    _age(busy, (2024, 1, 1))
    Leader.objects.create(organization=busy, name="李明")  # a leader change (history row) now
    ActivityRecord.objects.create(organization=busy, date=date(2026, 5, 1), what="社区义诊")
    AnnualReport.objects.create(organization=busy, year=2025, state="submitted")
    team = make_filed(cast["superuser"], filed_on=date(2021, 3, 1))
    _age(team, (2021, 3, 2))

    run = zombie.scan(AS_OF, "450102")
    assert (run.status, run.organizations) == ("done", 3)
    scores = {s.organization_id: s for s in ZombieScore.objects.all()}
    assert [r["code"] for r in scores[quiet.pk].reasons] == ["no_activity", "annual_missing", "unreachable",
                                                         "no_leader_change"]  # no leader since 2019
    assert scores[quiet.pk].score == 90
    assert busy.pk not in scores  # activity recorded, report submitted, new leader
    assert [r["code"] for r in scores[team.pk].reasons] == ["no_activity", "no_leader_change", "stale_filing"]
    assert list(zombie.candidates("450102")) == [scores[quiet.pk], scores[team.pk]]
    assert list(zombie.candidates("450102", threshold=70)) == [scores[quiet.pk]]
    # a second scan replaces the scores of the subtree
    zombie.scan(AS_OF, "450102")
    assert ZombieScore.objects.count() == 2


@pytest.mark.django_db
def test_scan_is_one_pass(cast):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            zombie.scan(AS_OF, "450102")
        return len(ctx.captured_queries)

    for _ in range(2):
        _age(make_filed(cast["superuser"], filed_on=date(2020, 1, 1)), (2020, 1, 2))
    few = queries()
    for _ in range(6):
        _age(make_filed(cast["superuser"], filed_on=date(2020, 1, 1)), (2020, 1, 2))
    assert queries() == few
    assert ZombieScore.objects.count() == 8


@pytest.mark.django_db
def test_background_task_and_command(cast):
    from django.core.management import call_command

    _age(make_filed(cast["superuser"], filed_on=date(2020, 1, 1)), (2020, 1, 2))
    call_command("scan_zombies", "--as-of", "2026-07-01", "--division", "450102")
    run = ZombieScan.objects.get()
    assert (run.status, run.flagged) == ("done", 1)
