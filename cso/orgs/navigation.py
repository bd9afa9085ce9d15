"""What the registry offers on the shared pages: its entries of the navigation bar."""

from cso.core.navigation import NavItem, anyone, may, register

register(
    NavItem("社会组织", "orgs:list", "building", anyone, order=10),
    NavItem("批量导入", "orgs:import", "file-earmark-arrow-up", may("orgs.import"), order=20),
    NavItem("账号邀请", "orgs:invitations_list", "envelope", may("accounts.invite"), section="系统管理", order=115),
    NavItem("登记规则", "orgs:rules", "sliders", may("orgs.rules"), section="系统管理", order=120),
    NavItem("入会邀请", "orgs:hub_invitations", "envelope", may("orgs.answer_invitation"), order=27),
)
