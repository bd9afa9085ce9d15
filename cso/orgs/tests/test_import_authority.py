"""The import names registering bodies from the list, and warns when a credit code's region code
is not its body's."""

from __future__ import annotations

import io

import xlsxwriter

from cso.core.models import ImportStatus
from cso.orgs import importing
from cso.orgs.models import Organization
from cso.orgs.tests.factories import COMMUNITY, credit_code

HEADERS = [c.header for c in importing.COLUMNS]


def row(**values) -> list:
    base = {"名称": "兴宁社区老年人协会", "管理方式": "登记", "组织类型": "社会团体", "所在区划代码": COMMUNITY,
            "登记日期": "2020-05-01", "注册资金（元）": 5000, "统一社会信用代码": credit_code("1")}
    base.update(values)
    return [base.get(h) for h in HEADERS]


def dry_run(user, rows):
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet("组织")
    ws.write_row(0, 0, HEADERS)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            if value is not None:
                ws.write(r, c, value)
    wb.close()
    return importing.validate_job(importing.start_job(user, "orgs.xlsx", buffer.getvalue()))


def by_row(job, level):
    return {(r["row"], r["column"]): r["reason"] for r in job.report if r["level"] == level}


def test_the_import_records_bodies_of_every_level_and_refuses_names_not_in_the_list(cast):
    job = dry_run(cast["superuser"], [
        row(名称="城市协会", 登记管理机关="南宁市民政局", 统一社会信用代码=credit_code("1", "450100")),  # 2
        row(名称="部属基金会", 组织类型="基金会", 登记管理机关="民政部",
            统一社会信用代码=credit_code("3", "100000")),  # 3
        row(名称="简称协会", 登记管理机关="兴宁区民政局"),  # 4: an abbreviation
        row(名称="暂无协会", 登记管理机关="暂无"),  # 5
        row(名称="外区机关协会", 登记管理机关="南宁市青秀区民政局"),  # 6: another county's body
        row(名称="默认协会"),  # 7: empty: the county's registering body
    ])
    errors = by_row(job, "error")
    assert set(errors) == {(4, "登记管理机关"), (5, "登记管理机关"), (6, "登记管理机关")}
    assert "不在登记管理机关名录中" in errors[(4, "登记管理机关")]
    assert "不在组织所在区划" in errors[(6, "登记管理机关")]
    importing.apply_job(job, cast["superuser"])
    got = {o.name: (o.registration_authority.name, o.registration_authority_division_id, o.division_id)
           for o in Organization.objects.select_related("registration_authority")}
    assert got["城市协会"] == ("南宁市民政局", "450100000000", COMMUNITY)
    assert got["部属基金会"] == ("民政部", None, COMMUNITY)
    assert got["默认协会"] == ("南宁市兴宁区民政局", "450102000000", COMMUNITY)


def test_a_credit_code_of_another_region_is_a_warning_not_an_error(cast):
    job = dry_run(cast["superuser"], [row(名称="错区协会", 统一社会信用代码=credit_code("1", "450103"))])
    assert job.status == ImportStatus.VALIDATED and job.error_rows == 0
    warnings = by_row(job, "warning")
    assert "450103" in warnings[(2, "统一社会信用代码")] and "450102" in warnings[(2, "统一社会信用代码")]
    importing.apply_job(job, cast["superuser"])
    assert Organization.objects.get(name="错区协会").credit_code_warning()
