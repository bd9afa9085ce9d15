"""What the accounts offer on the shared pages: their entries of the navigation bar."""

from cso.core.navigation import NavItem, register


def _account_manager(user) -> bool:
    return user.can_manage_accounts


def _staff(user) -> bool:
    return user.is_staff_role


register(
    NavItem("账号管理", "accounts:user_list", "people", _account_manager, section="系统管理", order=90),
    NavItem("审计日志", "accounts:audit", "journal-text", _staff, section="系统管理", order=100),
)
