"""The table's approval chain without HTTP: prepare, review and submit (two accounts), accept or return,
correct as a new version, chase, freeze, lateness, rounds."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from cso.orgs import services as org_services
from cso.orgs.tests.factories import make_filed
from cso.regions.models import Division
from cso.reports import rounds, services
from cso.reports.choices import EventKind, ReportStatus, RoundState, Timeliness
from cso.reports.models import QuarterlyReport, Reminder, ReportEvent
from cso.stats import indicators

from .conftest import CHAOYANG, R1, R2, XINGNING, at

COUNTY = "450102000000"
QINGXIU = "450103000000"
CITY = "450100000000"
MINSHENG = "450102001000"
CHAOYANG_STREET = "450102002000"


@pytest.fixture
def county(tree):
    return Division.objects.get(code=COUNTY)


def chaoyang_street(cast):
    """朝阳街道's account: the body that files 朝阳社区's groups (the cast's "street" is 民生街道)."""
    return cast["outsider_street"]


def row(data, code):
    return next(r for r in data["rows"] if r["code"] == code)["values"]


def prepare(cast, county, reference=R1, day=(2025, 6, 10)):
    with at(*day):
        return services.generate(county, reference, cast["county"], prepared_by_name="张敏",
                                 contact_phone="0771-5551234")


def submitted(cast, reviewer, county, day=(2025, 6, 12)):
    report = prepare(cast, county)
    with at(*day):
        return services.submit(report, reviewer, reviewer_name="李强")


# --- rounds -------------------------------------------------------------------------------------

def test_the_default_rounds_are_seed_000s_three_and_there_is_no_march_round(tree):
    found = rounds.rounds_of(COUNTY, 2025)
    assert [r.deadline for r in found] == [date(2025, 6, 20), date(2025, 9, 20), date(2025, 12, 20)]
    assert [r.reference for r in found] == [date(2025, 5, 31), date(2025, 8, 31), date(2025, 11, 30)]
    assert found[0].previous_reference == date(2024, 11, 30)  # the first round starts where last year ended
    assert found[1].period_start == date(2025, 6, 1)


def test_a_county_clerk_prepares_a_draft_counting_the_half_open_interval_of_its_round(cast, registry, county):
    report = prepare(cast, county)
    assert report.status == ReportStatus.DRAFT and report.version == 1
    assert (report.reference_date, report.deadline) == (R1, date(2025, 6, 20))
    assert report.as_of == R1 and report.period_start == date(2024, 12, 1)
    assert report.interval_label == "（2024-11-30，2025-05-31］"
    data = report.data
    assert [r["code"] for r in data["rows"]] == [MINSHENG, CHAOYANG_STREET]
    total = data["total"]["values"]
    assert (total["orgs_live"], total["orgs_registered"], total["orgs_filed"]) == (5, 1, 4)
    assert total["new_in_period"] == 1  # e, filed 2025-04-10
    assert data["proposed_layout"] is True
    assert list(report.events.values_list("kind", flat=True)) == [EventKind.GENERATED]


def test_the_table_holds_exactly_the_engines_numbers(cast, registry, county):
    report = prepare(cast, county)
    result = indicators.compute(COUNTY, R1, period_start=date(2024, 12, 1))
    for key, value in result.parent.values.items():
        assert services.number(report.data["total"]["values"][key]) == value, key


def test_a_round_whose_reference_date_has_not_come_cannot_be_prepared(cast, county):
    with at(2025, 8, 15), pytest.raises(services.WorkflowError, match="尚未到"):
        services.generate(county, R2, cast["county"], prepared_by_name="张敏")


def test_a_date_that_is_no_round_of_the_province_is_refused(cast, county):
    with at(2025, 8, 15), pytest.raises(services.WorkflowError, match="没有截至"):
        services.generate(county, date(2025, 3, 31), cast["county"], prepared_by_name="张敏")


def test_an_organization_founded_between_a_deadline_and_the_quarters_end_is_counted_in_the_next_round(
        cast, registry, county, reviewer):
    make_filed(cast["street"], division=XINGNING, filed_on=date(2025, 6, 25))  # after 6/20, before 6/30
    first = prepare(cast, county)
    with at(2025, 9, 5):
        second = services.generate(county, R2, cast["county"], prepared_by_name="张敏")
    assert first.data["total"]["values"]["new_in_period"] == 1
    assert second.data["total"]["values"]["new_in_period"] == 1


def test_deregistered_and_cleared_are_separate_columns(cast, registry, county):
    org_services.change_status(registry["b"], "deregistered", date(2025, 3, 1), "自行解散", cast["street"])
    org_services.change_status(registry["c"], "cleared", date(2025, 4, 1), "长期不活动", cast["street"])
    report = prepare(cast, county)
    total = report.data["total"]["values"]
    assert (total["deregistered_in_period"], total["cleared_in_period"], total["ended_in_period"]) == (1, 1, 2)
    keys = [c["key"] for c in report.data["columns"]]
    assert "deregistered_in_period" in keys and "cleared_in_period" in keys and "ended_in_period" not in keys


# --- the chain ----------------------------------------------------------------------------------

def test_the_reviewer_submits_and_every_step_is_recorded(cast, registry, county, reviewer):
    report = submitted(cast, reviewer, county)
    assert report.status == ReportStatus.SUBMITTED
    assert report.reviewer == reviewer and report.reviewer_name == "李强" and report.submitted_by == reviewer
    with at(2025, 6, 13):
        report = services.accept(report, cast["city"], note="数据无误")
    assert report.status == ReportStatus.ACCEPTED and report.decided_by == cast["city"]
    events = list(ReportEvent.objects.filter(report=report))
    assert [e.kind for e in events] == [EventKind.GENERATED, EventKind.SUBMITTED, EventKind.ACCEPTED]
    assert [e.user for e in events] == [cast["county"], reviewer, cast["city"]]
    assert events[2].user_division == "南宁市" and events[2].note == "数据无误"


def test_the_preparer_cannot_review_their_own_table(cast, registry, county):
    report = prepare(cast, county)
    with pytest.raises(services.WorkflowError, match="不同的账号"):
        services.submit(report, cast["county"])
    assert QuarterlyReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


@pytest.mark.parametrize("who", ["street", "community", "city", "province", "outsider_county", "operator"])
def test_only_the_countys_own_staff_may_prepare_or_submit(cast, registry, county, reviewer, who):
    with at(2025, 6, 10), pytest.raises(PermissionDenied):
        services.generate(county, R1, cast[who], prepared_by_name="张敏")
    report = prepare(cast, county)
    with pytest.raises(PermissionDenied):
        services.submit(report, cast[who])
    assert QuarterlyReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


@pytest.mark.parametrize("who", ["county", "province", "outsider_county", "street"])
def test_only_the_city_above_may_accept_or_return_a_county_table(cast, registry, county, reviewer, who):
    report = submitted(cast, reviewer, county)
    with pytest.raises(PermissionDenied):
        services.accept(report, cast[who])
    with pytest.raises(PermissionDenied):
        services.return_table(report, cast[who], reason="不对")
    with pytest.raises(PermissionDenied):  # nor the county's own second account
        services.accept(report, reviewer)
    assert QuarterlyReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_an_accepted_table_is_locked(cast, registry, county, reviewer):
    report = services.accept(submitted(cast, reviewer, county), cast["city"])
    with pytest.raises(services.WorkflowError):
        services.return_table(report, cast["city"], reason="再看看")
    with pytest.raises(services.WorkflowError):
        services.regenerate(report, cast["county"])
    with pytest.raises(services.WorkflowError):
        services.correct(report, cast["county"])
    with at(2025, 6, 20), pytest.raises(services.WorkflowError, match="已通过"):
        services.generate(county, R1, cast["county"], prepared_by_name="张敏")
    assert QuarterlyReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED


def test_a_returned_table_is_corrected_as_a_new_version_and_resubmitted(cast, registry, county, reviewer):
    report = submitted(cast, reviewer, county)
    with pytest.raises(services.WorkflowError, match="退回原因"):
        services.return_table(report, cast["city"], reason=" ")
    with at(2025, 6, 13):
        report = services.return_table(report, cast["city"], reason="朝阳街道漏报一个备案组织")
    assert report.status == ReportStatus.RETURNED and report.return_reason == "朝阳街道漏报一个备案组织"
    make_filed(chaoyang_street(cast), division=CHAOYANG, filed_on=date(2025, 5, 5))
    with at(2025, 6, 14):
        v2 = services.correct(report, cast["county"])
    assert (v2.version, v2.status, v2.previous_version) == (2, ReportStatus.DRAFT, report)
    assert "朝阳街道漏报" in v2.correction_reason
    assert v2.data["total"]["values"]["orgs_live"] == 6 and report.data["total"]["values"]["orgs_live"] == 5
    assert v2.as_of == report.as_of and v2.period_start == report.period_start
    with pytest.raises(services.WorkflowError, match="已有第2版"):
        services.correct(report, cast["county"])
    with at(2025, 6, 15):
        v2 = services.submit(v2, reviewer)
        v2 = services.accept(v2, cast["city"])
    assert services.official_version(COUNTY, R1) == v2
    assert [s.kind for s in services.timeline_of(v2)] == [
        EventKind.GENERATED, EventKind.SUBMITTED, EventKind.RETURNED, EventKind.CORRECTED, EventKind.SUBMITTED,
        EventKind.ACCEPTED]


def test_a_submitted_table_does_not_change_when_the_registry_does(cast, registry, county, reviewer):
    report = submitted(cast, reviewer, county)
    frozen = QuarterlyReport.objects.get(pk=report.pk).data
    make_filed(cast["street"], division=XINGNING, filed_on=date(2025, 5, 20))
    assert QuarterlyReport.objects.get(pk=report.pk).data == frozen
    with pytest.raises(services.WorkflowError, match="只有草稿可以重新生成"):
        services.regenerate(report, cast["county"])


def test_generating_again_while_a_draft_regenerates_it(cast, registry, county):
    first = prepare(cast, county)
    make_filed(chaoyang_street(cast), division=CHAOYANG, filed_on=date(2025, 5, 5))
    second = prepare(cast, county)
    assert second.pk == first.pk and second.version == 1
    assert second.data["total"]["values"]["orgs_live"] == 6
    assert [e.kind for e in second.events.all()] == [EventKind.GENERATED, EventKind.REGENERATED]


def test_only_one_live_version_per_division_and_round(cast, registry, county):
    report = prepare(cast, county)
    duplicate = QuarterlyReport(division=county, year=2025, reference_date=R1, deadline=report.deadline, version=2,
                                as_of=report.as_of, period_start=report.period_start, data={},
                                generated_at=report.generated_at, prepared_by_name="x")
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError, whichever database raises it
        duplicate.save()


# --- the city's roll-up goes up the same way ----------------------------------------------------------

def test_the_city_rolls_up_accepted_tables_and_the_province_decides_on_it(cast, registry, county, reviewer,
                                                                          outsider_reviewer):
    city = Division.objects.get(code=CITY)
    ours = services.accept(submitted(cast, reviewer, county), cast["city"])
    with at(2025, 6, 15), pytest.raises(services.WorkflowError, match="青秀区"):
        services.generate(city, R1, cast["city"])
    with at(2025, 6, 10):
        theirs = services.generate(Division.objects.get(code=QINGXIU), R1, cast["outsider_county"])
        theirs = services.accept(services.submit(theirs, outsider_reviewer), cast["city"])
    from cso.accounts.choices import Role
    from cso.demo.testing import make_user

    city_reviewer = make_user("city_reviewer", Role.CIVIL_AFFAIRS, CITY)
    with at(2025, 6, 16):
        table = services.generate(city, R1, cast["city"])
        assert [r["code"] for r in table.data["rows"]] == [COUNTY, QINGXIU]
        assert table.data["total"]["values"]["orgs_live"] == (ours.data["total"]["values"]["orgs_live"]
                                                              + theirs.data["total"]["values"]["orgs_live"])
        with pytest.raises(PermissionDenied):
            services.submit(table, cast["county"])
        table = services.submit(table, city_reviewer)
        with pytest.raises(PermissionDenied):  # the city does not approve its own table
            services.accept(table, city_reviewer)
        table = services.accept(table, cast["province"])
    assert table.status == ReportStatus.ACCEPTED


# --- lateness and chasing ---------------------------------------------------------------------------

def test_round_states_show_each_county_and_who_is_late(cast, registry, county, reviewer):
    report = submitted(cast, reviewer, county)
    rnd = rounds.round_at(COUNTY, R1)
    counties = [(COUNTY, "兴宁区"), (QINGXIU, "青秀区")]
    ours, theirs = services.round_states(counties, rnd, date(2025, 6, 25))
    assert ours.state == RoundState.SUBMITTED and ours.timeliness == Timeliness.ON_TIME
    assert ours.official.pk == report.pk
    assert theirs.state == RoundState.NOT_STARTED and theirs.timeliness == Timeliness.OVERDUE
    assert theirs.days_late == 5 and theirs.is_late
    services.return_table(report, cast["city"], reason="核对")
    ours = services.round_states(counties, rnd, date(2025, 6, 25))[0]
    assert ours.state == RoundState.RETURNED and ours.official is None


def test_the_city_chases_a_late_county_and_the_county_sees_the_notice(cast, registry, county):
    qingxiu = Division.objects.get(code=QINGXIU)
    with at(2025, 6, 18), pytest.raises(services.WorkflowError, match="尚未过"):
        services.chase(qingxiu, R1, cast["city"])
    with at(2025, 6, 22):
        reminder = services.chase(qingxiu, R1, cast["city"], note="请今天报送")
    assert (reminder.division_id, reminder.user, reminder.note) == (QINGXIU, cast["city"], "请今天报送")
    assert services.reminders_for(QINGXIU, cast["outsider_county"]) == [reminder]
    assert services.reminders_for(QINGXIU, cast["county"]) == []


@pytest.mark.parametrize("who", ["county", "outsider_county", "province", "street"])
def test_only_the_city_above_may_chase_a_county(cast, registry, who):
    with at(2025, 6, 22), pytest.raises(PermissionDenied):
        services.chase(Division.objects.get(code=QINGXIU), R1, cast[who])
    assert not Reminder.objects.exists()


# --- difference from the previous round ------------------------------------------------------------

def test_the_table_shows_the_change_from_the_previous_rounds_official_table(cast, registry, county, reviewer):
    first = submitted(cast, reviewer, county)
    make_filed(chaoyang_street(cast), division=CHAOYANG, filed_on=date(2025, 7, 5))
    with at(2025, 9, 3):
        second = services.generate(county, R2, cast["county"], prepared_by_name="张敏")
    assert services.previous_official(second) == first
    deltas = services.differences(second.data, first.data)
    assert deltas[""]["orgs_live"] == 1
    assert deltas[CHAOYANG_STREET]["orgs_filed"] == 1 and deltas[MINSHENG]["orgs_filed"] == 0
