"""The import tells everything at once: every fault of a row is reported, each on its column."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from cso.core.uploads import check_upload
from cso.orgs import importing
from cso.orgs.tests.factories import FOREIGN_COMMUNITY, id_number
from cso.orgs.tests.test_import import dry_run, issues, row, xlsx

# column → a value that is wrong in it (each fault is wrong on its own, whatever else the row holds)
FAULTS = {
    "名称": None,
    "统一社会信用代码": "51450102MJ00000000",   # bad check character
    "管理层级": "省管",
    "所在区划代码": FOREIGN_COMMUNITY,          # outside the county clerk's scope
    "登记日期": "2020-13-45",
    "成立日期": "去年春天",
    "类别": "跳广场舞",
    "服务对象": "外星人",
    "成员数": "很多",
    "注册资金（元）": "五千块",
    "联系电话": "12345",
    "党建情况": "有",
    "负责人身份证号": "123456",
    "负责人电话": "999",
}


def full_row(**values) -> list:
    return row(**{"负责人姓名": "李四", "负责人身份证号": id_number(), "负责人电话": "13912345678",
                  "联系电话": "13812345678", **values})


def test_an_unreadable_date_does_not_hide_a_wrong_credit_code_of_the_same_row(cast):
    job = dry_run(cast["registrar"], [row(登记日期="2020-13-45", 统一社会信用代码="51450102MJ00000000")])
    assert issues(job) == {(2, "登记日期"), (2, "统一社会信用代码")}
    reasons = {r["column"]: r["reason"] for r in job.errors}
    assert "2020-13-45" in reasons["登记日期"]
    assert "校验位" in reasons["统一社会信用代码"]


def test_an_unknown_division_does_not_hide_the_other_faults_nor_invent_an_authority_fault(cast):
    # (the capital floor is the province's rule: with the division unknown it is the division's fault alone)
    job = dry_run(cast["registrar"], [row(所在区划代码=FOREIGN_COMMUNITY, 统一社会信用代码="51450102MJ00000000")])
    assert issues(job) == {(2, "所在区划代码"), (2, "统一社会信用代码")}


def test_a_leader_id_number_without_a_name_is_checked_too(cast):
    job = dry_run(cast["registrar"], [row(负责人身份证号="123456")])
    assert issues(job) == {(2, "负责人姓名"), (2, "负责人身份证号")}


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(faults=st.lists(st.sets(st.sampled_from(sorted(FAULTS)), min_size=1), min_size=1, max_size=4))
def test_any_set_of_faults_injected_in_rows_is_reported_completely(cast, faults):
    rows = [full_row(**{column: FAULTS[column] for column in chosen}) for chosen in faults]
    result = importing.validate_rows(cast["registrar"], check_upload("orgs.xlsx", xlsx(rows)))
    reported = {(i.row, i.column) for i in result.issues if i.level == "error"}
    assert reported == {(n, column) for n, chosen in enumerate(faults, start=2) for column in chosen}
    assert result.rows == []


def test_a_duplicate_warning_says_where_both_records_are(cast):
    from cso.orgs.tests.factories import COUNTY, credit_code, make_registered

    make_registered(cast["registrar"], name="兴宁区慈善基金会", org_type="foundation", division=COUNTY,
                    credit_code=credit_code("3"), registered_capital=None)
    job = dry_run(cast["registrar"], [row(名称="兴宁区慈善基金会。", 组织类型="基金会", 所在区划代码=COUNTY,
                                       统一社会信用代码=credit_code("3"), **{"注册资金（元）": None})])
    assert job.errors == [], job.errors
    warning = job.warnings[0]["reason"]
    assert "同一社区" not in warning
    # both records: the division they share, and each one's registering body
    assert "同在兴宁区的已有组织“兴宁区慈善基金会”" in warning and "南宁市兴宁区民政局登记）" in warning
    assert "；本行" in warning and warning.count("民政局登记") == 2


def test_a_duplicate_filed_name_names_the_community(cast):
    from cso.orgs.tests.factories import make_filed

    make_filed(cast["street"], name="兴宁社区太极拳队")
    job = dry_run(cast["street"], [row(管理方式="备案", 名称="兴宁社区太极拳队")])
    assert "兴宁社区居委会已有同名的存续备案组织" in job.errors[0]["reason"]


class Formula:
    """A cell holding a formula without its result (as a program writes it)."""


def formula_xlsx(rows: list[list]) -> bytes:
    import io

    import xlsxwriter

    from cso.orgs.tests.test_import import HEADERS

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, HEADERS)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            if isinstance(value, Formula):
                ws.write_formula(r, c, "=1+1", None, "")  # no stored result
            elif value is not None:
                ws.write(r, c, value)
    wb.close()
    return buffer.getvalue()


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_formula_cells_and_wrong_values_in_one_row_are_all_reported(cast, data):
    from cso.orgs.tests.test_import import HEADERS

    columns = sorted(FAULTS)
    formulas = data.draw(st.sets(st.sampled_from([*columns, "住所", "联系人"]), max_size=4), label="formulas")
    wrong = data.draw(st.sets(st.sampled_from([c for c in columns if c not in formulas]), max_size=4), label="wrong")
    if not formulas | wrong:
        return
    values = {**{c: FAULTS[c] for c in wrong}, **{c: Formula() for c in formulas}}
    result = importing.validate_rows(cast["registrar"], check_upload("orgs.xlsx", formula_xlsx([full_row(**values)])))
    reported = {i.column: i.reason for i in result.issues if i.level == "error"}
    assert set(reported) == formulas | wrong
    for column in formulas:
        cell = f"{get_column_letter(HEADERS.index(column) + 1)}2"
        assert f"单元格{cell}是公式" in reported[column]


FILED_FAULTS = {
    "名称": None, "备案日期": "2021-02-30", "成立日期": "2030-01-01", "管理层级": "依法登记",
    "所在区划代码": "45010200", "成员数": "-3", "类别": "跳广场舞", "联系电话": "12345",
    "统一社会信用代码": "51450102MJ00000000", "负责人身份证号": "123456",
}


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(faults=st.lists(st.sets(st.sampled_from(sorted(FILED_FAULTS)), min_size=1), min_size=1, max_size=3))
def test_any_set_of_faults_in_filed_group_rows_is_reported_completely(cast, faults):
    rows = [full_row(管理方式="备案", **{column: FILED_FAULTS[column] for column in chosen}) for chosen in faults]
    result = importing.validate_rows(cast["street"], check_upload("orgs.xlsx", xlsx(rows)))
    reported = {(i.row, i.column) for i in result.issues if i.level == "error"}
    assert reported == {(n, column) for n, chosen in enumerate(faults, start=2) for column in chosen}
