"""Browser tests: Playwright (Python) driving Debian's Chromium (/usr/bin/chromium).

No browser is ever downloaded: when Debian's Chromium is missing the tests are skipped with a
reason (scripts/test.sh installs it when it can).
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CSO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("未安装 Debian 的 Chromium（apt-get install chromium），跳过浏览器测试")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


@pytest.fixture
def live_cast(transactional_db):
    """The fixed cast, committed so the live server thread sees it."""
    import importlib

    from django.apps import apps

    from cso.demo.testing import build_cast, build_tree

    # A transactional test's flush also removes the categories and service targets that a data
    # migration seeded; put them back so that each browser test starts from the same registry.
    importlib.import_module("cso.orgs.migrations.0002_seed_terms").seed(apps, None)
    build_tree()
    from cso.orgs.models import RegistryRules

    # 广西's registry rules, as in the root conftest's tree and the demo
    RegistryRules.objects.create(province_id="450000000000", min_registered_capital=2000,
                                 federation_min_members=30, filing_level=4)
    return build_cast()


@pytest.fixture
def sign_in(page, live_server):
    from cso.demo.testing import PASSWORD

    def _sign_in(username: str, password: str = PASSWORD):
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return _sign_in
