"""Navigation entries of supervision (found by ``cso.core.navigation.autodiscover``)."""

from cso.core.navigation import NavItem, may, register

register(
    # 年检年报: the organization's account fills in; the supervising bureau reviews and keeps the lists
    NavItem("年检年报", "supervision:annual_mine", "journal-check", may("supervision.annual_fill"),
            section="监督管理", order=28),
    NavItem("年报审查", "supervision:annual_queue", "clipboard-check", may("supervision.annual_review"),
            section="监督管理", order=28),
    NavItem("信用监管", "supervision:credit_entries", "patch-exclamation", may("supervision.credit_view"),
            section="监督管理", order=29),
    NavItem("执法监察", "supervision:enforcement_cases", "shield-exclamation", may("supervision.enforcement"),
            section="监督管理", order=29),
)

# random inspections (双随机一公开)
register(
    NavItem("随机抽查", "supervision:inspection_plans", "shuffle", may("supervision.plan"), section="监督管理",
            order=29),
    NavItem("回避申报", "supervision:my_conflicts", "person-x", may("supervision.declare_conflict"),
            section="监督管理", order=29),
)

# 监管看板 (supervision dashboard)
register(NavItem("监管看板", "supervision:dashboard", "speedometer", may("supervision.dashboard"), section="监督管理",
                 order=27))


# zombie detection and clean-up campaigns (清理整治)
register(
    NavItem("僵尸型组织", "supervision:zombie_candidates", "hourglass-bottom", may("supervision.zombie_view"),
            section="监督管理", order=29),
    NavItem("清理整治", "supervision:campaigns", "trash", may("supervision.zombie_view"), section="监督管理",
            order=29),
)
