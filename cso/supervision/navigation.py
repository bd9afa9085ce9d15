"""Navigation entries of supervision (found by ``cso.core.navigation.autodiscover``)."""

from cso.core.navigation import NavItem, may, register

register(
    NavItem("信用监管", "supervision:credit_entries", "patch-exclamation", may("supervision.credit_view"),
            section="监督管理", order=28),
    NavItem("执法监察", "supervision:enforcement_cases", "shield-exclamation", may("supervision.enforcement"),
            section="监督管理", order=29),
)
