from django.conf import settings

from .navigation import SECTION_ICONS, items_for


def navigation(request):
    user = getattr(request, "user", None)
    items = items_for(user) if user is not None else []
    current = request.resolver_match.view_name if getattr(request, "resolver_match", None) else ""
    entries, sections = [], {}
    for item in items:
        link = {"label": item.label, "url": item.url(), "icon": item.icon, "active": item.url_name == current}
        if not item.section:
            entries.append(link)
            continue
        if item.section not in sections:
            sections[item.section] = {"label": item.section, "icon": SECTION_ICONS.get(item.section, "list"),
                                      "children": [], "active": False}
            entries.append(sections[item.section])
        sections[item.section]["children"].append(link)
        sections[item.section]["active"] |= link["active"]
    return {
        "nav_items": entries,
        "site_name": "社区社会组织培育发展管理平台",
        "site_short_name": "社区社会组织平台",
        "debug_banner": settings.DEBUG,
    }
