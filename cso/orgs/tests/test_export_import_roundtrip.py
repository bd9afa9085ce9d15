"""Import keeps everything: export → import into a database without organizations → export gives the
same file, .xlsx and .csv, with every field the form holds (leaders with their role and party
membership, 业务主管单位, 业务范围, venue, incubation base, tags, …)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cso.core.models import ImportStatus
from cso.orgs import importing
from cso.orgs.exports import HEADERS
from cso.orgs.models import IncubationBase, Organization, Venue
from cso.regions.models import Authority

from .factories import COMMUNITY, COMMUNITY_2, credit_code, id_number, make_filed, make_registered

EXPORT = reverse("orgs:export")


@pytest.fixture
def registry(cast):
    county = cast["superuser"]  # setting up: the registering and filing bodies act through the superuser
    venue = Venue.objects.create(name="兴宁社区党群服务中心", division_id=COMMUNITY, address="民生路1号")
    base = IncubationBase.objects.create(name="兴宁区社会组织孵化基地", division_id="450102000000", level=3,
                                         opened_on=date(2018, 1, 1))
    make_registered(
        county, name="兴宁区助老服务中心", org_type="social_service", credit_code=credit_code("2", "450100"),
        registration_authority=Authority.objects.get(name="南宁市民政局"), supervising_unit="南宁市卫生健康委员会",
        business_scope="为老年人提供助餐、助浴服务；\n组织志愿服务。", registered_capital=Decimal("30000.50"),
        financial_custody=True, member_count=42, address="民生路8号", venue=venue, incubated_by=base,
        contact_name="张三", contact_phone="0771-5551234", party_building="joint", tags=["助老", "志愿"],
        categories=["life_service", "charity"], service_targets=["elderly", "empty_nest_elderly"],
        founded_on=date(2019, 3, 1), registered_on=date(2019, 6, 1),
        leaders=[
            {"name": "李四", "role": "legal_rep", "id_number": id_number(), "phone": "13912345678",
             "is_party_member": True},
            {"name": "王五", "role": "secretary_general", "id_number": id_number(seq="456"), "phone": "",
             "is_party_member": False},
            {"name": "赵六", "role": "vice_chair", "id_number": "", "phone": "13800001111", "is_party_member": True},
        ],
    )
    make_registered(county, name="兴宁区慈善基金会", org_type="foundation", is_community_org=False,
                    credit_code=credit_code("3", "100000"), registration_authority=Authority.objects.get(name="民政部"),
                    registered_capital=Decimal("2000000"), division=COMMUNITY_2)
    make_filed(county, name="北宁社区广场舞队", division=COMMUNITY_2, tier="street", member_count=36,
               business_scope="广场舞练习与展演", service_targets=["women"],
               leaders=[{"name": "刘七", "role": "head", "id_number": id_number(seq="789"), "phone": "13700002222",
                         "is_party_member": True}])


def export(client, fmt) -> bytes:
    response = client.get(EXPORT, {"format": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def cells(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def reimport(user, name: str, data: bytes) -> None:
    Organization.objects.all().delete()  # a database without organizations (the reference data stays)
    job = importing.validate_job(importing.start_job(user, name, data))
    assert job.status == ImportStatus.VALIDATED, job.report
    assert job.error_rows == 0, job.errors
    assert importing.apply_job(job, user).status == ImportStatus.APPLIED


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_import_export_gives_the_same_file(registry, cast, login, fmt):
    client = login(cast["superuser"])  # organizations of several bodies: only the superuser re-imports them all
    first = export(client, fmt)
    reimport(cast["superuser"], f"orgs.{fmt}", first)
    second = export(client, fmt)
    if fmt == "csv":
        assert second.decode("utf-8-sig") == first.decode("utf-8-sig")
    else:
        assert cells(second) == cells(first)
    rows = cells(second) if fmt == "xlsx" else None
    if rows:
        assert rows[0] == HEADERS and len(rows) == 4


def test_the_reimported_organizations_keep_what_the_form_holds(registry, cast, login):
    before = Organization.objects.get(name="兴宁区助老服务中心")
    mask = before.spans.get().targets_mask
    reimport(cast["superuser"], "orgs.xlsx", export(login(cast["superuser"]), "xlsx"))
    org = Organization.objects.get(name="兴宁区助老服务中心")
    assert org.uid == before.uid
    assert (org.registration_authority.name, org.supervising_unit, org.financial_custody, org.venue.name,
            org.incubated_by.name, org.tags, org.party_building, org.is_community_org) == (
        "南宁市民政局", "南宁市卫生健康委员会", True, "兴宁社区党群服务中心", "兴宁区社会组织孵化基地",
        ["助老", "志愿"], "joint", False)  # registered above the county: not a community social organization
    assert org.business_scope == "为老年人提供助餐、助浴服务；\n组织志愿服务。"
    assert [(leader.name, leader.role, leader.is_party_member) for leader in org.leaders.all()] == [
        ("李四", "legal_rep", True), ("王五", "secretary_general", False), ("赵六", "vice_chair", True)]
    span = org.spans.get()
    assert span.is_incubated and span.targets_mask == mask
    team = Organization.objects.get(name="北宁社区广场舞队")
    assert team.tier == "street" and team.leaders.get().is_party_member


def test_an_export_for_someone_who_may_not_change_masks_the_id_numbers(registry, cast, login):
    rows = cells(export(login(cast["county"]), "xlsx"))  # the supervising bureau decides none of them
    numbers = [row[HEADERS.index("负责人身份证号")] for row in rows[1:]]
    assert any(numbers) and all("*" in n for n in numbers if n)
    assert "|4501**" in "".join(row[HEADERS.index("其他负责人")] or "" for row in rows[1:])
