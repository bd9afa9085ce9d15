"""Re-importing an exported list updates the organizations it names, with a field-by-field
difference in the dry run, through the registry's services, all or nothing."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from cso.core.models import ImportJob, ImportStatus
from cso.orgs import exports, importing, services
from cso.orgs.choices import Status
from cso.orgs.models import Category, Organization, OrgStateSpan
from cso.orgs.tests.factories import FOREIGN_COMMUNITY, id_number, make_filed, make_registered
from cso.orgs.tests.test_import import dry_run, issues, row
from cso.orgs.validators import mask_id_number


def exported(user) -> bytes:
    buffer = io.BytesIO()
    exports.write_xlsx(Organization.objects.visible_to(user).order_by("id"), buffer)
    return buffer.getvalue()


def edited(data: bytes, changes: dict[tuple[str, str], object]) -> bytes:
    """The exported workbook with cells changed: (uid, column header) → new value."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    header = [c.value for c in ws[1]]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for (uid, column), value in changes.items():
        ws.cell(row=rows[uid], column=header.index(column) + 1, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def validate(user, data: bytes):
    return importing.validate_job(importing.start_job(user, "名录.xlsx", data))


def test_an_exported_list_imported_again_unchanged_changes_nothing(cast):
    make_registered(cast["registrar"])
    make_filed(cast["street"])
    job = validate(cast["registrar"], exported(cast["registrar"]))
    assert job.status == ImportStatus.VALIDATED, job.message
    assert job.errors == [] and job.changes == []
    assert (job.unchanged_rows, job.updated_rows, job.valid_rows) == (2, 0, 0)


def test_a_re_imported_list_shows_each_change_and_updates_the_organization_through_the_services(cast):
    org = make_registered(cast["registrar"], address="民生路1号", member_count=30)
    other = make_filed(cast["street"])
    before_history = org.history.count()
    data = edited(exported(cast["registrar"]), {
        (org.uid, "住所"): "民生路8号", (org.uid, "成员数"): 45, (org.uid, "类别"): "居民互助",
    })
    job = validate(cast["registrar"], data)
    assert job.errors == [], job.errors
    assert (job.updated_rows, job.unchanged_rows, job.new_rows) == (1, 1, 0)
    changes = {(c["row"], c["column"]): c["reason"] for c in job.changes}
    assert set(changes) == {(2, "住所"), (2, "成员数"), (2, "类别")}
    assert changes[(2, "住所")] == "由“民生路1号”改为“民生路8号”"
    assert changes[(2, "成员数")] == "由“30”改为“45”"
    assert "居民互助" in changes[(2, "类别")]
    assert Organization.objects.get(pk=org.pk).address == "民生路1号"  # the dry run writes nothing

    done = importing.apply_job(job, cast["registrar"])
    assert (done.status, done.created_rows, done.updated_rows) == (ImportStatus.APPLIED, 0, 1)
    org.refresh_from_db()
    assert (org.address, org.member_count) == ("民生路8号", 45)
    assert list(org.categories.values_list("name", flat=True)) == ["居民互助"]
    assert Organization.objects.count() == 2 and Organization.objects.get(pk=other.pk).updated_at == other.updated_at
    new_history = list(org.history.all()[:org.history.count() - before_history])
    assert new_history and all(h.history_user == cast["registrar"] for h in new_history)
    assert any("批量导入更新" in (h.history_change_reason or "") for h in new_history)
    # the span that holds today carries the new category (the statistics read the spans)
    span = OrgStateSpan.objects.filter(organization=org).order_by("-valid_from").first()
    assert span.valid_to is None and span.categories_mask == 1 << Category.objects.get(name="居民互助").bit


def test_a_row_without_uid_updates_the_live_organization_with_its_credit_code(cast):
    org = make_registered(cast["registrar"], contact_phone="13812345678")
    job = dry_run(cast["registrar"], [row(名称=org.name, 统一社会信用代码=org.credit_code.lower(),
                                       登记日期="2020-05-01",
                                       成立日期="2020-05-01", 联系电话="13900001111",
                                       **{"登记（备案）机关": org.registration_authority})])
    assert job.errors == [], job.errors
    assert {c["column"] for c in job.changes} == {"联系电话"}
    importing.apply_job(job, cast["registrar"])
    org.refresh_from_db()
    assert org.contact_phone == "13900001111" and Organization.objects.count() == 1


def test_a_leader_given_in_the_file_is_updated_and_its_id_number_is_masked_in_the_report(cast):
    org = make_filed(cast["street"])
    services.save_leader(org, {"name": "王五", "phone": "13800000000"}, cast["street"])
    new_id = id_number()
    job = dry_run(cast["street"], [row(管理方式="备案", 组织标识=org.uid, 名称=org.name, 备案日期="2021-03-01",
                                       成员数=15, 负责人姓名="赵六", 负责人身份证号=new_id, 负责人电话="13811112222",
                                       **{"登记（备案）机关": org.registration_authority})])
    assert job.errors == [], job.errors
    change = next(c for c in job.changes if c["column"] == "负责人姓名")
    assert "赵六" in change["reason"] and new_id not in change["reason"]
    importing.apply_job(job, cast["street"])
    head = org.leaders.get()
    assert (head.name, head.id_number, head.phone) == ("赵六", new_id, "13811112222")


def test_an_organization_changed_after_the_dry_run_refuses_the_whole_import(cast):
    org = make_registered(cast["registrar"], address="民生路1号")
    data = edited(exported(cast["registrar"]), {(org.uid, "住所"): "民生路8号"})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb.active.append(row(名称="兴宁社区新协会"))  # a new organization in the same file
    buffer = io.BytesIO()
    wb.save(buffer)
    job = validate(cast["registrar"], buffer.getvalue())
    assert job.errors == [] and (job.updated_rows, job.new_rows) == (1, 1), job.report
    services.update_organization(org, {"address": "民生路2号"}, cast["registrar"])
    with pytest.raises(importing.ApplyRefused, match="已被修改"):
        importing.apply_job(job, cast["registrar"])
    assert Organization.objects.get(pk=org.pk).address == "民生路2号"
    assert not Organization.objects.filter(name="兴宁社区新协会").exists()


def test_the_track_is_not_changed_by_import_and_a_closed_organization_is_not_edited(cast):
    filed = make_filed(cast["street"])
    closed = make_registered(cast["registrar"])
    services.change_status(closed, Status.DEREGISTERED, date(2024, 1, 1), "注销登记", cast["registrar"])
    data = edited(exported(cast["registrar"]), {(filed.uid, "管理方式"): "登记", (closed.uid, "住所"): "新地址"})
    job = validate(cast["registrar"], data)
    reasons = {(r["row"], r["column"]): r["reason"] for r in job.errors}
    assert "登记转换" in reasons[(2, "管理方式")]
    assert "已注销" in reasons[(3, "组织标识")] and "住所" in reasons[(3, "组织标识")]


def test_a_uid_outside_the_users_scope_is_not_updated(cast):
    foreign = make_filed(cast["superuser"], division=FOREIGN_COMMUNITY)
    job = dry_run(cast["street"], [row(管理方式="备案", 组织标识=foreign.uid, 名称="改名")])
    assert (2, "组织标识") in issues(job)
    assert "不在您可以修改的范围内" in job.errors[0]["reason"]


def test_two_rows_cannot_update_with_the_same_credit_code(cast):
    org = make_registered(cast["registrar"])
    job = dry_run(cast["registrar"], [row(名称="新名甲", 统一社会信用代码=org.credit_code),
                                   row(名称="新名乙", 统一社会信用代码=org.credit_code)])
    assert (3, "统一社会信用代码") in issues(job)


def test_the_report_page_shows_the_differences_and_the_apply_updates_through_the_pages(cast, login):
    from django.urls import reverse

    org = make_registered(cast["registrar"], address="民生路1号")
    client = login(cast["registrar"])
    export = client.get(reverse("orgs:export"), {"format": "xlsx"})
    data = edited(b"".join(export.streaming_content) if export.streaming else export.content,
                  {(org.uid, "住所"): "民生路8号"})
    f = io.BytesIO(data)
    f.name = "名录.xlsx"
    response = client.post(reverse("orgs:import"), {"file": f})
    page = client.get(response.url).content.decode()
    assert 'data-testid="import-changes"' in page and "由“民生路1号”改为“民生路8号”" in page
    assert "更新 1" in page
    job = ImportJob.objects.get()
    done = client.post(reverse("orgs:import_apply", args=[job.pk]), follow=True).content.decode()
    assert "更新 1 个已有组织" in done
    org.refresh_from_db()
    assert org.address == "民生路8号"


def test_the_status_column_of_an_export_is_read_and_never_changes_a_status(cast):
    org = make_filed(cast["street"])
    job = validate(cast["registrar"], exported(cast["registrar"]))
    assert job.errors == [] and not any("不在导入模板中" in r["reason"] for r in job.report)
    job = validate(cast["registrar"], edited(exported(cast["registrar"]), {(org.uid, "状态"): "活动异常"}))
    assert [r["column"] for r in job.errors] == ["状态"]
    assert "导入不改变组织的状态" in job.errors[0]["reason"]


def test_export_import_into_an_empty_registry_export_gives_the_same_rows(cast):
    make_registered(cast["registrar"], address="民生路1号", member_count=30, categories=["居民互助"],
                    service_targets=["老年人"])
    make_filed(cast["street"], contact_phone="13812345678")
    before = list(exports.iter_rows(Organization.objects.order_by("uid")))
    data = exported(cast["superuser"])
    Organization.objects.all().delete()
    job = validate(cast["superuser"], data)  # both tracks: registering and filing bodies
    assert job.errors == [] and job.new_rows == 2, job.report
    importing.apply_job(job, cast["superuser"])
    assert list(exports.iter_rows(Organization.objects.order_by("uid"))) == before


def test_a_move_to_another_community_is_shown_by_name_and_applied_from_today(cast):
    from cso.orgs.tests.factories import COMMUNITY_2

    group = make_filed(cast["street"])
    data = edited(exported(cast["street"]), {(group.uid, "所在区划代码"): COMMUNITY_2, (group.uid, "所在区划"): None})
    job = validate(cast["street"], data)
    assert job.errors == [], job.errors
    change = next(c for c in job.changes if c["column"] == "所在区划代码")
    assert change["reason"] == "由“兴宁社区居委会（450102001003）”改为“北宁社区居委会（450102001004）”"
    importing.apply_job(job, cast["street"])
    group.refresh_from_db()
    assert group.division_id == COMMUNITY_2
    spans = list(OrgStateSpan.objects.filter(organization=group).order_by("valid_from"))
    assert spans[-1].division_id == COMMUNITY_2 and spans[-1].valid_to is None


def test_an_export_with_masked_id_numbers_imports_again_and_a_changed_phone_is_the_only_change(cast):
    org = make_registered(cast["registrar"], contact_phone="13812345678")
    legal = id_number(seq="456")
    services.save_leader(org, {"name": "钱七", "role": "legal_rep", "id_number": legal, "phone": "13700001111",
                               "is_party_member": True}, cast["registrar"])
    services.save_leader(org, {"name": "孙八", "role": "secretary_general", "id_number": id_number(seq="789"),
                               "phone": "13700002222"}, cast["registrar"])
    make_filed(cast["street"])  # a group the registrar may not change: the export masks every id number
    data = exported(cast["registrar"])
    cells = [str(c) for r in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True) for c in r]
    assert not any(legal in c for c in cells) and any(mask_id_number(legal) in c for c in cells)
    job = validate(cast["registrar"], data)
    assert job.errors == [] and job.changes == [] and job.unchanged_rows == 2, job.report
    job = validate(cast["registrar"], edited(data, {(org.uid, "联系电话"): "13900001111"}))
    assert job.errors == [], job.errors
    assert [c["column"] for c in job.changes] == ["联系电话"]
    importing.apply_job(job, cast["registrar"])
    org.refresh_from_db()
    assert org.contact_phone == "13900001111"
    assert {(x.name, x.id_number) for x in org.leaders.all()} >= {("钱七", legal)}


def test_a_masked_id_number_is_refused_for_a_new_organization(cast):
    job = dry_run(cast["registrar"], [row(负责人姓名="周九", 负责人身份证号="4501**********0313")])
    assert (2, "负责人身份证号") in issues(job)
    assert "已打码" in job.errors[0]["reason"]
