"""Notifications: written in the platform at once, delivered by SMS / e-mail by the background task per the
recipient's preference, and told to the right people when an application moves."""

from datetime import date

import pytest
from django.urls import reverse

from cso.applications import services
from cso.applications.models import Application, State
from cso.applications.recipients import officials_for
from cso.core import messaging
from cso.demo.testing import make_user
from cso.notices.models import Notification, Preference
from cso.notices.services import notify
from cso.notices.tasks import deliver

COMMUNITY = "450102001003"


@pytest.fixture(autouse=True)
def _outbox():
    messaging.clear_sent()
    yield
    messaging.clear_sent()


def submitted_case(applicant, body="450102001000", state=State.SUBMITTED):
    application = Application.objects.create(kind="filing", applicant=applicant, division_id=COMMUNITY,
                                             authority_division_id=body, state=state,
                                             payload={"name": "兴宁社区夕阳红合唱队"}, due_on=date.today())
    application.number = f"SQ2026-{application.pk:06d}"
    application.save(update_fields=["number"])
    return application


@pytest.mark.django_db
def test_notify_writes_the_row_and_the_task_sends_sms_by_default(cast):
    user = cast["organization"]
    user.phone, user.email = "13800000009", "team@example.org"
    user.save()
    notification = notify(user, "您的申请已受理", "申请 SQ2026-000001 已受理。", "/applications/SQ2026-000001/")
    notification.refresh_from_db()
    assert notification.recipient == user and notification.read_at is None
    assert notification.delivered_at is not None and notification.channels == "sms"
    sms = messaging.sent_messages("sms", "13800000009")
    assert len(sms) == 1 and "您的申请已受理" in sms[0].body
    assert messaging.sent_messages("email") == []  # e-mail is off by default


@pytest.mark.django_db
def test_deliver_follows_the_preference_and_runs_once(cast, mailoutbox):
    user = cast["organization"]
    user.phone, user.email = "13800000009", "team@example.org"
    user.save()
    Preference.objects.create(user=user, sms=False, email=True)
    notification = notify(user, "标题", "内容", "/x/")
    assert messaging.sent_messages("sms") == []
    assert [m.to for m in messaging.sent_messages("email")] == ["team@example.org"]
    assert mailoutbox[0].subject == "标题" and "/x/" in mailoutbox[0].body
    assert deliver.call(notification.pk) == "skipped"  # a task delivered twice sends nothing more
    assert len(messaging.sent_messages()) == 1


@pytest.mark.django_db
def test_without_phone_or_email_only_the_in_app_row(cast):
    user = cast["organization"]
    Preference.objects.create(user=user, sms=True, email=True)
    notification = notify(user, "标题")
    notification.refresh_from_db()
    assert notification.channels == "" and messaging.sent_messages() == []


@pytest.mark.django_db
def test_inactive_accounts_get_nothing(cast):
    user = cast["organization"]
    user.is_active = False
    user.save()
    assert notify(user, "标题") is None
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_the_officials_of_the_filing_body_with_a_role_that_may_act(cast):
    street = cast["street"]
    colleague = make_user("street_colleague", "street", "450102001000")
    make_user("street_retired", "street", "450102001000", is_active=False)
    make_user("street_org", "organization", "450102001000")  # an organization's account at the street: not staff
    case = submitted_case(cast["organization"])
    assert officials_for(case) == sorted([street, colleague], key=lambda u: u.pk)
    county_case = submitted_case(cast["organization"], body="450102000000")
    assert cast["street"] not in officials_for(county_case)
    assert officials_for(county_case) == [cast["county"]]  # the bureau, not its registrar (filings are not theirs)
    assert officials_for(submitted_case(cast["organization"], state=State.NEEDS_CORRECTION)) == []


@pytest.mark.django_db
def test_the_recipient_lookup_is_bounded(cast, django_assert_max_num_queries):
    for i in range(10):
        make_user(f"street_extra{i}", "street", "450102001000")
    case = submitted_case(cast["organization"])
    with django_assert_max_num_queries(1):
        assert len(officials_for(case)) == 11


@pytest.mark.django_db
def test_moves_notify_the_applicant_and_submissions_the_officials(cast, django_capture_on_commit_callbacks):
    applicant, street = cast["organization"], cast["street"]
    case = Application.objects.create(kind="filing", applicant=applicant, division_id=COMMUNITY,
                                      authority_division_id="450102001000",
                                      payload={"name": "兴宁社区夕阳红合唱队", "member_count": 12})
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(case, applicant)
    case.refresh_from_db()
    told = Notification.objects.get(recipient=street)
    assert case.number in told.title and told.link == reverse("applications:detail", args=[case.number])
    assert told.related_type == "applications.Application" and told.related_id == str(case.pk)
    assert not Notification.objects.filter(recipient=applicant).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.act(case, street, "accept")
    with django_capture_on_commit_callbacks(execute=True):
        services.act(case, street, "ask_correction", missing=["成员名单", "活动时间写明到小时"])
    titles = list(Notification.objects.filter(recipient=applicant).order_by("id").values_list("title", flat=True))
    assert titles == ["您的申请已受理", "您的申请需要补正"]
    correction = Notification.objects.filter(recipient=applicant).latest("id")
    assert "成员名单" in correction.body and "活动时间写明到小时" in correction.body

    with django_capture_on_commit_callbacks(execute=True):
        services.submit(case, applicant)  # resubmitted: back in the street's queue
    assert Notification.objects.filter(recipient=street).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.act(case, street, "reject", reason="不符合备案条件")
    rejected = Notification.objects.filter(recipient=applicant).latest("id")
    assert rejected.title == "您的申请未获批准" and "不符合备案条件" in rejected.body
    assert not Notification.objects.filter(recipient=cast["outsider_street"]).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.tasks
def test_the_sms_waits_for_the_worker_not_the_request(cast, task_worker):
    user = cast["organization"]
    user.phone = "13800000009"
    user.save()
    notification = notify(user, "您的申请已受理")
    assert Notification.objects.filter(pk=notification.pk, read_at__isnull=True).exists()  # the bell has it now
    assert messaging.sent_messages("sms") == []
    task_worker()
    assert len(messaging.sent_messages("sms", "13800000009")) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.tasks
def test_the_overdue_scan_runs_in_the_worker(cast, task_worker):
    from cso.applications.models import OverdueScan
    from cso.applications.tasks import scan_overdue
    from cso.core import jobs

    submitted_case(cast["organization"])
    Application.objects.update(due_on=date(2020, 1, 1))
    jobs.enqueue(scan_overdue)
    assert not OverdueScan.objects.exists()
    task_worker()
    assert OverdueScan.objects.get().flagged == 1
    assert Notification.objects.filter(recipient=cast["street"], kind="applications.overdue").exists()
