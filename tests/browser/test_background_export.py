"""The county clerk exports a list too large for the request: the job page shows it waiting, then
polls (htmx) while a real worker writes the file, and offers the file when done."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cso.orgs.tests.factories import make_filed

pytestmark = [pytest.mark.browser, pytest.mark.tasks]


def test_a_large_export_is_offered_on_its_job_page_when_the_worker_is_done(live_cast, sign_in, live_server,
                                                                          settings, task_worker):
    for name in ("兴宁社区太极拳队", "兴宁社区合唱团", "兴宁社区读书会"):
        make_filed(live_cast["street"], name=name)
    settings.CSO_EXPORT_SYNC_ROWS = 2
    page = sign_in("county")
    page.goto(live_server.url + "/orgs/export/?format=csv")
    expect(page.get_by_test_id("job-status")).to_have_text("排队中")
    expect(page.get_by_test_id("job-progress")).to_contain_text("排队中")
    task_worker()  # the worker runs while the page polls
    expect(page.get_by_test_id("job-done")).to_contain_text("共 3 行", timeout=10_000)
    with page.expect_download() as download:
        page.get_by_test_id("job-download").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert download.value.suggested_filename.endswith(".csv")
    for name in ("兴宁社区太极拳队", "兴宁社区合唱团", "兴宁社区读书会"):
        assert name in text
