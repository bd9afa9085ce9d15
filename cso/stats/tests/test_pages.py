"""The indicator page, the community list and their exports, through the HTTP layer."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from cso.stats.indicators import compute, drill_url

from . import fixtures as fx
from .fixtures import COUNTY, D

PAGE = "/stats/"
COMMUNITIES = "/stats/communities/"


@pytest.fixture
def registry(cast):
    return fx.build(cast)


def test_the_indicator_page_shows_the_users_county_by_default(registry, cast, login):
    response = login(cast["county"]).get(PAGE, {"as_of": "2025-06-30"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "兴宁区社会组织统计指标" in body
    assert "城市社区口径：按委员会类型" in body
    assert "民生街道" in body and "朝阳街道" in body and "兴宁区本级" in body
    assert "登记社会组织数 × 10000 ÷ 常住人口" in body  # the definitions section
    assert drill_url("orgs_live", fx.MINSHENG, D).replace("&", "&amp;") in body
    assert f'href="/stats/?as_of=2025-06-30&amp;division={fx.MINSHENG}"' in body


def test_a_quarter_sets_the_day_and_the_period(registry, cast, login):
    response = login(cast["county"]).get(PAGE, {"quarter": "2025-2"})
    assert response.context["result"].day == D
    assert response.context["result"].period_start == fx.PERIOD
    assert response.context["total"]["row"].values["new_in_period"] == 2


@pytest.mark.parametrize("view", ["summary", "communities", "structure", "category", "service"])
def test_every_column_set_renders(registry, cast, login, view):
    response = login(cast["county"]).get(PAGE, {"as_of": "2025-06-30", "view": view})
    assert response.status_code == 200
    if view == "category":
        assert "文体娱乐" in response.content.decode()


def test_a_county_user_gets_a_404_for_the_sibling_county(registry, cast, login):
    client = login(cast["county"])
    assert client.get(PAGE, {"division": fx.FOREIGN_COUNTY}).status_code == 404
    assert client.get(PAGE, {"division": "000000000000"}).status_code == 404
    assert client.get(PAGE, {"division": "abc"}).status_code == 404
    assert client.get(COMMUNITIES, {"division": fx.FOREIGN_COUNTY}).status_code == 404


def test_the_city_sees_both_counties_and_no_foreign_rows_reach_the_county(registry, cast, login):
    body = login(cast["city"]).get(PAGE).content.decode()
    assert "青秀区" in body and "兴宁区" in body
    body = login(cast["county"]).get(PAGE).content.decode()
    assert "青秀区" not in body and "新竹" not in body


def test_the_export_has_the_same_numbers_as_the_engine(registry, cast, login):
    client = login(cast["county"])
    result = compute(COUNTY, D)
    response = client.get(PAGE, {"as_of": "2025-06-30", "format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "区划代码")
    header = rows[header_at]
    live = header.index("社会组织总数（存续）（个）")
    per_10k = header.index("每万人拥有社会组织数（个/万人）")
    body = rows[header_at + 1:]
    assert [r[0] for r in body] == [COUNTY, fx.MINSHENG, fx.CHAOYANG_STREET, COUNTY]
    assert [r[live] for r in body] == [1, 4, 1, 6]
    assert sum(r[live] for r in body[:-1]) == body[-1][live]
    assert Decimal(str(body[-1][per_10k])) == result.parent.values["per_10k"]
    response = client.get(PAGE, {"as_of": "2025-06-30", "format": "csv"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[-1][0] == COUNTY and lines[-1][lines[0].index("社会组织总数（存续）（个）")] == "6"


def test_the_community_list_filters_sorts_and_pages(registry, cast, login):
    client = login(cast["county"])
    response = client.get(COMMUNITIES, {"as_of": "2025-06-30"})
    assert response.status_code == 200
    assert [c.code for c in response.context["rows"]] == [fx.CHAOYANG, fx.BEINING, fx.HUQIU, fx.XINGNING,
                                                          fx.GUANQIAO]
    response = client.get(COMMUNITIES, {"as_of": "2025-06-30", "urban": "rural", "sort": "code"})
    assert [c.code for c in response.context["rows"]] == [fx.GUANQIAO, fx.HUQIU]
    response = client.get(COMMUNITIES, {"as_of": "2025-06-30", "at_target": "yes"})
    assert response.context["page_obj"].paginator.count == 2
    body = response.content.decode()
    assert "生活服务" in body  # what 兴宁社区 lacks


def test_each_community_number_links_to_a_list_of_that_many_communities(registry, cast, login):
    client = login(cast["county"])
    result = compute(COUNTY, D)
    for key in ("communities", "communities_urban", "communities_rural", "communities_at_target", "facility_ok"):
        for row in [result.parent, *[r for r in result.rows if not r.is_direct]]:
            response = client.get(drill_url(key, row.code, D))
            assert response.status_code == 200
            assert response.context["page_obj"].paginator.count == row.values[key], (key, row.code)


def test_the_community_list_sum_of_organizations_equals_cso_urban(registry, cast, login):
    response = login(cast["county"]).get(drill_url("cso_urban", COUNTY, D))
    assert sum(c.cso for c in response.context["rows"]) == compute(COUNTY, D).parent.values["cso_urban"]


def test_the_community_export_lists_every_community(registry, cast, login):
    client = login(cast["county"])
    response = client.get(COMMUNITIES, {"as_of": "2025-06-30", "format": "csv"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == [fx.CHAOYANG, fx.BEINING, fx.HUQIU, fx.XINGNING, fx.GUANQIAO]
    response = client.get(COMMUNITIES, {"as_of": "2025-06-30", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(4, 1).value == fx.CHAOYANG


def test_a_future_date_is_refused_with_a_message(registry, cast, login):
    response = login(cast["county"]).get(PAGE, {"as_of": "2999-01-01"})
    assert response.status_code == 200
    assert "截至日期不能晚于今天" in response.content.decode()


def test_the_page_uses_a_bounded_number_of_queries(registry, cast, login, django_assert_max_num_queries):
    client = login(cast["county"])
    # +2 since the navigation asks the responsibilities table through has_perm: Django's ModelBackend then loads
    # the account's model permissions (two queries, once per request, cached on the user)
    with django_assert_max_num_queries(27):
        client.get(PAGE, {"as_of": "2025-06-30"})


def test_a_superuser_starts_from_the_whole_country(registry, cast, login):
    client = login(cast["superuser"])
    response = client.get(PAGE, {"as_of": "2025-06-30"})
    assert response.context["result"].parent.name == "全国"
    assert response.context["total"]["row"].values["orgs_live"] == 7
    body = response.content.decode()
    assert "广西壮族自治区" in body
    assert client.get("/stats/targets/", {"division": "000000000000"}).status_code == 200
    assert client.get(COMMUNITIES, {"division": "000000000000", "as_of": "2025-06-30"}).context[
        "page_obj"].paginator.count == 8


def test_a_community_account_sees_only_its_community(registry, cast, login):
    response = login(cast["community"]).get(PAGE, {"as_of": "2025-06-30"})
    assert response.status_code == 200
    assert response.context["result"].parent.code == fx.XINGNING
    assert response.context["total"]["row"].values["cso_live"] == 3
    assert login(cast["community"]).get(PAGE, {"division": fx.MINSHENG}).status_code == 404


def test_a_division_name_that_begins_like_a_formula_is_exported_to_csv_as_text(registry, cast, login):
    from cso.regions.models import Division

    Division.objects.filter(code=fx.CHAOYANG).update(name='=HYPERLINK("http://evil.example","朝阳")')
    response = login(cast["county"]).get(COMMUNITIES, {"as_of": "2025-06-30", "format": "csv"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [cell for line in lines for cell in line if "HYPERLINK" in cell]
    assert names and all(cell.startswith("'=") for cell in names)
