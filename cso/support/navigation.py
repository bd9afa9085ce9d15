"""Navigation of cultivation's support side (section 培育扶持, shared with cso.funding), and its section of the
organization page."""

from cso.core.navigation import NavItem, Panel, Section, may, register, register_panel, register_section

SECTION = "培育扶持"


def _bookings_visible(user) -> bool:
    return any(user.has_perm(a) for a in ("support.book", "support.booking_use", "support.booking_cancel"))


register(
    NavItem("培育载体", "support:places", "building", may("support.place_view"), section=SECTION, order=29),
    NavItem("孵化基地目标", "support:targets", "bullseye", may("support.targets"), section=SECTION, order=29),
    NavItem("入驻孵化", "support:intakes", "egg", may("support.intake_view"), section=SECTION, order=29),
    NavItem("场地预约", "support:bookings", "calendar-check", _bookings_visible, section=SECTION, order=29),
)


def _org_support(request, org):
    from .services import support_of

    return support_of(org, request.user)


register_section(Section("orgs.detail", "support.org", "support/org_section.html", _org_support,
                         visible=lambda user, org: user.has_perm("support.intake_view")
                         or user.has_perm("support.book") or user.has_perm("support.booking_use"),
                         order=60, column="main"))


def _targets_panel(request):
    from .services import county_targets

    rows = county_targets(request.user)
    return {"total": len(rows), "missing": [r["county"].name for r in rows if r["missing"]]}


# the division's home page: counties under it without a county-level base (seed 000: 1–2 per county)
register_panel(Panel("support.targets", "support/panels/targets.html", _targets_panel, may("support.targets"),
                     order=15))
