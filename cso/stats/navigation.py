"""What the statistics offer on the shared pages: their entries of the navigation bar."""

from cso.core.navigation import NavItem, anyone, register

register(
    NavItem("统计指标", "stats:indicators", "bar-chart-line", anyone, section="统计", order=40),
    NavItem("目标值", "stats:targets", "bullseye", anyone, section="统计", order=60),
)
