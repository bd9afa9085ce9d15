from django.conf import settings

from .navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    items = items_for(user) if user is not None else []
    current = request.resolver_match.view_name if getattr(request, "resolver_match", None) else ""
    return {
        "nav_items": [
            {"label": i.label, "url": i.url(), "icon": i.icon, "active": i.url_name == current}
            for i in items
        ],
        "site_name": "社区社会组织培育发展管理平台",
        "site_short_name": "社区社会组织平台",
        "debug_banner": settings.DEBUG,
    }
