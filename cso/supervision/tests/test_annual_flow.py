"""The annual report over HTTP: the organization fills in and submits, the supervising bureau returns it, the
organization corrects it, the bureau reviews 基本合格, and next year the remediation report is required; lists of
missing and late reports with their export; who may not."""

from datetime import date
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cso.demo.testing import make_user
from cso.orgs.models import AccountLink
from cso.orgs.tests.factories import make_registered
from cso.supervision.models import AnnualReport, AnnualState

FORM = {
    "work_compliance": "遵守法律法规和国家政策", "work_changes": "无", "work_activities": "开展邻里互助活动12次",
    "work_personnel": "无变动", "work_funds": "会费和政府补助", "work_awards": "", "work_public_benefit": "",
    "total_income": "12000", "total_expense": "9000", "donation_income": "2000", "government_grants": "5000",
    "year_end_assets": "8000", "liabilities": "1000", "net_assets": "7000", "party_members": "3",
    "party_organization": "false", "party_activities": "由社区党委派驻党建指导员",
}
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000049454e44ae426082")


@pytest.fixture
def org(cast):
    org = make_registered(cast["superuser"], name="兴宁区邻里服务协会", registered_on=date(2020, 5, 1))
    AccountLink.objects.create(user=cast["organization"], organization=org, division_id=org.division_id)
    return org


def _today(day):
    return mock.patch("cso.supervision.annual_services.today", return_value=day)


def _start(client, org, year):
    response = client.post(reverse("supervision:annual_start"), {"org": org.uid, "year": year})
    assert response.status_code == 302, response.content.decode()[:500]
    return AnnualReport.objects.get(organization=org, year=year)


def test_fill_return_correct_review_and_remediation_next_year(cast, client, org):
    client.force_login(cast["organization"])
    with _today(date(2026, 3, 1)):
        page = client.get(reverse("supervision:annual_mine")).content.decode()
        assert "兴宁区邻里服务协会" in page and "2025年度" in page and "2026-05-31" in page
        report = _start(client, org, 2025)
    edit = reverse("supervision:annual_edit", args=[report.pk])

    # a draft with a missing part cannot be submitted; the message names the field
    response = client.post(edit, {**FORM, "net_assets": "", "then": "submit"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "请填写“年末净资产合计（元）”" in body
    assert AnnualReport.objects.get(pk=report.pk).state == AnnualState.DRAFT
    # a negative figure is refused by the form, naming the field
    response = client.post(edit, {**FORM, "total_income": "-5", "then": "draft"})
    assert "“本年收入合计（元）”不能为负数" in response.content.decode()

    # an attachment, checked by content
    client.post(reverse("supervision:annual_upload", args=[report.pk]),
                {"file": SimpleUploadedFile("财务报表.png", PNG, content_type="image/png")})
    client.post(reverse("supervision:annual_upload", args=[report.pk]),
                {"file": SimpleUploadedFile("报表.pdf", b"MZ not a pdf", content_type="application/pdf")})
    assert [a.original_name for a in report.attachments.all()] == ["财务报表.png"]

    response = client.post(edit, {**FORM, "then": "submit"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == AnnualState.SUBMITTED and report.submitted_at is not None
    # submitted: the form is closed, a post changes nothing
    client.post(edit, {**FORM, "work_changes": "改名", "then": "draft"})
    assert AnnualReport.objects.get(pk=report.pk).work_changes == "无"

    # the bureau of the county (civil_affairs, seed 000) sees it in its queue and returns it
    bureau = cast["county"]
    client.force_login(bureau)
    queue = client.get(reverse("supervision:annual_queue")).content.decode()
    assert "兴宁区邻里服务协会" in queue
    review = reverse("supervision:annual_review", args=[report.pk])
    response = client.post(review, {"decision": "return", "reason": ""})
    assert "须填写“理由或意见”" in response.content.decode()
    client.post(review, {"decision": "return", "reason": "请补充按章程开展活动的情况"})
    report.refresh_from_db()
    assert report.state == AnnualState.RETURNED
    download = client.get(reverse("supervision:annual_attachment", args=[report.pk, report.attachments.get().pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG

    # the organization corrects and submits again
    client.force_login(cast["organization"])
    assert "请补充按章程开展活动的情况" in client.get(edit).content.decode()
    client.post(edit, {**FORM, "work_activities": "开展邻里互助活动12次、文艺演出3场", "then": "submit"})
    report.refresh_from_db()
    assert report.state == AnnualState.SUBMITTED and "文艺演出" in report.work_activities

    # the bureau reviews: 基本合格 needs a reason
    client.force_login(bureau)
    response = client.post(review, {"decision": "basic", "reason": ""})
    assert "须填写“理由或意见”" in response.content.decode()
    client.post(review, {"decision": "basic", "reason": "财务制度不健全"})
    report.refresh_from_db()
    assert (report.state, report.result, report.reason, report.reviewer) == (
        AnnualState.REVIEWED, "basic", "财务制度不健全", bureau)
    assert [e.verb for e in report.events.all()] == ["create", "submit", "return", "resubmit", "review"]
    assert all(e.actor_id for e in report.events.all())
    reviewed = client.get(reverse("supervision:annual_lists"), {"year": 2025, "tab": "reviewed"}).content.decode()
    assert "兴宁区邻里服务协会" in reviewed and "财务制度不健全" in reviewed
    client.force_login(cast["organization"])
    detail = client.get(reverse("supervision:annual_detail", args=[report.pk])).content.decode()
    assert "年检结论：基本合格" in detail and "财务制度不健全" in detail and "退回修改" in detail
    assert "财务报表.png" in detail

    # next year: the remediation report is required
    client.force_login(cast["organization"])
    with _today(date(2027, 3, 1)):
        assert "须报告整改情况" in client.get(reverse("supervision:annual_mine")).content.decode()
        following = _start(client, org, 2026)
    edit = reverse("supervision:annual_edit", args=[following.pk])
    response = client.post(edit, {**FORM, "then": "submit"})
    assert "上一年度年检结论为“基本合格”，请填写“整改情况报告”" in response.content.decode()
    client.post(edit, {**FORM, "remediation_report": "已建立财务制度", "then": "submit"})
    assert AnnualReport.objects.get(pk=following.pk).state == AnnualState.SUBMITTED


def test_lists_of_missing_and_late_and_the_export(cast, client, org):
    su = cast["superuser"]
    silent = make_registered(su, name="=HYPERLINK(\"x\")协会", registered_on=date(2021, 1, 1))
    make_registered(su, name="兴宁区新成立协会", registered_on=date(2025, 7, 1))  # owes nothing for 2025
    AnnualReport.objects.create(organization=org, year=2025, state=AnnualState.SUBMITTED, late=True,
                                due_on=date(2026, 5, 31))
    client.force_login(cast["county"])
    lists = reverse("supervision:annual_lists")
    body = client.get(lists, {"year": 2025}).content.decode()
    assert "HYPERLINK" in body and "兴宁区新成立协会" not in body and "兴宁区邻里服务协会" not in body
    body = client.get(lists, {"year": 2025, "tab": "late"}).content.decode()
    assert "兴宁区邻里服务协会" in body and "HYPERLINK" not in body
    assert "HYPERLINK" not in client.get(lists, {"year": 2025, "q": "邻里"}).content.decode()
    csv = b"".join(client.get(lists, {"year": 2025, "format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and silent.credit_code in csv
    xlsx = client.get(lists, {"year": 2025, "format": "xlsx"})
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content).startswith(b"PK")
    # another county's bureau does not see them
    client.force_login(cast["outsider_county"])
    assert "HYPERLINK" not in client.get(lists, {"year": 2025}).content.decode()


def test_who_may_not(cast, client, org):
    report = AnnualReport.objects.create(organization=org, year=2025, state=AnnualState.SUBMITTED)
    other = make_user("other_org_account", "organization", "450102001003")
    client.force_login(other)
    assert client.get(reverse("supervision:annual_edit", args=[report.pk])).status_code == 404
    assert client.post(reverse("supervision:annual_start"), {"org": org.uid, "year": 2025}).status_code == 404
    client.force_login(cast["outsider_county"])
    response = client.post(reverse("supervision:annual_review", args=[report.pk]), {"decision": "pass"})
    assert response.status_code == 404
    client.force_login(cast["community"])
    assert client.get(reverse("supervision:annual_review", args=[report.pk])).status_code == 403
    assert client.get(reverse("supervision:annual_queue")).status_code == 403
    assert client.get(reverse("supervision:annual_lists")).status_code == 403
    client.force_login(cast["registrar"])  # the registering body does not review (the 民政局 does, seed 000)
    assert client.post(reverse("supervision:annual_review", args=[report.pk]), {"decision": "pass"}).status_code == 403
    assert AnnualReport.objects.get(pk=report.pk).state == AnnualState.SUBMITTED


def test_the_list_narrows_to_a_street_and_a_large_export_runs_in_the_worker(cast, client, settings):
    from cso.core.models import Job, JobStatus

    su = cast["superuser"]
    here = make_registered(su, name="民生街道未报协会")
    there = make_registered(su, name="朝阳街道未报协会", division="450102002001")
    client.force_login(cast["county"])
    lists = reverse("supervision:annual_lists")
    body = client.get(lists, {"year": 2025, "division": "450102001000"}).content.decode()
    assert here.name in body and there.name not in body
    # a division outside the account's subtree shows nothing
    assert here.name not in client.get(lists, {"year": 2025, "division": "450103001000"}).content.decode()
    settings.CSO_EXPORT_SYNC_ROWS = 1
    response = client.get(lists, {"year": 2025, "format": "csv"})
    assert response.status_code == 302
    job = Job.objects.get(kind="supervision.annual_export")
    assert job.status == JobStatus.DONE and job.user == cast["county"]
    text = bytes(job.result).decode("utf-8-sig")
    assert here.name in text and there.name in text
