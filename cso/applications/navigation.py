"""The applications' entries of the navigation bar."""

from cso.core.navigation import NavItem, anyone, may, register

register(
    NavItem("办事指南", "applications:guides", "book", anyone, section="网上办理", order=24),
    NavItem("我的申请", "applications:mine", "file-earmark-text", may("applications.apply"), section="网上办理",
            order=25),
    NavItem("待办申请", "applications:queue", "inbox",
            lambda user: may("applications.accept")(user) or may("applications.opinion")(user),
            section="网上办理", order=26),
)
