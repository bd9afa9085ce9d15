"""Navigation entries and home-page panels come from the apps that own them; core names none."""

from pathlib import Path

from cso.core import navigation

CORE = Path(navigation.__file__).resolve().parent


def test_every_app_registers_its_own_entries_in_order():
    labels = [item.label for item in navigation.NAV_ITEMS]
    assert labels == ["首页", "我的组织", "社会组织", "批量导入", "办事指南", "我的申请", "待办申请", "入会邀请",
                      "监管看板", "年检年报", "年报审查", "等级评估",
                      "信用监管", "执法监察",
                      "随机抽查", "回避申报", "僵尸型组织", "清理整治",
                      "培育载体", "孵化基地目标", "入驻孵化", "场地预约",
                      "资金扶持项目", "项目申报", "我的资金申报", "项目评审", "资金情况", "指导目录",
                      "统计看板", "统计指标", "统计报表", "目标值", "行政区划", "区划检索", "账号管理", "审计日志",
                      "职责表", "账号邀请", "登记规则"]
    assert {item.url_name.split(":")[0] for item in navigation.NAV_ITEMS} == {
        "core", "orgs", "applications", "dashboards", "stats", "reports", "regions", "accounts", "portal",
        "supervision", "support", "funding"}


def test_registering_an_entry_twice_keeps_one():
    before = list(navigation.NAV_ITEMS)
    navigation.register(before[1])
    assert before == navigation.NAV_ITEMS


def test_the_home_page_shows_the_panels_the_apps_registered(cast, login):
    assert [panel.name for panel in navigation.PANELS] == ["portal", "regions.summary", "support.targets",
                                                           "accounts.duties"]
    body = login(cast["county"]).get("/").content.decode()
    assert 'data-testid="count-level-4"' in body  # the divisions' panel: streets under the county


def test_core_imports_no_app_above_it():
    """The layering contract (.importlinter, checked by lint-imports in scripts/test.sh), read here too."""
    apps = ("regions", "accounts", "orgs", "stats", "reports", "dashboards", "demo")
    offenders = [
        f"{path.relative_to(CORE)}: {line.strip()}"
        for path in CORE.rglob("*.py") if "tests" not in path.parts
        for line in path.read_text(encoding="utf-8").splitlines()
        if any(f"cso.{app}" in line and ("import" in line or "add_router" in line) for app in apps)
    ]
    assert offenders == []


def test_sections_are_grouped_by_column_and_skip_hidden_or_empty(monkeypatch):
    from types import SimpleNamespace

    from cso.core import navigation

    monkeypatch.setattr(navigation, "SECTIONS", [])
    navigation.register_section(
        navigation.Section("p", "late", "t1.html", lambda request, obj: {"n": obj}, order=20),
        navigation.Section("p", "early", "t2.html", lambda request, obj: {"n": obj}, order=10, column="main"),
        navigation.Section("p", "hidden", "t3.html", lambda request, obj: {}, visible=lambda user, obj: False),
        navigation.Section("p", "empty", "t4.html", lambda request, obj: None),
        navigation.Section("other", "elsewhere", "t5.html", lambda request, obj: {}),
    )
    navigation.register_section(navigation.Section("p", "late", "again.html", lambda request, obj: {}))
    columns = navigation.sections_for("p", SimpleNamespace(user=None), 7)
    assert [s["name"] for s in columns["main"]] == ["early"]
    assert [(s["name"], s["template"], s["context"]) for s in columns["side"]] == [("late", "t1.html", {"n": 7})]
