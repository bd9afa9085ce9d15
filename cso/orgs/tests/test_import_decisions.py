"""Every organization an import creates records its registry decision (登记成立 or 备案, naming the file), in the
same transaction, so the audit log of the divisions above lists it; a re-imported row's changes record the same
变更 decision as the edit page."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from cso.orgs import importing
from cso.orgs.models import Organization, RegistryDecision
from cso.orgs.tests.factories import COMMUNITY, COMMUNITY_2, STREET, credit_code, make_registered
from cso.orgs.tests.probes import _edit
from cso.orgs.tests.test_import import dry_run, row
from cso.orgs.tests.test_import_update import edited, exported, validate


def decision_of(org: Organization) -> RegistryDecision:
    return RegistryDecision.objects.get(organization=org)


def test_an_import_by_the_registrar_records_a_registration_decision_for_each_organization(cast):
    registrar = cast["registrar"]
    job = dry_run(registrar, [row(名称="兴宁社区书画协会", 登记日期="2020-05-01"),
                              row(名称="北宁社区象棋协会", 所在区划代码=COMMUNITY_2, 登记日期="2019-03-02",
                                  统一社会信用代码=credit_code("1"))], name="兴宁区名录.xlsx")
    importing.apply_job(job, registrar)
    orgs = list(Organization.objects.filter(import_job=job).order_by("name"))
    assert len(orgs) == 2
    twin = make_registered(registrar, name="兴宁社区读书会", registered_on=date(2020, 5, 1))  # as the page would
    by_page = decision_of(twin)
    for org in orgs:
        d = decision_of(org)
        assert d.kind == RegistryDecision.Kind.REGISTER
        assert d.summary == f"登记成立“{org.name}”（社会团体）（批量导入文件“兴宁区名录.xlsx”）"
        assert d.reason == "批量导入" and d.recorded_by == registrar
        assert d.effective_date == org.started_on == org.registered_on
        assert (d.division_id, d.authority_division_id) == (org.division_id, org.registration_authority_division_id)
        assert d.authority_division_id == by_page.authority_division_id == "450102000000"
    assert RegistryDecision.objects.count() == 3


def test_a_street_import_of_filed_groups_records_a_filing_decision_for_each(cast):
    street = cast["street"]
    job = dry_run(street, [row(管理方式="备案", 名称="兴宁社区太极拳队", 备案日期="2021/3/1")])
    importing.apply_job(job, street)
    d = decision_of(Organization.objects.get(import_job=job))
    assert d.kind == RegistryDecision.Kind.FILE
    assert d.summary.startswith("备案“兴宁社区太极拳队”（") and "orgs.xlsx" in d.summary
    assert (d.reason, d.recorded_by, d.effective_date) == ("批量导入", street, date(2021, 3, 1))
    assert (d.division_id, d.authority_division_id) == (COMMUNITY, STREET)


def test_the_registrars_import_shows_in_the_city_and_province_audit_log_and_not_in_a_sibling_countys(cast, login):
    job = dry_run(cast["registrar"], [row(名称="兴宁社区剪纸协会")], name="剪纸名录.xlsx")
    importing.apply_job(job, cast["registrar"])
    for role in ("province", "city", "county", "registrar"):
        body = login(cast[role]).get(reverse("accounts:audit"), {"tab": "decisions"}).content.decode()
        assert "兴宁社区剪纸协会" in body and "剪纸名录.xlsx" in body and "批量导入" in body, role
    for role in ("outsider_county", "outsider_registrar"):
        body = login(cast[role]).get(reverse("accounts:audit"), {"tab": "decisions"}).content.decode()
        assert "兴宁社区剪纸协会" not in body, role


def test_an_import_that_fails_after_the_decisions_leaves_no_decision(cast):
    job = dry_run(cast["registrar"], [row()])
    with mock.patch.object(importing, "_leaders", side_effect=RuntimeError("boom")), pytest.raises(RuntimeError):
        importing.apply_job(job, cast["registrar"])
    assert not Organization.objects.exists()
    assert not RegistryDecision.objects.exists()


def test_a_re_imported_change_records_the_same_change_decision_as_the_edit_page(cast, login):
    registrar = cast["registrar"]
    on_page = make_registered(registrar, name="兴宁社区书法协会", address="民生路1号")
    imported = make_registered(registrar, name="兴宁社区国画协会", address="民生路1号")
    _edit(login(registrar), on_page)  # the edit page: 住所 → 探针路1号
    job = validate(registrar, edited(exported(registrar), {(imported.uid, "住所"): "探针路1号"}))
    assert job.errors == [] and job.updated_rows == 1, job.errors
    importing.apply_job(job, registrar)
    page = RegistryDecision.objects.filter(organization=on_page, kind="change").get()
    batch = RegistryDecision.objects.filter(organization=imported, kind="change").get()
    assert page.summary.startswith("变更“兴宁社区书法协会”的住所")
    assert batch.summary == page.summary.replace("书法", "国画")
    assert (batch.effective_date, batch.division_id, batch.authority_division_id, batch.recorded_by) == \
        (page.effective_date, page.division_id, page.authority_division_id, page.recorded_by)
    assert batch.reason == "批量导入更新（文件“名录.xlsx”）"
    assert not RegistryDecision.objects.filter(organization__import_job=job).exists()  # updates create nothing
