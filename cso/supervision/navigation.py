"""Supervision's entries of the navigation bar (each part of supervision adds its own below)."""

from cso.core.navigation import NavItem, may, register

# random inspections (双随机一公开)
register(
    NavItem("随机抽查", "supervision:inspection_plans", "shuffle", may("supervision.plan"), order=28),
    NavItem("回避申报", "supervision:my_conflicts", "person-x", may("supervision.declare_conflict"), order=29),
)
