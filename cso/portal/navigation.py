"""The portal's entry of the navigation bar and its block on the home page (organization and operator accounts)."""

from django.urls import reverse

from cso.core.navigation import NavItem, Panel, may, register, register_panel

register(NavItem("我的组织", "portal:home", "person-badge", may("portal.mine"), order=5))


def _panel(request) -> dict:
    return {"url": reverse("portal:home"), "linked_url": reverse("portal:linked"),
            "operator": request.user.has_perm("portal.linked")}


register_panel(Panel("portal", "portal/panel.html", _panel, may("portal.mine"), order=0))
