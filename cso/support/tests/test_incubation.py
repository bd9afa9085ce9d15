"""Incubation: a group applies with its own account (or the street places it), the street takes it into a base,
a plan with milestones and the services received are recorded, and graduation (出壳) goes through the application
engine — a 备案 application prefilled from the intake; when the street approves it the registry records the base as
the organization's origin, and the base's record counts it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cso.applications.models import Application, State
from cso.applications.tests.helpers import submit, upload_required
from cso.orgs.models import Organization
from cso.orgs.tests.factories import make_filed
from cso.support import services
from cso.support.models import Intake

from .helpers import COMMUNITY, STREET, link_base, make_base

APPLY = {"group_name": "兴宁社区银龄志愿队", "contact_name": "黄秀英", "contact_phone": "13800000021",
         "planned_track": "filed", "member_count": "12", "activity": "探访独居老人", "division": COMMUNITY, "base": ""}


@pytest.mark.django_db
def test_a_group_is_incubated_and_graduates_into_the_registry_through_a_filing(
        cast, login, client, django_capture_on_commit_callbacks):
    base = make_base(cast["superuser"], STREET, level=4)
    group = login(cast["organization"])
    response = group.post(reverse("support:intake_apply"), APPLY)
    assert response.status_code == 302
    intake = Intake.objects.get()
    assert intake.state == "applied" and intake.source == "applied" and intake.account == cast["organization"]

    street = login(cast["street"])
    assert "兴宁社区银龄志愿队" in street.get(reverse("support:intakes")).content.decode()
    street.post(reverse("support:intake_decide", args=[intake.pk]), {"decision": "accept", "base": base.pk})
    intake.refresh_from_db()
    assert intake.state == "incubating" and intake.base == base and intake.started_on == date.today()
    street.post(reverse("support:milestone_add", args=[intake.pk]), {"title": "制定团队章程",
                                                                    "due_on": "2027-01-31"})
    milestone = intake.milestones.get()
    street.post(reverse("support:milestone_done", args=[intake.pk, milestone.pk]))
    street.post(reverse("support:service_add", args=[intake.pk]),
                {"kind": "training", "date": "2026-11-01", "description": "志愿服务技能培训", "hours": "3"})
    street.post(reverse("support:service_add", args=[intake.pk]),
                {"kind": "money", "date": "2026-11-15", "description": "开办补贴", "amount": "2000"})
    page = street.get(reverse("support:intake", args=[intake.pk])).content.decode()
    assert page.count('data-testid="service"') == 2 and "bi-check-circle" in page

    # 出壳: the group's own account starts its 备案 from the intake
    group = login(cast["organization"])
    response = group.post(reverse("support:intake_graduate", args=[intake.pk]))
    assert response.status_code == 302
    application = Application.objects.get()
    assert response["Location"] == reverse("applications:edit", args=[application.ref])
    assert application.kind == "filing" and application.applicant == cast["organization"]
    assert application.payload["name"] == "兴宁社区银龄志愿队" and application.payload["leader_phone"] == "13800000021"
    intake.refresh_from_db()
    assert intake.state == "graduating" and intake.application == application
    # the applicant completes the form in the engine, uploads its materials and submits
    group.post(reverse("applications:edit", args=[application.ref]), {
        **application.payload, "division": COMMUNITY, "schedule": "每周二上午", "place": "兴宁社区活动室",
        "party_reported": "yes", "then": "draft", "category": ""})
    upload_required(group, application)
    submit(group, application)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED, application.state

    street = login(cast["street"])
    with django_capture_on_commit_callbacks(execute=True):
        street.post(reverse("applications:accept", args=[application.number]))
    with django_capture_on_commit_callbacks(execute=True):
        street.post(reverse("applications:approve", args=[application.number]), {"reason": "孵化出壳"})
    org = Organization.objects.get(name="兴宁社区银龄志愿队")
    assert org.incubated_by_id == base.base_id
    intake.refresh_from_db()
    assert intake.state == "graduated" and intake.organization == org and intake.graduated_on == date.today()
    record = services.base_record(base)
    assert record["hatched"] == 1 and record["graduated"] == 1 and record["median_days"] == 0
    # a year on, the organization still active counts
    later = services.base_record(base, today=date.today() + timedelta(days=400))
    assert later["year_old"] == 1 and later["still_active"] == 1
    page = street.get(reverse("support:place", args=[base.pk])).content.decode()
    assert 'data-testid="record-hatched">1<' in page
    # the organization's page lists its incubation (the section registered by this app)
    page = street.get(reverse("orgs:detail", args=[org.uid])).content.decode()
    assert 'data-testid="org-support"' in page and "已出壳" in page


def accepted_graduation(cast, number: str):
    """A group in a street base whose graduation application is as if submitted and accepted."""
    base = make_base(cast["superuser"], STREET, level=4)
    intake = services.place_intake(cast["street"], {
        "base": base, "division": base.division.__class__.objects.get(pk=COMMUNITY),
        "group_name": "虚拟队", "contact_name": "王", "contact_phone": "138", "planned_track": "filed",
        "account": cast["organization"]})
    application = services.start_graduation(intake, cast["organization"])
    application.state, application.number = State.ACCEPTED, number
    application.save()
    return intake, application


@pytest.mark.django_db
def test_a_refused_graduation_returns_the_group_to_incubation(cast, login, django_capture_on_commit_callbacks):
    intake, application = accepted_graduation(cast, "SQ2026-900001")
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast["street"]).post(reverse("applications:reject", args=[application.number]),
                                              {"reason": "名称不规范"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.state == "incubating" and intake.organization is None


@pytest.mark.django_db
def test_the_street_places_an_existing_group_and_ends_its_incubation(cast, login):
    base = make_base(cast["superuser"], STREET, level=4)
    org = make_filed(cast["superuser"], name="兴宁社区书画队", registration_authority_division=STREET)
    street = login(cast["street"])
    response = street.post(reverse("support:intake_place"), {
        **APPLY, "group_name": org.name, "base": base.pk, "organization": org.pk, "account_username": ""})
    assert response.status_code == 302, response.content.decode()[-3000:]
    intake = Intake.objects.get()
    assert intake.state == "incubating" and intake.source == "placed"
    street.post(reverse("support:intake_finish", args=[intake.pk]))
    intake.refresh_from_db()
    org.refresh_from_db()
    assert intake.state == "graduated" and org.incubated_by_id == base.base_id


@pytest.mark.django_db
def test_declining_needs_a_reason(cast, login):
    intake = services.apply_for_intake(cast["organization"], {
        "division": cast["organization"].division, "group_name": "队", "contact_name": "李", "contact_phone": "1",
        "planned_track": "filed"})
    street = login(cast["street"])
    street.post(reverse("support:intake_decide", args=[intake.pk]), {"decision": "decline", "reason": ""})
    intake.refresh_from_db()
    assert intake.state == "applied"
    street.post(reverse("support:intake_decide", args=[intake.pk]), {"decision": "decline", "reason": "名额已满"})
    intake.refresh_from_db()
    assert intake.state == "declined" and intake.reason == "名额已满"


@pytest.mark.django_db
def test_operators_see_and_work_only_their_base_and_outsiders_get_404(cast, login):
    mine = make_base(cast["superuser"], STREET, level=4, name="本基地")
    other = make_base(cast["superuser"], STREET, level=4, name="他基地")
    link_base(cast["operator"], mine)
    common = {"division": cast["organization"].division, "contact_name": "李", "contact_phone": "1",
              "planned_track": "filed"}
    a = services.place_intake(cast["street"], {**common, "base": mine, "group_name": "甲队"})
    b = services.place_intake(cast["street"], {**common, "base": other, "group_name": "乙队"})
    operator = login(cast["operator"])
    body = operator.get(reverse("support:intakes")).content.decode()
    assert "甲队" in body and "乙队" not in body
    assert operator.get(reverse("support:intake", args=[b.pk])).status_code == 404
    operator.post(reverse("support:service_add", args=[a.pk]),
                  {"kind": "space", "date": "2026-11-01", "description": "提供办公工位"})
    assert a.services.count() == 1
    assert operator.post(reverse("support:service_add", args=[b.pk]),
                         {"kind": "space", "date": "2026-11-01", "description": "x"}).status_code == 404
    for name in ("outsider_street", "outsider_county", "outsider_community"):
        client = login(cast[name])
        assert client.get(reverse("support:intake", args=[a.pk])).status_code == 404
        assert client.post(reverse("support:milestone_add", args=[a.pk]),
                           {"title": "x", "due_on": "2027-01-01"}).status_code == 404
    # another organization's account cannot graduate the group
    assert login(cast["organization"]).post(reverse("support:intake_graduate", args=[a.pk])).status_code == 404


@pytest.mark.django_db
def test_a_graduation_the_receiver_missed_is_recorded_by_the_daily_command(cast, login, monkeypatch,
                                                                          django_capture_on_commit_callbacks):
    from django.core.management import call_command

    intake, application = accepted_graduation(cast, "SQ2026-900002")
    real = services.graduated
    monkeypatch.setattr(services, "graduated", lambda *a, **k: 1 / 0)  # the receiver fails: only logged
    with django_capture_on_commit_callbacks(execute=True):
        login(cast["street"]).post(reverse("applications:reject", args=[application.number]), {"reason": "名称不规范"})
    intake.refresh_from_db()
    assert intake.state == "graduating"
    monkeypatch.setattr(services, "graduated", real)
    call_command("record_graduations")
    intake.refresh_from_db()
    assert intake.state == "incubating"
    assert services.record_pending_graduations() == []  # nothing left; running again changes nothing
