"""What the registry offers on the shared pages: its entries of the navigation bar."""

from cso.core.navigation import NavItem, anyone, register


def _staff(user) -> bool:
    return user.is_staff_role


register(
    NavItem("社会组织", "orgs:list", "building", anyone, order=10),
    NavItem("批量导入", "orgs:import", "file-earmark-arrow-up", _staff, order=20),
)
