"""What the divisions offer on the shared pages: navigation entries and the home page's counts."""

from cso.core.navigation import NavItem, Panel, anyone, register, register_panel


def _summary(request) -> dict:
    from .services import division_summary

    division = request.user.division
    return {"division": division, "summary": division_summary(division, request.user)}


register(
    NavItem("行政区划", "regions:browse", "diagram-3", anyone, section="行政区划", order=70),
    NavItem("区划检索", "regions:search", "search", anyone, section="行政区划", order=80),
)
register_panel(Panel("regions.summary", "regions/panels/summary.html", _summary, order=10))
