"""The pages: scoping (404 outside the subtree), the workflow over HTTP, drill-down links, exports."""

import io
import re
from datetime import date

import openpyxl
import pytest

from cso.regions.models import Division
from cso.reports import services
from cso.reports.choices import ReportStatus
from cso.reports.models import QuarterlyReport

from .conftest import at
from .printing import pdf_pages

COUNTY = "450102000000"
QINGXIU = "450103000000"


@pytest.fixture
def draft(cast, registry):
    with at(2025, 7, 3):
        return services.generate(Division.objects.get(code=COUNTY), 2025, 2, cast["county"], prepared_by_name="张敏",
                                 contact_phone="13812345678")


@pytest.fixture
def submitted(cast, draft):
    services.review(draft, cast["county"], reviewer_name="李强")
    return services.submit(draft, cast["county"])


@pytest.fixture
def foreign(cast, registry):
    with at(2025, 7, 3):
        return services.generate(Division.objects.get(code=QINGXIU), 2025, 2, cast["outsider_county"],
                                 prepared_by_name="外县")


def test_the_index_sends_a_county_clerk_to_its_quarters_and_a_city_to_the_overview(cast, login):
    assert login(cast["county"]).get("/reports/").url == f"/reports/county/{COUNTY}/"
    assert login(cast["city"]).get("/reports/").url == "/reports/overview/"


@pytest.mark.parametrize("who", ["street", "community", "operator", "organization"])
def test_reports_are_for_civil_affairs_staff_only(cast, login, draft, who):
    client = login(cast[who])
    assert client.get("/reports/").status_code == 403
    assert client.get(f"/reports/{draft.pk}/").status_code in (403, 404)


def test_a_county_clerk_generates_reviews_and_submits_through_the_pages(cast, login, registry):
    with at(2025, 7, 3):  # signed in and working on 2025-07-03
        client = login(cast["county"])
        page = client.get(f"/reports/county/{COUNTY}/?year=2025")
        assert page.status_code == 200 and "生成统计表" in page.content.decode()
        response = client.post(f"/reports/county/{COUNTY}/generate/", {
            "q2-year": 2025, "q2-quarter": 2, "q2-prepared_by_name": "张敏", "q2-contact_phone": "0771-5551234"})
        _continue(client, response)


def _continue(client, response):
    report = QuarterlyReport.objects.get()
    assert response.url == f"/reports/{report.pk}/"
    body = client.get(response.url).content.decode()
    assert "兴宁区社区社会组织培育发展情况统计表（2025年第2季度）" in body and "民生街道" in body
    assert client.post(f"/reports/{report.pk}/review/", {"reviewer_name": "李强"}).status_code == 302
    assert client.post(f"/reports/{report.pk}/submit/", {"note": ""}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.reviewer_name == "李强"
    assert "已报送" in client.get(f"/reports/{report.pk}/").content.decode()


def test_a_step_out_of_order_shows_a_chinese_message(cast, login, draft):
    client = login(cast["county"])
    response = client.post(f"/reports/{draft.pk}/submit/", {}, follow=True)
    assert "该统计表尚未审核，请先审核再报送。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_the_city_does_not_see_a_countys_draft(cast, login, draft):
    client = login(cast["city"])
    assert client.get(f"/reports/{draft.pk}/").status_code == 404
    assert client.post(f"/reports/{draft.pk}/review/", {"reviewer_name": "市里"}).status_code == 404
    assert f"/reports/{draft.pk}/" not in client.get(f"/reports/county/{COUNTY}/?year=2025").content.decode()


def test_the_city_sees_a_submitted_table_but_may_not_change_it(cast, login, submitted):
    client = login(cast["city"])
    assert client.get(f"/reports/{submitted.pk}/").status_code == 200
    assert f"/reports/{submitted.pk}/" in client.get(f"/reports/county/{COUNTY}/?year=2025").content.decode()
    assert client.post(f"/reports/{submitted.pk}/correct/", {"reason": "市里改", "prepared_by_name": "x"}
                       ).status_code == 403
    assert client.post(f"/reports/county/{COUNTY}/generate/", {"q2-year": 2025, "q2-quarter": 2,
                                                               "q2-prepared_by_name": "x"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_another_county_gets_404_everywhere(cast, login, draft):
    client = login(cast["outsider_county"])
    for url in (f"/reports/{draft.pk}/", f"/reports/{draft.pk}/export/", f"/reports/county/{COUNTY}/"):
        assert client.get(url).status_code == 404, url
    for step in ("review", "submit", "regenerate", "return", "correct"):
        assert client.post(f"/reports/{draft.pk}/{step}/", {"reviewer_name": "x", "reason": "x"}).status_code == 404
    assert client.get("/reports/overview/?division=450100000000").status_code == 404


def test_every_number_links_to_the_list_behind_it_with_the_tables_date(cast, login, draft):
    body = login(cast["county"]).get(f"/reports/{draft.pk}/").content.decode()
    links = re.findall(r'href="([^"]+)" class="drill"', body)
    assert any(link.startswith("/orgs/?") for link in links)
    assert any(link.startswith("/stats/communities/?") for link in links)
    assert all("as_of=2025-06-30" in link for link in links)
    link = next(link for link in links if "division=450102001000" in link and "status=live" in link
                and "track" not in link and "community" not in link and "party" not in link)
    org_list = login(cast["county"]).get(link.replace("&amp;", "&"))
    assert org_list.status_code == 200
    minsheng = next(r for r in draft.data["rows"] if r["code"] == "450102001000")["values"]["orgs_live"]
    assert f"共 {minsheng} 条" in org_list.content.decode() or minsheng == len(
        re.findall(r'href="/orgs/[A-Za-z0-9]+/"', org_list.content.decode()))


def test_the_table_shows_the_change_from_the_previous_quarter(cast, login, registry):
    county = Division.objects.get(code=COUNTY)
    with at(2025, 4, 2):
        q1 = services.generate(county, 2025, 1, cast["county"], prepared_by_name="张敏")
        services.review(q1, cast["county"], reviewer_name="李强")
        services.submit(q1, cast["county"])
    with at(2025, 7, 3):
        q2 = services.generate(county, 2025, 2, cast["county"], prepared_by_name="张敏")
    body = login(cast["county"]).get(f"/reports/{q2.pk}/").content.decode()
    assert "与上季度（2025年第1季度第1版）已报送数相比" in body
    assert 'title="与上季度已报送数相比">+1</div>' in body


def test_the_exported_workbook_totals_equal_the_sum_of_its_rows(cast, login, submitted):
    response = login(cast["city"]).get(f"/reports/{submitted.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "兴宁区社区社会组织培育发展情况统计表（2025年第2季度）"
    header = [ws.cell(5, c).value for c in range(1, ws.max_column + 1)]
    names = [ws.cell(r, 1).value for r in range(6, ws.max_row + 1)]
    total_row = 6 + names.index("合计")
    street_rows = range(6, total_row)
    assert [ws.cell(r, 1).value for r in street_rows] == ["民生街道", "朝阳街道"]
    count_columns = [i + 2 for i, c in enumerate(submitted.data["columns"]) if c["kind"] == "count"]
    assert len(count_columns) >= 9
    for col in count_columns:
        total = ws.cell(total_row, col).value
        assert total == sum(ws.cell(r, col).value or 0 for r in street_rows), header[col - 1]
    assert ws.cell(total_row, count_columns[0]).value == 5  # communities
    texts = [c.value for r in ws.iter_rows(min_row=total_row + 1) for c in r if c.value]
    assert "制表人：张敏" in texts and "审核人：李强" in texts and "联系电话：13812345678" in texts


def test_the_exported_table_prints_on_exactly_one_page(cast, login, submitted, tmp_path):
    response = login(cast["county"]).get(f"/reports/{submitted.pk}/export/")
    assert pdf_pages(response.content, tmp_path) == 1


def test_the_city_overview_lists_its_counties_with_status_and_the_roll_up(cast, login, submitted, foreign):
    with at(2025, 7, 5):
        response = login(cast["city"]).get("/reports/overview/?year=2025&quarter=2")
    body = response.content.decode()
    assert response.status_code == 200
    assert "南宁市 · 2025年第2季度" in body
    assert "兴宁区" in body and "青秀区" in body
    assert "逾期报送" in body and "逾期未报" in body
    assert f'href="/reports/{submitted.pk}/"' in body
    assert 'data-testid="submitted">1<' in body


def test_the_roll_up_exports_to_a_workbook(cast, login, submitted):
    response = login(cast["province"]).get("/reports/overview/export/?year=2025&quarter=2")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "广西壮族自治区社区社会组织培育发展情况汇总表（2025年第2季度）"
    names = [ws.cell(r, 1).value for r in range(6, ws.max_row + 1)]
    assert names[:3] == ["南宁市", "柳州市", "合计"]
    orgs_live = 2 + [c["key"] for c in submitted.data["columns"]].index("orgs_live")
    assert ws.cell(6, orgs_live).value == ws.cell(8, orgs_live).value == 5


def test_a_superseded_version_stays_readable(cast, login, submitted):
    with at(2025, 7, 4):
        v2 = services.correct(submitted, cast["county"], reason="北宁社区漏报")
    client = login(cast["county"])
    old = client.get(f"/reports/{submitted.pk}/").content.decode()
    assert "已被更正替代" in old and f'href="/reports/{v2.pk}/"' in old
    assert "更正原因：北宁社区漏报" in client.get(f"/reports/{v2.pk}/").content.decode()
    assert date(2025, 6, 30) == v2.as_of


def test_the_pages_run_a_fixed_number_of_queries(cast, login, submitted, foreign, django_assert_max_num_queries):
    client = login(cast["province"])
    with django_assert_max_num_queries(10):
        assert client.get("/reports/overview/?year=2025&quarter=2").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"/reports/{submitted.pk}/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/reports/county/{COUNTY}/?year=2025").status_code == 200


def test_the_national_overview_has_one_row_per_province(cast, login, submitted):
    body = login(cast["superuser"]).get("/reports/overview/?year=2025&quarter=2").content.decode()
    assert "全国 · 2025年第2季度" in body and "各省（区、市）报送情况" in body
    assert 'data-division="450000000000"' in body
    assert "?division=450000000000&amp;year=2025&amp;quarter=2" in body


def test_the_exported_roll_up_prints_on_exactly_one_page(cast, login, submitted, tmp_path):
    response = login(cast["city"]).get("/reports/overview/export/?year=2025&quarter=2")
    assert pdf_pages(response.content, tmp_path) == 1


def test_the_countys_own_row_links_to_the_organizations_registered_on_the_county_only(cast, login, registry):
    from cso.orgs.tests.factories import make_registered

    make_registered(cast["registrar"], division=COUNTY, name="兴宁区社会工作者协会", registered_on=date(2019, 1, 1),
                    founded_on=date(2019, 1, 1))
    with at(2025, 7, 3):
        table = services.generate(Division.objects.get(code=COUNTY), 2025, 2, cast["county"], prepared_by_name="张敏")
    client = login(cast["county"])
    body = client.get(f"/reports/{table.pk}/").content.decode()
    links = [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)" class="drill"', body)]
    own = [link for link in links if "own=yes" in link]
    assert own, "the 本级 row has links of its own"
    live = next(link for link in own if link.startswith("/orgs/?") and "status=live" in link and "track" not in link
                and "community" not in link and "party" not in link)
    page = client.get(live).context["page"]
    assert page.count == 1
    assert [org.name for org in page.rows] == ["兴宁区社会工作者协会"]
