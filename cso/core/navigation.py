"""Navigation by role: each app adds its entries here, each with a test of who sees it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    visible: Callable[[object], bool]
    section: str = ""

    def url(self) -> str:
        return reverse(self.url_name)


def _any(user) -> bool:
    return True


def _staff(user) -> bool:
    return user.is_staff_role


def _account_manager(user) -> bool:
    return user.can_manage_accounts


def _may(action: str) -> Callable[[object], bool]:
    """Shown to accounts the responsibilities table lets do ``action`` somewhere."""

    def visible(user) -> bool:
        from cso.accounts.responsibilities import can

        return can(user, action)

    return visible


def _report_reader(user) -> bool:
    from cso.reports.models import can_read

    return can_read(user)


NAV_ITEMS = [
    NavItem("首页", "core:home", "house", _any),
    NavItem("社会组织", "orgs:list", "building", _any),
    NavItem("批量导入", "orgs:import", "file-earmark-arrow-up", _may("orgs.import")),
    NavItem("统计看板", "dashboards:home", "speedometer2", _any, section="统计"),
    NavItem("统计指标", "stats:indicators", "bar-chart-line", _any, section="统计"),
    NavItem("季度报表", "reports:index", "table", _report_reader, section="统计"),
    NavItem("目标值", "stats:targets", "bullseye", _any, section="统计"),
    NavItem("行政区划", "regions:browse", "diagram-3", _any),
    NavItem("区划检索", "regions:search", "search", _any),
    NavItem("账号管理", "accounts:user_list", "people", _account_manager, section="系统管理"),
    NavItem("审计日志", "accounts:audit", "journal-text", _staff, section="系统管理"),
    NavItem("职责表", "accounts:responsibilities", "shield-check",
            _may("accounts.responsibilities"), section="系统管理"),
    NavItem("登记规则", "orgs:rules", "sliders", _may("orgs.rules"), section="系统管理"),
]
# Items with a section are shown together in one drop-down menu of the navigation bar.
SECTION_ICONS = {"统计": "graph-up", "系统管理": "gear"}


def items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in NAV_ITEMS if item.visible(user)]
