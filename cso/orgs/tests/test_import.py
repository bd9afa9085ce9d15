"""Organization import: dry run report, duplicates, atomic apply with spans and history."""

from __future__ import annotations

import io
from unittest import mock

import pytest
import xlsxwriter

from cso.core.models import ImportJob, ImportStatus
from cso.orgs import importing
from cso.orgs.models import Leader, Organization, OrgStateSpan, StatusChange
from cso.orgs.tests.factories import COMMUNITY, COMMUNITY_2, FOREIGN_COMMUNITY, credit_code, id_number, make_filed

HEADERS = [c.header for c in importing.COLUMNS]


def row(**values) -> list:
    base = {"名称": "兴宁社区老年人协会", "管理方式": "登记", "组织类型": "社会团体", "所在区划代码": COMMUNITY,
            "登记日期": "2020-05-01", "注册资金（元）": 5000, "统一社会信用代码": credit_code("1")}
    if values.get("管理方式") == "备案":
        base.update({"组织类型": "群众活动团队", "登记日期": None, "备案日期": "2021/3/1", "注册资金（元）": None,
                     "统一社会信用代码": None})
    base.update(values)
    return [base.get(h) for h in HEADERS]


def xlsx(rows: list[list], headers=HEADERS) -> bytes:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet("组织")
    ws.write_row(0, 0, headers)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            if value is not None:
                ws.write(r, c, value)
    wb.close()
    return buffer.getvalue()


def dry_run(user, rows, name="orgs.xlsx") -> ImportJob:
    job = importing.start_job(user, name, xlsx(rows))
    return importing.validate_job(job)


def issues(job, level="error"):
    return {(r["row"], r["column"]) for r in job.report if r["level"] == level}


def test_a_dry_run_reports_each_bad_row_with_number_column_and_reason(cast):
    good = row(名称="兴宁社区书画协会", 类别="文体娱乐、居民互助", 服务对象="老年人/儿童")
    rows = [
        good,                                                   # row 2
        row(名称="坏代码协会", 统一社会信用代码="51450102MJ00000000"),  # 3: bad check character
        row(名称="未知类别协会", 类别="跳广场舞"),                   # 4
        row(名称="外区协会", 所在区划代码=FOREIGN_COMMUNITY),         # 5: outside scope
        row(名称=None),                                          # 6: missing name
        row(名称="坏日期协会", 登记日期="2020-13-45"),               # 7
        row(名称="低资金协会", **{"注册资金（元）": 1500}),           # 8
        row(管理方式="备案", 名称="兴宁社区太极拳队"),                 # 9: a filed group: the street files it
    ]
    job = dry_run(cast["registrar"], rows)
    assert job.status == ImportStatus.VALIDATED
    assert (job.total_rows, job.valid_rows, job.error_rows) == (8, 1, 7)
    assert issues(job) == {
        (3, "统一社会信用代码"), (4, "类别"), (5, "所在区划代码"), (6, "名称"), (7, "登记日期"), (8, "注册资金（元）"),
        (9, "管理方式"),
    }
    reasons = {r["row"]: r["reason"] for r in job.errors}
    assert "校验位" in reasons[3]
    assert "跳广场舞" in reasons[4]
    assert "管辖范围" in reasons[5]
    assert "不能为空" in reasons[6]
    assert "2020-13-45" in reasons[7]
    assert "2000" in reasons[8]
    assert "无权备案" in reasons[9]


def test_each_row_is_checked_against_the_responsibilities_table(cast):
    """A community clerk records its own community's small groups only; it registers and files nothing."""
    job = dry_run(cast["community"], [
        row(名称="社区登记协会"),                                          # 2: a registration
        row(管理方式="备案", 名称="兴宁社区太极拳队"),                          # 3: its own small group
        row(管理方式="备案", 名称="兴宁社区志愿服务队", 管理层级="街道（乡镇）管理"),  # 4: a filing
        row(管理方式="备案", 名称="北宁社区太极拳队", 所在区划代码=COMMUNITY_2),     # 5: another community
    ])
    assert issues(job) == {(2, "管理方式"), (4, "管理方式"), (5, "所在区划代码")} or \
        issues(job) == {(2, "管理方式"), (4, "管理方式"), (5, "管理方式")}
    done = importing.apply_job(job, cast["community"])
    assert list(Organization.objects.values_list("name", flat=True)) == ["兴宁社区太极拳队"]
    assert done.created_rows == 1


def test_nothing_is_written_during_the_dry_run(cast):
    dry_run(cast["registrar"], [row(), row(管理方式="备案", 名称="兴宁社区合唱队")])
    assert Organization.objects.count() == 0
    assert OrgStateSpan.objects.count() == 0
    assert Organization.history.count() == 0


def test_apply_writes_exactly_the_good_rows_with_spans_status_leaders_terms_and_history(cast):
    user = cast["superuser"]  # registers and files: one file with both tracks
    leader_id = id_number()
    rows = [
        row(名称="兴宁社区书画协会", 类别="文体娱乐、居民互助", 服务对象="老年人;儿童", 负责人姓名="李四",
            负责人身份证号=leader_id, 负责人电话="13912345678", 联系电话="0771-5551234"),
        row(名称="坏的", 统一社会信用代码="123"),
        row(管理方式="备案", 名称="兴宁社区太极拳队", 所在区划代码=COMMUNITY_2, 成员数="20"),
    ]
    job = dry_run(user, rows)
    done = importing.apply_job(job, user)
    assert done.status == ImportStatus.APPLIED and done.created_rows == 2
    orgs = {o.name: o for o in Organization.objects.all()}
    assert set(orgs) == {"兴宁社区书画协会", "兴宁社区太极拳队"}
    art = orgs["兴宁社区书画协会"]
    assert art.registration_authority.name == "南宁市兴宁区民政局"  # the county's registering body
    assert art.registration_authority_division_id == "450102000000"
    assert art.name_initials == "xnsqshxh"
    assert sorted(art.categories.values_list("name", flat=True)) == ["居民互助", "文体娱乐"]
    assert sorted(art.service_targets.values_list("name", flat=True)) == ["儿童", "老年人"]
    assert art.created_by == user
    span = OrgStateSpan.objects.get(organization=art)
    assert str(span.valid_from) == "2020-05-01" and span.valid_to is None
    assert span.categories_mask == art.categories.all().mask()
    assert span.targets_mask == art.service_targets.all().mask()
    assert StatusChange.objects.filter(organization=art, to_status="active").count() == 1
    leader = Leader.objects.get(organization=art)
    assert (leader.name, leader.id_number, leader.phone) == ("李四", leader_id, "13912345678")
    record = art.history.get()
    assert record.history_user == user and record.history_change_reason == "批量导入"
    assert sorted(c.category.name for c in record.categories.all()) == ["居民互助", "文体娱乐"]
    team = orgs["兴宁社区太极拳队"]
    assert team.track == "filed" and team.member_count == 20
    assert team.registration_authority_division_id == "450102001000"
    assert OrgStateSpan.objects.get(organization=team).valid_from.isoformat() == "2021-03-01"


def test_a_second_apply_of_the_same_job_is_refused(cast):
    job = dry_run(cast["registrar"], [row()])
    importing.apply_job(job, cast["registrar"])
    with pytest.raises(importing.ApplyRefused, match="已经导入过"):
        importing.apply_job(job, cast["registrar"])
    assert Organization.objects.count() == 1


def test_a_failure_during_apply_leaves_nothing(cast):
    job = dry_run(cast["registrar"], [row(名称=f"兴宁社区协会{i}", 类别="生活服务") for i in range(5)])
    # The job is marked applied last, after every row is written: failing there must undo them all.
    with mock.patch.object(ImportJob, "save", side_effect=RuntimeError("disk full")), pytest.raises(RuntimeError):
        importing.apply_job(job, cast["registrar"])
    assert Organization.objects.count() == 0
    assert OrgStateSpan.objects.count() == 0
    assert Organization.history.count() == 0
    assert Leader.objects.count() == StatusChange.objects.count() == 0
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.VALIDATED


def test_apply_refuses_when_the_database_changed_since_the_dry_run(cast):
    code = credit_code("1")
    job = dry_run(cast["registrar"], [row(统一社会信用代码=code), row(名称="另一个协会")])
    importing.apply_job(dry_run(cast["registrar"], [row(名称="抢先的协会", 统一社会信用代码=code)]), cast["registrar"])
    with pytest.raises(importing.ApplyRefused, match="第2行"):
        importing.apply_job(job, cast["registrar"])
    assert Organization.objects.count() == 1


def test_same_credit_code_in_the_file_or_outside_the_users_scope_is_rejected_as_a_duplicate(cast):
    code = credit_code("1")
    first = dry_run(cast["outsider_registrar"], [row(名称="已登记协会", 统一社会信用代码=code,
                                                     所在区划代码=FOREIGN_COMMUNITY)])
    importing.apply_job(first, cast["outsider_registrar"])
    code2 = credit_code("1")
    job = dry_run(cast["registrar"], [
        row(名称="甲协会", 统一社会信用代码=code),
        row(名称="乙协会", 统一社会信用代码=code2),
        row(名称="丙协会", 统一社会信用代码=code2),
    ])
    reasons = {r["row"]: r["reason"] for r in job.errors}
    assert set(reasons) == {2, 4}
    assert "另一存续组织" in reasons[2] and "已登记协会" not in reasons[2] and "重复" in reasons[2]
    assert "第3行" in reasons[4]


def test_similar_names_in_the_same_community_are_flagged_but_importable(cast):
    make_filed(cast["street"], name="兴宁社区夕阳红太极拳队")
    job = dry_run(cast["street"], [
        row(管理方式="备案", 名称="兴宁社区夕阳红太极拳队 "),     # 2: same name after trimming -> rule error
        row(管理方式="备案", 名称="兴宁社区夕阳红太极拳一队"),    # 3: very similar to the existing one
        row(管理方式="备案", 名称="兴宁社区书法小组"),            # 4
        row(管理方式="备案", 名称="兴宁社区书法小组（二）", 所在区划代码=COMMUNITY_2),  # 5: other community
        row(管理方式="备案", 名称="兴宁社区书法小组。"),          # 6: same as row 4 once normalised
    ])
    assert issues(job) == {(2, "名称")}
    assert issues(job, "warning") == {(3, "名称"), (6, "名称")}
    warnings = {r["row"]: r["reason"] for r in job.warnings}
    assert "兴宁社区夕阳红太极拳队" in warnings[3]
    assert "第4行" in warnings[6]
    assert job.valid_rows == 4
    done = importing.apply_job(job, cast["street"], exclude=[6])
    assert done.created_rows == 3 and done.excluded_rows == 1
    assert not Organization.objects.filter(name="兴宁社区书法小组。").exists()


def test_a_malformed_or_repeated_organization_uid_is_rejected(cast):
    job = dry_run(cast["registrar"], [row(组织标识="ZZ-123", 名称="新协会"),
                                   row(组织标识="ZZ2026ABCDEFGHJK", 名称="甲协会"),
                                   row(组织标识="ZZ2026ABCDEFGHJK", 名称="乙协会")])
    reasons = {r["row"]: r["reason"] for r in job.errors}
    assert set(reasons) == {2, 4}
    assert "格式不正确" in reasons[2] and "第3行" in reasons[4]


def test_an_organization_uid_this_registry_does_not_hold_is_kept_by_the_new_organization(cast):
    job = dry_run(cast["registrar"], [row(组织标识="ZZ2026ABCDEFGHJK", 名称="外地导出的协会")])
    assert job.errors == [] and job.valid_rows == 1 and job.updated_rows == 0
    importing.apply_job(job, cast["registrar"])
    assert Organization.objects.get(uid="ZZ2026ABCDEFGHJK").name == "外地导出的协会"


def test_a_division_name_that_differs_from_the_code_is_a_warning(cast):
    job = dry_run(cast["registrar"], [row(所在区划="北宁社区居委会")])
    assert issues(job, "warning") == {(2, "所在区划")}
    assert job.valid_rows == 1


def test_missing_required_columns_fail_the_whole_file(cast):
    job = importing.validate_job(importing.start_job(cast["registrar"], "a.xlsx", xlsx([["x"]], headers=["名称"])))
    assert job.status == ImportStatus.FAILED
    assert "管理方式" in job.message and "所在区划代码" in job.message


def test_a_csv_in_gb18030_is_read(cast):
    lines = [",".join(HEADERS), ",".join("" if v is None else str(v) for v in row(名称="兴宁社区读书会"))]
    data = ("\r\n".join(lines) + "\r\n").encode("gb18030")
    job = importing.validate_job(importing.start_job(cast["registrar"], "orgs.csv", data))
    assert job.status == ImportStatus.VALIDATED and job.valid_rows == 1, job.report
