"""The approval chain in the browser: the county clerk prepares the round's table, a second county account
reviews and submits it, the city returns it with a reason, the county corrects it as version 2, it is
submitted again and the city accepts it; then the city clicks a number through to the organizations
behind it."""

from datetime import date

import pytest
from playwright.sync_api import expect

from cso.orgs.tests.factories import make_filed, make_registered
from cso.reports import rounds, services
from cso.reports.models import QuarterlyReport

pytestmark = pytest.mark.browser


@pytest.fixture
def registry(live_cast):
    from cso.accounts.choices import Role
    from cso.demo.testing import make_user

    make_user("county_reviewer", Role.CIVIL_AFFAIRS, "450102000000", full_name="李强")
    names = ["兴宁社区书画协会", "兴宁社区太极拳队", "北宁社区志愿服务队"]
    # the registering body registers, 民生街道 files its communities' groups (the responsibilities table)
    registrar, street = live_cast["registrar"], live_cast["street"]
    make_registered(registrar, name=names[0], division="450102001003", registered_on=date(2020, 5, 1))
    make_filed(street, name=names[1], division="450102001003", filed_on=date(2021, 3, 1))
    make_filed(street, name=names[2], division="450102001004", filed_on=date(2022, 3, 1))
    make_filed(live_cast["superuser"], name="新竹社区合唱团", division="450103001005", filed_on=date(2021, 3, 1))
    return names


def test_a_county_table_goes_up_the_chain_and_the_city_drills_into_it(registry, sign_in, live_server, page):
    rnd = rounds.latest_due("450102000000", services.today())
    reference = rnd.reference.isoformat()

    page = sign_in("county")
    page.goto(live_server.url + "/reports/")  # the county clerk lands on the county's rounds
    expect(page.get_by_test_id("county-name")).to_contain_text("兴宁区")
    expect(page.get_by_test_id("schedule")).to_contain_text("6月20日前报送")
    page.goto(page.url.split("?")[0] + f"?year={rnd.year}")
    page.get_by_test_id(f"generate-{reference}").click()
    expect(page.get_by_test_id("report-status")).to_have_text("草稿")
    expect(page.get_by_test_id("report-title")).to_contain_text(f"兴宁区社区社会组织培育发展情况统计表（{rnd.title}）")
    expect(page.get_by_test_id("interval")).to_contain_text(rnd.interval_label)
    expect(page.get_by_test_id("layout-label")).to_contain_text("本平台建议")
    expect(page.get_by_test_id("total-row").locator("td[data-key=orgs_live]")).to_contain_text("3")
    expect(page.get_by_test_id("same-person")).to_be_visible()  # the preparer may not review it
    report = QuarterlyReport.objects.get()

    page.context.clear_cookies()
    page = sign_in("county_reviewer")
    page.goto(live_server.url + f"/reports/{report.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已报送")

    page.context.clear_cookies()
    page = sign_in("city")
    page.goto(live_server.url + f"/reports/overview/?year={rnd.year}&round={rnd.number}")
    expect(page.get_by_test_id("overview-title")).to_contain_text("南宁市")
    submissions = page.get_by_test_id("submissions")
    expect(submissions.locator("tr[data-county='450102000000']")).to_contain_text("已报送")
    expect(submissions.locator("tr[data-county='450103000000']")).to_contain_text("未开始")
    submissions.get_by_test_id("decide-450102000000").click()
    page.fill("textarea[name=reason]", "北宁社区志愿服务队的备案日期请核对")
    page.get_by_test_id("return").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已退回")
    expect(page.get_by_test_id("return-reason")).to_have_text("北宁社区志愿服务队的备案日期请核对")

    page.context.clear_cookies()
    page = sign_in("county")
    page.goto(live_server.url + f"/reports/{report.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("correct").click()
    expect(page.get_by_test_id("report-status")).to_have_text("草稿")
    expect(page.get_by_test_id("report-title")).to_contain_text("兴宁区")
    v2 = QuarterlyReport.objects.get(version=2)

    page.context.clear_cookies()
    page = sign_in("county_reviewer")
    page.goto(live_server.url + f"/reports/{v2.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已报送")

    page.context.clear_cookies()
    page = sign_in("city")
    page.goto(live_server.url + f"/reports/{v2.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已通过")
    timeline = page.get_by_test_id("timeline")
    for step in ("制表", "审核并报送", "退回", "更正", "通过"):
        expect(timeline).to_contain_text(step)
    expect(page.get_by_test_id("workflow")).to_have_count(0)  # locked

    cell = page.get_by_test_id("report-table").locator("tr[data-testid=total-row] td[data-key=orgs_live] a")
    expect(cell).to_have_text("3")
    cell.click()
    page.wait_for_load_state("networkidle")
    assert "/orgs/" in page.url and "as_of=" in page.url
    main = page.locator("main")
    for name in registry:
        expect(main).to_contain_text(name)
    expect(main).not_to_contain_text("新竹社区合唱团")
