"""The quarterly table's workflow without HTTP: generate, review, submit, freeze, correct, lateness."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from cso.orgs import services as org_services
from cso.orgs.tests.factories import make_filed
from cso.regions.models import Division
from cso.reports import services
from cso.reports.choices import EventKind, ReportStatus, Timeliness
from cso.reports.models import QuarterlyReport, ReportEvent
from cso.stats import indicators

from .conftest import CHAOYANG, XINGNING, at

COUNTY = "450102000000"
MINSHENG = "450102001000"
CHAOYANG_STREET = "450102002000"


@pytest.fixture
def county(tree):
    return Division.objects.get(code=COUNTY)


def row(data, code):
    return next(r for r in data["rows"] if r["code"] == code)["values"]


def generate_q2(cast, county, **extra):
    with at(2025, 7, 3):
        return services.generate(county, 2025, 2, cast["county"], prepared_by_name="张敏",
                                 contact_phone="0771-5551234", **extra)


def submitted_q2(cast, county):
    report = generate_q2(cast, county)
    with at(2025, 7, 3, 11):
        services.review(report, cast["county"], reviewer_name="李强")
        return services.submit(report, cast["county"])


def test_a_county_clerk_generates_a_draft_as_of_the_quarters_last_day(cast, registry, county):
    report = generate_q2(cast, county)
    assert report.status == ReportStatus.DRAFT and report.version == 1
    assert report.as_of == date(2025, 6, 30) and report.period_start == date(2025, 4, 1)
    data = report.data
    assert [r["code"] for r in data["rows"]] == [MINSHENG, CHAOYANG_STREET]
    assert row(data, MINSHENG)["orgs_live"] == 4 and row(data, CHAOYANG_STREET)["orgs_live"] == 1
    total = data["total"]["values"]
    assert (total["orgs_live"], total["orgs_registered"], total["orgs_filed"]) == (5, 1, 4)
    assert total["new_in_period"] == 1  # e, filed 2025-04-10
    assert total["communities"] == 5
    assert data["urban_rule_label"]
    assert [c["key"] for c in data["columns"]][:3] == ["communities", "communities_urban", "communities_rural"]
    assert all(c["label"] == indicators.INDICATORS[c["key"]].label for c in data["columns"])
    assert report.prepared_by_name == "张敏" and report.contact_phone == "0771-5551234"
    assert list(report.events.values_list("kind", flat=True)) == [EventKind.GENERATED]


def test_the_table_holds_exactly_the_engines_numbers(cast, registry, county):
    report = generate_q2(cast, county)
    result = indicators.compute(COUNTY, date(2025, 6, 30), period_start=date(2025, 4, 1))
    for key, value in result.parent.values.items():
        assert services.number(report.data["total"]["values"][key]) == value, key


def test_a_table_generated_before_the_quarter_ends_counts_up_to_today(cast, registry, county):
    with at(2025, 6, 15):
        report = services.generate(county, 2025, 2, cast["county"], prepared_by_name="张敏")
    assert report.as_of == date(2025, 6, 15)


def test_a_quarter_that_has_not_begun_cannot_be_generated(cast, county):
    with at(2025, 6, 15), pytest.raises(services.WorkflowError, match="尚未开始"):
        services.generate(county, 2025, 3, cast["county"], prepared_by_name="张敏")


def test_an_invalid_contact_phone_is_refused_in_chinese(cast, registry, county):
    with at(2025, 7, 3), pytest.raises(services.WorkflowError, match="电话号码"):
        services.generate(county, 2025, 2, cast["county"], prepared_by_name="张敏", contact_phone="12345")


@pytest.mark.parametrize("who", ["street", "community", "city", "province", "outsider_county", "superuser"])
def test_only_the_countys_own_civil_affairs_staff_may_generate(cast, registry, county, who):
    with at(2025, 7, 3), pytest.raises(PermissionDenied):
        services.generate(county, 2025, 2, cast[who], prepared_by_name="张敏")
    assert not QuarterlyReport.objects.exists()


def test_a_street_user_cannot_review_or_submit(cast, registry, county):
    report = generate_q2(cast, county)
    with pytest.raises(PermissionDenied):
        services.review(report, cast["street"], reviewer_name="王")
    services.review(report, cast["county"], reviewer_name="李强")
    with pytest.raises(PermissionDenied):
        services.submit(report, cast["street"])
    with pytest.raises(PermissionDenied):
        services.submit(report, cast["city"])
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEWED


def test_a_draft_must_be_reviewed_before_it_is_submitted(cast, registry, county):
    report = generate_q2(cast, county)
    with pytest.raises(services.WorkflowError, match="尚未审核"):
        services.submit(report, cast["county"])


def test_review_and_submit_record_who_and_when(cast, registry, county):
    report = submitted_q2(cast, county)
    assert report.status == ReportStatus.SUBMITTED
    assert report.reviewer == cast["county"] and report.reviewer_name == "李强"
    assert report.submitted_by == cast["county"] and report.submitted_at is not None
    kinds = list(ReportEvent.objects.filter(report=report).values_list("kind", flat=True))
    assert kinds == [EventKind.GENERATED, EventKind.REVIEWED, EventKind.SUBMITTED]
    assert "逾期 13 天" in ReportEvent.objects.get(report=report, kind=EventKind.SUBMITTED).note


def test_generating_again_while_a_draft_regenerates_it(cast, registry, county):
    first = generate_q2(cast, county)
    make_filed(cast["superuser"], division=CHAOYANG, filed_on=date(2025, 5, 5))
    second = generate_q2(cast, county)
    assert second.pk == first.pk and second.version == 1
    assert second.data["total"]["values"]["orgs_live"] == 6
    assert [e.kind for e in second.events.all()] == [EventKind.GENERATED, EventKind.REGENERATED]


def test_a_reviewed_table_is_not_regenerated_but_may_be_returned_to_draft(cast, registry, county):
    report = generate_q2(cast, county)
    services.review(report, cast["county"], reviewer_name="李强")
    with pytest.raises(services.WorkflowError, match="只有草稿可以重新生成"):
        generate_q2(cast, county)
    with pytest.raises(services.WorkflowError, match="原因"):
        services.return_to_draft(report, cast["county"], reason=" ")
    report = services.return_to_draft(report, cast["county"], reason="朝阳街道漏报一个备案组织")
    assert report.status == ReportStatus.DRAFT and report.reviewer_name == ""
    assert generate_q2(cast, county).pk == report.pk


def test_a_submitted_table_does_not_change_when_the_registry_does(cast, registry, county):
    report = submitted_q2(cast, county)
    frozen = QuarterlyReport.objects.get(pk=report.pk).data
    frozen_totals = QuarterlyReport.objects.get(pk=report.pk).totals
    assert frozen_totals["orgs_live"] == frozen["total"]["values"]["orgs_live"] == 5
    # later registry edits: a new organization dated inside the quarter and a status change back-dated into it
    make_filed(cast["street"], division=XINGNING, filed_on=date(2025, 5, 20))
    org_services.change_status(registry["d"], "deregistered", date(2025, 6, 1), "自行解散", cast["superuser"])
    assert QuarterlyReport.objects.get(pk=report.pk).data == frozen
    assert QuarterlyReport.objects.get(pk=report.pk).totals == frozen_totals
    with pytest.raises(services.WorkflowError, match="只有草稿可以重新生成"):
        services.regenerate(report, cast["county"])
    # the engine now sees the edits, and so does a corrected version
    live = indicators.compute(COUNTY, date(2025, 6, 30), period_start=date(2025, 4, 1)).parent.values
    assert live["orgs_live"] == 5 and live["ended_in_period"] == 1
    with at(2025, 7, 4):
        corrected = services.correct(report, cast["county"], reason="补录兴宁社区新备案组织，朝阳社区组织注销")
    assert corrected.data["total"]["values"]["new_in_period"] == 2
    assert corrected.data["total"]["values"]["ended_in_period"] == 1
    assert QuarterlyReport.objects.get(pk=report.pk).data == frozen
    assert frozen["total"]["values"]["new_in_period"] == 1 and frozen["total"]["values"]["ended_in_period"] == 0


def test_a_correction_opens_version_two_and_keeps_version_one(cast, registry, county):
    report = submitted_q2(cast, county)
    with pytest.raises(services.WorkflowError, match="更正原因"):
        services.correct(report, cast["county"], reason="")
    with at(2025, 7, 4):
        v2 = services.correct(report, cast["county"], reason="北宁社区漏报")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUPERSEDED
    assert (v2.version, v2.status, v2.previous_version, v2.correction_reason) == (2, ReportStatus.DRAFT, report,
                                                                                  "北宁社区漏报")
    assert services.live_version(COUNTY, 2025, 2) == v2
    # until the correction is submitted, version 1 stays the official figure
    assert services.official_version(COUNTY, 2025, 2) == report
    with pytest.raises(services.WorkflowError, match="只有已报送的统计表可以更正"):
        services.correct(report, cast["county"], reason="再次更正")
    with at(2025, 7, 5):
        services.review(v2, cast["county"], reviewer_name="李强")
        services.submit(v2, cast["county"])
    assert services.official_version(COUNTY, 2025, 2).version == 2
    assert QuarterlyReport.objects.filter(county_id=COUNTY, year=2025, quarter=2).count() == 2
    assert [e.report.version for e in services.timeline_of(v2) if e.kind == EventKind.CORRECTED] == [1, 2]


def test_only_one_live_version_per_county_and_quarter(cast, registry, county):
    report = generate_q2(cast, county)
    duplicate = QuarterlyReport(county=county, year=2025, quarter=2, version=2, as_of=report.as_of,
                                period_start=report.period_start, data={}, generated_at=report.generated_at,
                                prepared_by_name="x")
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError, whichever database raises it
        duplicate.save()


# --- lateness -----------------------------------------------------------------------------------

def test_the_deadlines_follow_seed_000_and_the_setting(settings):
    assert [services.deadline(2025, q) for q in range(1, 5)] == [
        date(2025, 3, 20), date(2025, 6, 20), date(2025, 9, 20), date(2025, 12, 20)]
    settings.CSO_REPORT_DEADLINES = {1: "04-10", 2: "07-10", 3: "10-10", 4: "01-10"}
    assert services.deadline(2025, 2) == date(2025, 7, 10)


def test_timeliness_before_and_after_the_deadline():
    due = date(2025, 6, 20)
    from datetime import datetime

    from .conftest import SHANGHAI

    assert services.timeliness(None, due, date(2025, 6, 20)) == (Timeliness.NOT_DUE, 0)
    assert services.timeliness(None, due, date(2025, 6, 23)) == (Timeliness.OVERDUE, 3)
    on_time = datetime(2025, 6, 20, 23, 30, tzinfo=SHANGHAI)
    assert services.timeliness(on_time, due, date(2025, 7, 1)) == (Timeliness.ON_TIME, 0)
    late = datetime(2025, 6, 22, 8, 0, tzinfo=SHANGHAI)
    assert services.timeliness(late, due, date(2025, 7, 1)) == (Timeliness.SUBMITTED_LATE, 2)


def test_quarter_states_show_who_is_late(cast, registry, county):
    with at(2025, 6, 18):
        report = services.generate(county, 2025, 2, cast["county"], prepared_by_name="张敏")
        services.review(report, cast["county"], reviewer_name="李强")
        services.submit(report, cast["county"])
    counties = [(COUNTY, "兴宁区"), ("450103000000", "青秀区")]
    ours, theirs = services.quarter_states(counties, 2025, 2, date(2025, 6, 25))
    assert ours.timeliness == Timeliness.ON_TIME and ours.official.pk == report.pk
    assert theirs.timeliness == Timeliness.OVERDUE and theirs.days_late == 5 and theirs.live is None
    early = services.quarter_states(counties, 2025, 2, date(2025, 6, 19))
    assert early[1].timeliness == Timeliness.NOT_DUE


def test_a_late_first_submission_stays_late_after_a_correction(cast, registry, county):
    report = submitted_q2(cast, county)  # submitted 2025-07-03, deadline 06-20
    with at(2025, 7, 4):
        services.correct(report, cast["county"], reason="更正")
    state = services.quarter_states([(COUNTY, "兴宁区")], 2025, 2, date(2025, 7, 10))[0]
    assert state.timeliness == Timeliness.SUBMITTED_LATE and state.days_late == 13
    assert state.status_label == "更正中（第2版草稿）"


# --- difference from the previous quarter -------------------------------------------------------

def test_the_table_shows_the_change_from_the_previous_quarters_submitted_table(cast, registry, county):
    with at(2025, 4, 2):
        q1 = services.generate(county, 2025, 1, cast["county"], prepared_by_name="张敏")
        services.review(q1, cast["county"], reviewer_name="李强")
        services.submit(q1, cast["county"])
    q2 = generate_q2(cast, county)
    assert services.previous_official(q2) == q1
    deltas = services.differences(q2.data, q1.data)
    assert deltas[""]["orgs_live"] == 1  # e was filed in April
    assert deltas[MINSHENG]["orgs_filed"] == 1 and deltas[CHAOYANG_STREET]["orgs_filed"] == 0
    ratio_keys = {c["key"] for c in q2.data["columns"] if c["kind"] == "ratio"}
    assert ratio_keys and not ratio_keys & set(deltas[""])
