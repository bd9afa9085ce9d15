"""The daily overdue scan: flags open steps past their deadline once, tells each responsible official in one
digest and the applicant when the applicant is late; a second run the same day does nothing."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from cso.applications import overdue
from cso.applications.models import Application, OverdueScan, State
from cso.demo.testing import make_user
from cso.notices.models import Notification

TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)


def case(applicant, name, state=State.SUBMITTED, due=YESTERDAY, body="450102001000"):
    application = Application.objects.create(kind="filing", applicant=applicant, division_id="450102001003",
                                             authority_division_id=body, state=state, due_on=due,
                                             payload={"name": name})
    application.number = f"SQ2026-{application.pk:06d}"
    application.save(update_fields=["number"])
    return application


@pytest.fixture
def late(cast):
    org = cast["organization"]
    return {
        "submitted": case(org, "逾期待受理"),
        "accepted": case(org, "逾期审查中", state=State.ACCEPTED, due=TODAY - timedelta(days=3)),
        "correction": case(org, "逾期待补正", state=State.NEEDS_CORRECTION),
        "county": case(org, "县里逾期", body="450102000000"),
        "due_today": case(org, "今天到期", due=TODAY),
        "approved": case(org, "已批准", state=State.APPROVED),
        "draft": case(org, "草稿", state=State.DRAFT),
    }


@pytest.mark.django_db
def test_the_scan_flags_only_open_overdue_steps_and_sends_one_digest_per_official(cast, late):
    colleague = make_user("street_colleague", "street", "450102001000")
    run = overdue.scan()
    assert run.flagged == 4 and run.finished_at is not None
    flagged = set(Application.objects.filter(overdue_flagged_on=TODAY).values_list("payload__name", flat=True))
    assert flagged == {"逾期待受理", "逾期审查中", "逾期待补正", "县里逾期"}
    for official in (cast["street"], colleague):
        digest = Notification.objects.get(recipient=official)  # one, for two late cases
        assert digest.title == "2件申请已超过办理期限"
        assert late["submitted"].number in digest.body and late["accepted"].number in digest.body
        assert digest.link == "/applications/todo/"
    county = Notification.objects.get(recipient=cast["county"])
    assert late["county"].number in county.body and county.link == f"/applications/{late['county'].number}/"
    applicant = Notification.objects.get(recipient=cast["organization"])
    assert applicant.title == "您的申请补正已逾期" and late["correction"].number in applicant.body
    assert not Notification.objects.filter(recipient__in=[cast["outsider_street"], cast["registrar"]]).exists()


@pytest.mark.django_db
def test_a_second_run_the_same_day_does_nothing(cast, late):
    overdue.scan()
    before = Notification.objects.count()
    again = overdue.scan()
    assert OverdueScan.objects.count() == 1 and again.flagged == 4
    assert Notification.objects.count() == before


@pytest.mark.django_db
def test_a_flagged_step_is_not_flagged_again_the_next_day_but_the_next_step_is(cast, late):
    overdue.scan()
    assert overdue.scan(TODAY + timedelta(days=1)).flagged == 1  # only the step due today, now late
    assert overdue.scan(TODAY + timedelta(days=2)).flagged == 0
    application = Application.objects.get(pk=late["submitted"].pk)
    application.accept()  # a new step, a new deadline, a new reminder once it passes
    application.save()
    assert application.overdue_flagged_on is None
    Application.objects.filter(pk=application.pk).update(due_on=YESTERDAY)
    assert overdue.scan(TODAY + timedelta(days=3)).flagged == 1


@pytest.mark.django_db
def test_the_scan_takes_a_bounded_number_of_queries(cast, django_assert_max_num_queries):
    for i in range(12):
        case(cast["organization"], f"逾期{i}")
    with django_assert_max_num_queries(16):  # the run row, the cases, one officials' lookup, the flags, 1 digest
        assert overdue.scan().flagged == 12


@pytest.mark.django_db
def test_the_commands(cast, late, settings):
    out = StringIO()
    call_command("scan_overdue", stdout=out)
    assert "提醒 4 件申请" in out.getvalue()
    OverdueScan.objects.all().delete()
    Application.objects.update(overdue_flagged_on=None)
    settings.CSO_OVERDUE_SCAN_TIME = "00:00"
    out = StringIO()
    call_command("run_schedule", "--once", stdout=out)  # enqueues the task; inline in tests
    assert "已提交逾期扫描" in out.getvalue()
    assert OverdueScan.objects.get(day=TODAY).flagged == 4
    out = StringIO()
    call_command("run_schedule", "--once", stdout=out)  # done today: nothing more
    assert out.getvalue() == ""


@pytest.mark.django_db
def test_the_schedule_waits_for_its_time(cast, late):
    from datetime import time

    from cso.applications.management.commands.run_schedule import Command

    command = Command(stdout=StringIO())
    command.last = None
    assert command.tick(time.max) is False  # not yet time
    assert not OverdueScan.objects.exists()
    assert command.tick(time.min) is True and command.tick(time.min) is False  # once a day


def test_a_malformed_scan_time_is_refused(settings):
    from django.core.management.base import CommandError

    settings.CSO_OVERDUE_SCAN_TIME = "2点"
    with pytest.raises(CommandError, match="CSO_OVERDUE_SCAN_TIME"):
        call_command("run_schedule", "--once")


@pytest.mark.django_db
def test_the_queue_shows_overdue_rows_first_and_marked(cast, login):
    org = cast["organization"]
    case(org, "按期", due=TODAY + timedelta(days=2))
    late_case = case(org, "逾期", due=YESTERDAY)
    body = login(cast["street"]).get("/applications/todo/").content.decode()
    assert body.index(late_case.number) < body.index("按期")
    assert body.count("已逾期") == 1 and "list-group-item-danger" in body
