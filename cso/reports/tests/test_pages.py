"""The pages: every step of the approval chain through HTTP (and who may not take it), scoping (404
outside the subtree), streets' own rows, chasing, rounds and columns, drill-down links, exports."""

import io
import re
from datetime import date

import openpyxl
import pytest

from cso.regions.models import Division
from cso.reports import services
from cso.reports.choices import EventKind, ReportStatus
from cso.reports.models import ColumnLayout, QuarterlyReport, Reminder, ReportEvent, ReportingRound

from .conftest import R1, R2, at
from .printing import pdf_pages

COUNTY = "450102000000"
QINGXIU = "450103000000"
CITY = "450100000000"
PROVINCE = "450000000000"


@pytest.fixture
def draft(cast, registry):
    with at(2025, 6, 10):
        return services.generate(Division.objects.get(code=COUNTY), R1, cast["county"], prepared_by_name="张敏",
                                 contact_phone="13812345678")


@pytest.fixture
def submitted(cast, draft, reviewer):
    with at(2025, 6, 12):
        return services.submit(draft, reviewer, reviewer_name="李强")


@pytest.fixture
def foreign(cast, registry):
    with at(2025, 6, 10):
        return services.generate(Division.objects.get(code=QINGXIU), R1, cast["outsider_county"],
                                 prepared_by_name="外县")


def snapshot():
    return list(QuarterlyReport.objects.order_by("pk").values()), ReportEvent.objects.count()


def test_the_index_sends_a_county_clerk_to_its_rounds_and_a_province_to_the_overview(cast, login):
    assert login(cast["county"]).get("/reports/").url == f"/reports/county/{COUNTY}/"
    assert login(cast["city"]).get("/reports/").url == "/reports/overview/"
    assert login(cast["province"]).get("/reports/").url == "/reports/overview/"
    assert login(cast["street"]).get("/reports/").url == "/reports/mine/"


@pytest.mark.parametrize("who", ["operator", "organization"])
def test_organization_and_operator_accounts_see_no_tables(cast, login, submitted, who):
    client = login(cast[who])
    assert client.get("/reports/").status_code == 403
    assert client.get(f"/reports/{submitted.pk}/").status_code in (403, 404)


# --- the chain, step by step, through HTTP ----------------------------------------------------------

def test_the_whole_chain_through_the_pages(cast, login, registry, reviewer):
    with at(2025, 6, 10):
        clerk = login(cast["county"])
        page = clerk.get(f"/reports/county/{COUNTY}/?year=2025").content.decode()
        assert "制表" in page and "（2024-11-30，2025-05-31］" in page and "文件000" in page
        response = clerk.post(f"/reports/county/{COUNTY}/generate/", {
            "r0531-reference": "2025-05-31", "r0531-prepared_by_name": "张敏", "r0531-contact_phone": "0771-5551234"})
        report = QuarterlyReport.objects.get()
        assert response.url == f"/reports/{report.pk}/"
        body = clerk.get(response.url).content.decode()
    assert "兴宁区社区社会组织培育发展情况统计表（2025年第1轮（截至5月31日））" in body
    assert "统计区间 （2024-11-30，2025-05-31］" in body
    assert "本平台建议的布局" in body
    assert 'data-testid="same-person"' in body  # the preparer is told to ask a colleague
    with at(2025, 6, 12):
        client = login(reviewer)
        assert 'data-testid="submit"' in client.get(f"/reports/{report.pk}/").content.decode()
        assert client.post(f"/reports/{report.pk}/submit/", {"reviewer_name": "李强"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.reviewer == reviewer
    with at(2025, 6, 13):
        city = login(cast["city"])
        overview = city.get("/reports/overview/?year=2025&round=1").content.decode()
        assert f'data-testid="decide-{COUNTY}"' in overview and "已报送" in overview
        assert 'data-testid="accept"' in city.get(f"/reports/{report.pk}/").content.decode()
        assert city.post(f"/reports/{report.pk}/return/", {"reason": "朝阳街道漏报"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    with at(2025, 6, 14):
        clerk = login(cast["county"])
        body = clerk.get(f"/reports/{report.pk}/").content.decode()
        assert "朝阳街道漏报" in body and 'data-testid="correct"' in body
        response = clerk.post(f"/reports/{report.pk}/correct/", {"reason": "", "prepared_by_name": "张敏"})
    v2 = QuarterlyReport.objects.get(version=2)
    assert response.url == f"/reports/{v2.pk}/"
    with at(2025, 6, 15):
        assert login(reviewer).post(f"/reports/{v2.pk}/submit/", {"reviewer_name": "李强"}).status_code == 302
        assert login(cast["city"]).post(f"/reports/{v2.pk}/accept/", {"note": "已核对"}).status_code == 302
    v2.refresh_from_db()
    assert v2.status == ReportStatus.ACCEPTED
    with at(2025, 6, 15):
        timeline = login(cast["county"]).get(f"/reports/{v2.pk}/").content.decode()
    kinds = re.findall(r'<li data-kind="([a-z]+)"', timeline)
    assert kinds == ["generated", "submitted", "returned", "corrected", "submitted", "accepted"]
    assert "南宁市 " + cast["city"].display_name in timeline and "已通过" in timeline


def test_the_preparer_submitting_their_own_table_is_refused(cast, login, draft):
    before = snapshot()
    response = login(cast["county"]).post(f"/reports/{draft.pk}/submit/", {"reviewer_name": "张敏"}, follow=True)
    assert "制表人和审核人须为不同的账号" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("who,status", [("street", 404), ("community", 404), ("province", 404),
                                        ("city", 404), ("outsider_county", 404)])
def test_nobody_else_submits_a_countys_draft(cast, login, draft, who, status):
    before = snapshot()
    assert login(cast[who]).post(f"/reports/{draft.pk}/submit/", {"reviewer_name": "x"}).status_code == status
    assert login(cast[who]).post(f"/reports/{draft.pk}/regenerate/").status_code == status
    assert snapshot() == before


@pytest.mark.parametrize("who,status", [("county", 403), ("province", 403), ("outsider_county", 404),
                                        ("street", 403)])
def test_only_the_city_accepts_or_returns_a_county_table(cast, login, submitted, reviewer, who, status):
    before = snapshot()
    for user in (cast[who], reviewer):
        client = login(user)
        expected = 403 if user == reviewer else status
        assert client.post(f"/reports/{submitted.pk}/accept/", {}).status_code == expected
        assert client.post(f"/reports/{submitted.pk}/return/", {"reason": "x"}).status_code == expected
    assert snapshot() == before


def test_a_city_may_not_decide_on_a_county_of_another_city(cast, login, registry):
    from cso.accounts.choices import Role
    from cso.demo.testing import make_user

    liuzhou = make_user("liuzhou", Role.CIVIL_AFFAIRS, "450200000000")
    chengzhong = make_user("chengzhong", Role.CIVIL_AFFAIRS, "450202000000")
    chengzhong_reviewer = make_user("chengzhong2", Role.CIVIL_AFFAIRS, "450202000000")
    with at(2025, 6, 10):
        table = services.generate(Division.objects.get(code="450202000000"), R1, chengzhong)
        table = services.submit(table, chengzhong_reviewer)
    before = snapshot()
    assert login(cast["city"]).post(f"/reports/{table.pk}/accept/", {}).status_code == 404
    assert snapshot() == before
    assert login(liuzhou).post(f"/reports/{table.pk}/accept/", {}).status_code == 302
    table.refresh_from_db()
    assert table.status == ReportStatus.ACCEPTED


def test_an_accepted_table_offers_no_step_and_takes_none(cast, login, submitted):
    services.accept(submitted, cast["city"])
    before = snapshot()
    assert 'data-testid="workflow"' not in login(cast["county"]).get(f"/reports/{submitted.pk}/").content.decode()
    for step in ("return", "accept", "correct", "regenerate", "submit"):
        login(cast["city"]).post(f"/reports/{submitted.pk}/{step}/", {"reason": "x", "prepared_by_name": "x",
                                                                      "reviewer_name": "x"})
        login(cast["county"]).post(f"/reports/{submitted.pk}/{step}/", {"reason": "x", "prepared_by_name": "x",
                                                                        "reviewer_name": "x"})
    assert snapshot() == before


def test_the_city_does_not_see_a_countys_draft(cast, login, draft):
    client = login(cast["city"])
    assert client.get(f"/reports/{draft.pk}/").status_code == 404
    assert client.post(f"/reports/{draft.pk}/accept/", {}).status_code == 404
    assert f"/reports/{draft.pk}/" not in client.get(f"/reports/county/{COUNTY}/?year=2025").content.decode()


def test_another_county_gets_404_everywhere(cast, login, draft):
    client = login(cast["outsider_county"])
    for url in (f"/reports/{draft.pk}/", f"/reports/{draft.pk}/export/", f"/reports/county/{COUNTY}/"):
        assert client.get(url).status_code == 404, url
    for step in ("submit", "regenerate", "accept", "return", "correct"):
        assert client.post(f"/reports/{draft.pk}/{step}/", {"reviewer_name": "x", "reason": "x"}).status_code == 404
    assert client.get("/reports/overview/?division=450100000000").status_code == 404
    assert client.post(f"/reports/county/{COUNTY}/chase/", {"reference": "2025-05-31"}).status_code == 404


# --- streets and communities see their own rows ----------------------------------------------------

@pytest.mark.parametrize("who", ["street", "community"])
def test_a_street_and_a_community_see_only_their_own_row_of_a_sent_table(cast, login, submitted, who):
    client = login(cast[who])
    mine = client.get("/reports/mine/").content.decode()
    assert f'href="/reports/{submitted.pk}/"' in mine
    body = client.get(f"/reports/{submitted.pk}/").content.decode()
    assert 'data-code="450102001000"' in body  # 民生街道
    assert 'data-code="450102002000"' not in body and 'data-testid="total-row"' not in body
    assert 'data-testid="timeline"' not in body
    assert client.get(f"/reports/{submitted.pk}/export/").status_code == 403


def test_a_street_does_not_see_a_draft_nor_another_countys_table(cast, login, draft, foreign):
    client = login(cast["street"])
    assert client.get(f"/reports/{draft.pk}/").status_code == 404
    assert client.get(f"/reports/{foreign.pk}/").status_code == 404
    assert login(cast["outsider_street"]).get(f"/reports/{draft.pk}/").status_code == 404


# --- chasing ------------------------------------------------------------------------------------------

def test_the_city_chases_a_late_county_and_the_county_sees_the_notice(cast, login, submitted):
    with at(2025, 6, 25):
        city = login(cast["city"])
        overview = city.get("/reports/overview/?year=2025&round=1").content.decode()
        assert f'data-testid="chase-{QINGXIU}"' in overview and f'data-testid="chase-{COUNTY}"' not in overview
        assert "未开始" in overview and "逾期" in overview
        assert city.post(f"/reports/county/{QINGXIU}/chase/", {"reference": "2025-05-31"}).status_code == 302
        page = login(cast["outsider_county"]).get(f"/reports/county/{QINGXIU}/").content.decode()
    reminder = Reminder.objects.get()
    assert (reminder.division_id, reminder.user) == (QINGXIU, cast["city"])
    assert 'data-testid="reminders"' in page and "逾期" in page


@pytest.mark.parametrize("who,code,status", [("county", COUNTY, 403), ("county", QINGXIU, 404),
                                             ("province", QINGXIU, 403), ("street", COUNTY, 404)])
def test_only_the_city_chases(cast, login, registry, who, code, status):
    with at(2025, 6, 25):
        assert login(cast[who]).post(f"/reports/county/{code}/chase/",
                                     {"reference": "2025-05-31"}).status_code == status
    assert not Reminder.objects.exists()


# --- rounds and columns -----------------------------------------------------------------------------

def test_the_province_adds_a_round_and_its_tables_follow_it(cast, login, registry):
    client = login(cast["province"])
    page = client.get("/reports/rounds/").content.decode()
    assert "6月20日前报送" in page and "3月20日" not in page
    response = client.post("/reports/rounds/", {"division": PROVINCE, "reference_month": 2, "reference_day": 28,
                                                "deadline_month": 3, "deadline_day": 20, "source": "本省通知"})
    assert response.status_code == 302
    assert ReportingRound.objects.filter(province_id=PROVINCE).count() == 4
    from cso.reports import rounds

    found = rounds.rounds_of(COUNTY, 2025)
    assert [r.reference for r in found][:2] == [date(2025, 2, 28), date(2025, 5, 31)]
    assert found[1].period_start == date(2025, 3, 1)
    assert "本省自定的报送轮次" in client.get("/reports/rounds/").content.decode()


@pytest.mark.parametrize("who,status", [("city", 404), ("county", 404), ("street", 404)])
def test_only_the_province_sets_its_rounds_and_columns(cast, login, tree, who, status):
    client = login(cast[who])
    data = {"division": PROVINCE, "reference_month": 2, "reference_day": 28, "deadline_month": 3, "deadline_day": 20}
    assert client.post("/reports/rounds/", data).status_code == status
    assert client.post("/reports/columns/", {"division": PROVINCE, "columns": ["orgs_live"]}).status_code == status
    assert not ReportingRound.objects.exists() and not ColumnLayout.objects.exists()


def test_a_province_chooses_its_columns_and_frozen_tables_keep_theirs(cast, login, submitted):
    client = login(cast["province"])
    assert "本平台建议的布局" in client.get("/reports/columns/").content.decode()
    response = client.post("/reports/columns/", {"division": PROVINCE, "columns": ["orgs_live", "new_in_period",
                                                                                   "per_10k"]})
    assert response.status_code == 302
    with at(2025, 9, 3):
        later = services.generate(Division.objects.get(code=COUNTY), R2, cast["county"])
    assert [c["key"] for c in later.data["columns"]] == ["orgs_live", "new_in_period", "per_10k"]
    assert "由本省从已定义的指标中选定" in login(cast["county"]).get(f"/reports/{later.pk}/").content.decode()
    submitted.refresh_from_db()
    assert "communities" in [c["key"] for c in submitted.data["columns"]]


# --- the table page and exports -----------------------------------------------------------------------

def test_every_number_links_to_the_list_behind_it_with_the_tables_date(cast, login, draft):
    body = login(cast["county"]).get(f"/reports/{draft.pk}/").content.decode()
    links = re.findall(r'href="([^"]+)" class="drill"', body)
    assert any(link.startswith("/orgs/?") for link in links)
    assert any(link.startswith("/stats/communities/?") for link in links)
    assert all("as_of=2025-05-31" in link for link in links)
    assert any("kind=cleared" in link for link in links) and any("kind=deregistered" in link for link in links)


def test_the_exported_workbook_totals_equal_the_sum_of_its_rows(cast, login, submitted):
    response = login(cast["city"]).get(f"/reports/{submitted.pk}/export/")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "兴宁区社区社会组织培育发展情况统计表（2025年第1轮（截至5月31日））"
    names = [ws.cell(r, 1).value for r in range(6, ws.max_row + 1)]
    total_row = 6 + names.index("合计")
    street_rows = range(6, total_row)
    assert [ws.cell(r, 1).value for r in street_rows] == ["民生街道", "朝阳街道"]
    count_columns = [i + 2 for i, c in enumerate(submitted.data["columns"]) if c["kind"] == "count"]
    for col in count_columns:
        assert ws.cell(total_row, col).value == sum(ws.cell(r, col).value or 0 for r in street_rows)
    texts = [c.value for r in ws.iter_rows(min_row=total_row + 1) for c in r if c.value]
    assert "制表人：张敏" in texts and "审核人：李强" in texts
    assert any("（2024-11-30，2025-05-31］" in t and "本平台建议" in t for t in texts)


def test_the_exported_table_prints_on_exactly_one_page(cast, login, submitted, tmp_path):
    response = login(cast["county"]).get(f"/reports/{submitted.pk}/export/")
    assert pdf_pages(response.content, tmp_path) == 1


def test_the_roll_up_exports_to_a_workbook(cast, login, submitted):
    response = login(cast["province"]).get("/reports/overview/export/?year=2025&round=1")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "广西壮族自治区社区社会组织培育发展情况汇总表（2025年第1轮（截至5月31日））"
    names = [ws.cell(r, 1).value for r in range(6, ws.max_row + 1)]
    assert names[:3] == ["南宁市", "柳州市", "合计"]


def test_the_pages_run_a_fixed_number_of_queries(cast, login, submitted, foreign, django_assert_max_num_queries):
    client = login(cast["province"])
    # however many counties: states, chases, sums in a few queries each; every page +2 since the navigation's
    # entries ask the responsibilities table through has_perm: Django's ModelBackend then loads the account's
    # model permissions (two queries, once per request, cached on the user)
    with django_assert_max_num_queries(22):
        assert client.get("/reports/overview/?year=2025&round=1").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/reports/{submitted.pk}/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/reports/county/{COUNTY}/?year=2025").status_code == 200


def test_the_national_overview_has_one_row_per_province(cast, login, submitted):
    body = login(cast["superuser"]).get("/reports/overview/?year=2025&round=1").content.decode()
    assert "全国 · 2025年第1轮（截至5月31日）" in body and "各省（区、市）报送情况" in body
    assert "?division=450000000000&amp;year=2025&amp;round=1" in body


def test_an_old_quarterly_table_stays_readable(cast, login, submitted):
    """A table made under an earlier schedule (e.g. the first quarter's 3/20) is listed apart and opens."""
    QuarterlyReport.objects.filter(pk=submitted.pk).update(
        reference_date=date(2025, 2, 28), deadline=date(2025, 3, 20), round_label="第1季度（旧报送期）")
    client = login(cast["county"])
    page = client.get(f"/reports/county/{COUNTY}/?year=2025").content.decode()
    assert 'data-testid="other-tables"' in page and "第1季度（旧报送期）" in page
    assert client.get(f"/reports/{submitted.pk}/").status_code == 200
    assert EventKind.SUBMITTED in ReportEvent.objects.values_list("kind", flat=True)


def test_the_targets_of_a_table_name_the_documents_they_come_from(cast, login, draft):
    body = login(cast["county"]).get(f"/reports/{draft.pk}/").content.decode()
    line = re.search(r'data-testid="targets">([^<]+)<', body).group(1)
    assert "每万人拥有社会组织数 ≥ 6.5（政策默认值：《关于重点培育发展社区社会组织的实施意见》）" in line
    assert "设施面积达标社区占比 ≥ 100（政策默认值：《重庆市开州区人民政府办公室关于深入推进“三社联动”" in line


def test_a_city_roll_up_goes_to_the_province_through_the_pages(cast, login, submitted, outsider_reviewer):
    from cso.accounts.choices import Role
    from cso.demo.testing import make_user

    with at(2025, 6, 13):
        services.accept(submitted, cast["city"])
        theirs = services.generate(Division.objects.get(code=QINGXIU), R1, cast["outsider_county"])
        services.accept(services.submit(theirs, outsider_reviewer), cast["city"])
        city_reviewer = make_user("city_reviewer", Role.CIVIL_AFFAIRS, CITY)
        liuzhou = make_user("liuzhou", Role.CIVIL_AFFAIRS, "450200000000")
        response = login(cast["city"]).post(f"/reports/county/{CITY}/generate/", {
            "r0531-reference": "2025-05-31", "r0531-prepared_by_name": "黄志强"})
        table = QuarterlyReport.objects.get(division_id=CITY)
        assert response.url == f"/reports/{table.pk}/"
        assert [r["code"] for r in table.data["rows"]] == [COUNTY, QINGXIU]
        response = login(city_reviewer).post(f"/reports/{table.pk}/submit/", {"reviewer_name": "市审核人"})
        assert response.status_code == 302
        before = snapshot()
        assert login(cast["county"]).post(f"/reports/{table.pk}/accept/", {}).status_code == 404
        assert login(liuzhou).post(f"/reports/{table.pk}/accept/", {}).status_code == 404
        assert login(cast["city"]).post(f"/reports/{table.pk}/accept/", {}).status_code == 403
        assert snapshot() == before
        overview = login(cast["province"]).get("/reports/overview/?year=2025&round=1").content.decode()
        assert f'data-testid="decide-{CITY}"' in overview
        assert login(cast["province"]).post(f"/reports/{table.pk}/accept/", {"note": "同意"}).status_code == 302
    table.refresh_from_db()
    assert table.status == ReportStatus.ACCEPTED and table.decided_by == cast["province"]


@pytest.mark.parametrize("who,status", [("city", 403), ("province", 403), ("street", 404), ("community", 404),
                                        ("outsider_county", 404), ("operator", 403)])
def test_nobody_else_prepares_a_countys_table(cast, login, registry, who, status):
    with at(2025, 6, 10):
        response = login(cast[who]).post(f"/reports/county/{COUNTY}/generate/", {
            "r0531-reference": "2025-05-31", "r0531-prepared_by_name": "x"})
    assert response.status_code == status
    assert not QuarterlyReport.objects.exists()


@pytest.mark.parametrize("who,status", [("city", 403), ("province", 403), ("street", 404),
                                        ("outsider_county", 404)])
def test_nobody_else_corrects_a_returned_table(cast, login, submitted, who, status):
    services.return_table(submitted, cast["city"], reason="核对")
    before = snapshot()
    response = login(cast[who]).post(f"/reports/{submitted.pk}/correct/", {"prepared_by_name": "x"})
    assert response.status_code == status
    assert snapshot() == before
