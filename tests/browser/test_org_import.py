"""The county's registering body imports a template-shaped file with bad rows, reads the report, confirms
without fixing anything and finds exactly the good rows."""

import pytest
from playwright.sync_api import expect

from cso.orgs.models import Organization
from cso.orgs.tests.factories import FOREIGN_COMMUNITY
from cso.orgs.tests.test_import import row, xlsx

pytestmark = pytest.mark.browser


def test_the_county_registrar_imports_a_file_with_bad_rows(live_cast, sign_in, live_server, tmp_path):
    good = ["兴宁社区书画协会", "兴宁社区太极拳协会", "北宁社区志愿服务协会"]
    rows = [
        row(名称=good[0], 类别="文体娱乐"),
        row(名称="外区的协会", 所在区划代码=FOREIGN_COMMUNITY),
        row(名称=good[1]),
        row(名称="资金不足协会", **{"注册资金（元）": 100}),
        row(名称=good[2], 所在区划代码="450102001004", 服务对象="老年人、儿童"),
        row(名称="日期错误协会", 登记日期="2020年13月1日"),
    ]
    path = tmp_path / "组织导入.xlsx"
    path.write_bytes(xlsx(rows))

    page = sign_in("registrar")
    page.goto(live_server.url + "/orgs/import/")
    expect(page.get_by_test_id("import-columns")).to_contain_text("统一社会信用代码")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并校验").click()

    expect(page.get_by_test_id("valid-rows")).to_have_text("3")
    expect(page.get_by_test_id("error-rows")).to_have_text("3")
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("外区的协会")
    expect(errors).to_contain_text("管辖范围")
    expect(errors).to_contain_text("2000")
    expect(errors).to_contain_text("2020年13月1日")
    assert Organization.objects.count() == 0

    page.get_by_test_id("apply").click()
    page.wait_for_load_state("networkidle")
    assert sorted(Organization.objects.values_list("name", flat=True)) == sorted(good)
    # the registry list of this import: exactly the imported rows, with a way back to the report
    assert "/orgs/?import=" in page.url
    expect(page.get_by_test_id("import-filter")).to_contain_text("本次导入的 3 个组织")
    rows = page.locator("#org-results tbody tr")
    expect(rows).to_have_count(3)
    for name in good:
        expect(page.locator("#org-results")).to_contain_text(name)
    page.get_by_test_id("import-report-link").click()
    expect(page.get_by_test_id("import-applied")).to_contain_text("3")
    for name in good:  # search finds them in the whole registry
        page.goto(live_server.url + "/orgs/?q=" + name)
        expect(page.locator("main")).to_contain_text(name)
    page.goto(live_server.url + "/orgs/")
    expect(page.locator("main")).not_to_contain_text("外区的协会")
