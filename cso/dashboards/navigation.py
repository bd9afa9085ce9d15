"""What the dashboards offer on the shared pages: their entry of the navigation bar."""

from cso.core.navigation import NavItem, anyone, register

register(NavItem("统计看板", "dashboards:home", "speedometer2", anyone, section="统计", order=30))
