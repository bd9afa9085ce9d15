"""What the accounts offer on the shared pages: their entries of the navigation bar."""

from cso.core.navigation import NavItem, Panel, may, register, register_panel


def _account_manager(user) -> bool:
    return user.can_manage_accounts


def _staff(user) -> bool:
    return user.is_staff_role


register(
    NavItem("账号管理", "accounts:user_list", "people", _account_manager, section="系统管理", order=90),
    NavItem("审计日志", "accounts:audit", "journal-text", _staff, section="系统管理", order=100),
    NavItem("职责表", "accounts:responsibilities", "shield-check", may("accounts.responsibilities"),
            section="系统管理", order=110),
)


def _duties(request) -> dict:
    from .templatetags.responsibilities import my_duties

    return {"duties": my_duties(request.user)}


# What this account may do, from the responsibilities table: each role's home page promises only that.
register_panel(Panel("accounts.duties", "accounts/panels/duties.html", _duties, order=20))
