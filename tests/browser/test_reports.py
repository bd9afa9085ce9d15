"""The county clerk generates, reviews and submits a quarter's statistics table; the city sees it in
its overview and clicks a number through to the organizations behind it."""

from datetime import date

import pytest
from playwright.sync_api import expect

from cso.orgs.tests.factories import make_filed, make_registered
from cso.reports import services
from cso.reports.models import QuarterlyReport

pytestmark = pytest.mark.browser


@pytest.fixture
def registry(live_cast):
    county = live_cast["superuser"]  # setting up: the registering and filing bodies act through the superuser
    names = ["兴宁社区书画协会", "兴宁社区太极拳队", "北宁社区志愿服务队"]
    make_registered(county, name=names[0], division="450102001003", registered_on=date(2020, 5, 1))
    make_filed(county, name=names[1], division="450102001003", filed_on=date(2021, 3, 1))
    make_filed(county, name=names[2], division="450102001004", filed_on=date(2022, 3, 1))
    make_filed(live_cast["superuser"], name="新竹社区合唱团", division="450103001005", filed_on=date(2021, 3, 1))
    return names


def test_a_county_clerk_submits_a_quarter_and_the_city_drills_into_it(registry, sign_in, live_server, page):
    year, quarter = services.previous_quarter(*services.current_quarter())
    page = sign_in("county")
    page.goto(live_server.url + "/reports/")  # the county clerk lands on the county's quarters
    expect(page.get_by_test_id("county-name")).to_contain_text("兴宁区")
    page.goto(page.url.split("?")[0] + f"?year={year}")
    page.get_by_test_id(f"generate-{quarter}").click()

    expect(page.get_by_test_id("report-status")).to_have_text("草稿")
    expect(page.get_by_test_id("report-title")).to_contain_text(f"兴宁区社区社会组织培育发展情况统计表（{year}年第{quarter}季度）")
    total = page.get_by_test_id("total-row")
    expect(total.locator("td[data-key=orgs_live]")).to_contain_text("3")
    expect(page.get_by_test_id("report-table")).not_to_contain_text("青秀区")

    page.get_by_test_id("review").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已审核")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已报送")
    expect(page.get_by_test_id("timeline")).to_contain_text("报送")
    report = QuarterlyReport.objects.get()
    assert (report.year, report.quarter, report.status) == (year, quarter, "submitted")

    page.context.clear_cookies()
    page = sign_in("city")
    page.goto(live_server.url + f"/reports/overview/?year={year}&quarter={quarter}")
    expect(page.get_by_test_id("overview-title")).to_contain_text("南宁市")
    submissions = page.get_by_test_id("submissions")
    expect(submissions.locator("tr[data-county='450102000000']")).to_contain_text("已报送")
    expect(submissions.locator("tr[data-county='450103000000']")).to_contain_text("未生成")
    expect(page.get_by_test_id("submitted")).to_have_text("1")

    cell = page.get_by_test_id("report-table").locator("tr[data-code='450102000000'] td[data-key=orgs_live] a")
    expect(cell).to_have_text("3")
    cell.click()
    page.wait_for_load_state("networkidle")
    assert "/orgs/" in page.url and "as_of=" in page.url
    main = page.locator("main")
    for name in registry:
        expect(main).to_contain_text(name)
    expect(main).not_to_contain_text("新竹社区合唱团")
