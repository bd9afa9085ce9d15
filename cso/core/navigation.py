"""Navigation and home-page panels, registered by each app (core knows none of them).

Each app declares what it offers in its own ``navigation.py``: ``register(NavItem(...))`` for an entry
of the navigation bar, ``register_panel(Panel(...))`` for a block of the home page. Core imports those
modules when the apps are ready (``autodiscover``) and shows the entries a user may see, in ``order``.
Each entry comes with a test of who sees it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    visible: Callable[[object], bool]
    section: str = ""
    order: int = 100

    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class Panel:
    """A block of the home page: ``template`` rendered with ``context(request)``, shown when ``visible``."""

    name: str
    template: str
    context: Callable[[object], dict]
    visible: Callable[[object], bool] = lambda user: True
    order: int = 100


@dataclass(frozen=True)
class Section:
    """A block of an object's page (e.g. ``"orgs.detail"``, the organization page) added by an app above the
    one that owns the page: ``template`` rendered with ``context(request, obj)``, shown when ``visible(user, obj)``
    and the context is not ``None``. Apps register them in their ``navigation.py``; the page's view calls
    ``sections_for(page, request, obj)`` and includes each, so the owning app imports none of them."""

    page: str
    name: str
    template: str
    context: Callable[[object, object], dict | None]
    visible: Callable[[object, object], bool] = lambda user, obj: True
    order: int = 100
    column: str = "side"  # "main" (the wide column) or "side"


def anyone(user) -> bool:
    return True


NAV_ITEMS: list[NavItem] = []
PANELS: list[Panel] = []
SECTIONS: list[Section] = []


def may(action: str) -> Callable[[object], bool]:
    """Shown to accounts the responsibilities table lets do ``action`` somewhere (asked through
    ``rules``' permission backend: core imports no app)."""

    def visible(user) -> bool:
        return user.has_perm(action)

    return visible
# Items with a section are shown together in one drop-down menu of the navigation bar.
SECTION_ICONS = {"网上办理": "file-earmark-text", "监督管理": "clipboard-check", "统计": "graph-up",
                 "行政区划": "diagram-3", "系统管理": "gear",
                 "培育扶持": "flower1"}


def register(*items: NavItem) -> None:
    for item in items:
        if all(existing.url_name != item.url_name for existing in NAV_ITEMS):
            NAV_ITEMS.append(item)
    NAV_ITEMS.sort(key=lambda item: item.order)


def register_panel(*panels: Panel) -> None:
    for panel in panels:
        if all(existing.name != panel.name for existing in PANELS):
            PANELS.append(panel)
    PANELS.sort(key=lambda panel: panel.order)


def register_section(*sections: Section) -> None:
    for section in sections:
        if all((existing.page, existing.name) != (section.page, section.name) for existing in SECTIONS):
            SECTIONS.append(section)
    SECTIONS.sort(key=lambda section: section.order)


def sections_for(page: str, request, obj) -> dict[str, list[dict]]:
    """The sections of ``page`` about ``obj`` the user may see, by column: ``{"main": […], "side": […]}``, each
    ``{"name", "template", "context"}`` (a section whose context is ``None`` has nothing to show and is left out)."""
    columns: dict[str, list[dict]] = {"main": [], "side": []}
    for section in SECTIONS:
        if section.page != page or not section.visible(request.user, obj):
            continue
        context = section.context(request, obj)
        if context is not None:
            columns[section.column].append({"name": section.name, "template": section.template, "context": context})
    return columns


def autodiscover() -> None:
    """Import every installed app's ``navigation`` module (called from ``CoreConfig.ready``)."""
    autodiscover_modules("navigation")


register(NavItem("首页", "core:home", "house", anyone, order=0))


def items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in NAV_ITEMS if item.visible(user)]


def panels_for(request) -> list[dict]:
    """The home-page panels the user may see, each as ``{"template": …, "context": …}``."""
    user = request.user
    return [
        {"name": panel.name, "template": panel.template, "context": panel.context(request)}
        for panel in PANELS
        if panel.visible(user)
    ]
