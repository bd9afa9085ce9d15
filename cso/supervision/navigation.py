"""The supervision entries of the navigation bar (each part adds its own)."""

from cso.core.navigation import NavItem, may, register

register(
    # 年检年报: the organization's account fills in; the supervising bureau reviews and keeps the lists
    NavItem("年检年报", "supervision:annual_mine", "journal-check", may("supervision.annual_fill"), order=28),
    NavItem("年报审查", "supervision:annual_queue", "clipboard-check", may("supervision.annual_review"), order=29),
)
