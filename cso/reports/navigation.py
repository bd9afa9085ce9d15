"""What the quarterly reports offer on the shared pages: their entry of the navigation bar."""

from cso.core.navigation import NavItem, register

from .models import can_read

register(NavItem("统计报表", "reports:index", "table", can_read, section="统计", order=50))
