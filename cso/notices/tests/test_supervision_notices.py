"""The bureau hears of what waits for it in supervision: an annual report submitted (the supervising 民政局 that
reviews it) and an objection to a credit listing (the registering body that decides the lists) — and nobody else:
not the other body of the same county, not the city, not another county, not the organization itself."""

from datetime import date

import pytest
from django.urls import reverse

from cso.notices.models import Notification
from cso.orgs.models import AccountLink
from cso.orgs.tests.factories import make_registered
from cso.supervision.models import AnnualReport, ListEntry
from cso.supervision.tests.test_annual_flow import FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(cast):
    org = make_registered(cast["superuser"], name="兴宁区邻里服务协会", registered_on=date(2020, 5, 1))
    AccountLink.objects.create(user=cast["organization"], organization=org, division_id=org.division_id)
    return org


def _told(cast, kind):
    return {name for name, user in cast.items()
            if Notification.objects.filter(recipient=user, kind=kind).exists()}


def test_a_submitted_annual_report_reaches_the_reviewing_bureau_only(cast, client, org,
                                                                    django_capture_on_commit_callbacks):
    report = AnnualReport.objects.create(organization=org, year=2025)
    client.force_login(cast["organization"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("supervision:annual_edit", args=[report.pk]), {**FORM, "then": "submit"})
    assert response.status_code == 302
    assert _told(cast, "supervision.annual_submit") == {"county"}  # 民政局 reviews; not the registrar, not the city
    note = Notification.objects.get(recipient=cast["county"], kind="supervision.annual_submit")
    assert org.name in note.title and "2025年度报告" in note.body
    assert note.link == reverse("supervision:annual_detail", args=[report.pk])


def test_an_objection_reaches_the_body_deciding_the_lists_only(cast, client, org,
                                                              django_capture_on_commit_callbacks):
    entry = ListEntry.objects.create(organization=org, credit_list="abnormal", state="confirmed",
                                     entered_on=date(2026, 3, 1), reason_code="unreachable", basis="测试",
                                     chain=[{"event": None, "on": "2026-03-01", "code": "unreachable"}])
    client.force_login(cast["organization"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("supervision:credit_object", args=[entry.pk]), {"text": "挂号信寄错地址"})
    assert response.status_code == 302
    assert _told(cast, "supervision.credit_objection") == {"registrar"}
    note = Notification.objects.get(recipient=cast["registrar"])
    assert "挂号信寄错地址" in note.body and "活动异常名录" in note.body
