"""Search-as-you-type sources for the ``SearchSelect`` widget (cso.core.widgets), registered by each app.

A page with a long list to pick from (a province's 7,913 venues, every division of a province) renders
only the chosen option; the browser asks ``core:lookup`` (``/lookup/?source=<name>&q=<term>``) for
matches as the user types. Each source starts from ``Model.objects.visible_to(user)``, so a lookup
answers only what the user may see: someone outside the subtree gets nothing.

An app declares its sources in its own ``lookups.py`` (imported when the apps are ready)::

    register(Lookup("orgs.venues", queryset=lambda user: Venue.objects.visible_to(user),
                    search=lambda qs, term: qs.filter(name__contains=term), label=str))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.module_loading import autodiscover_modules

LIMIT = 20


@dataclass(frozen=True)
class Lookup:
    """``queryset(user)`` must be scoped (``visible_to``); ``search(queryset, term)`` narrows it to a
    term; ``label(obj)`` is the text shown; ``value`` the field submitted (``pk`` or e.g. ``code``)."""

    name: str
    queryset: Callable[[object], QuerySet]
    search: Callable[[QuerySet, str], QuerySet]
    label: Callable[[object], str] = str
    value: str = "pk"
    order_by: tuple[str, ...] = ()
    limit: int = LIMIT
    # Narrowing by other fields of the form (the widget's ``forward``), e.g. the authorities that
    # may register in the county chosen above: ``narrow(queryset, {"division": "450102001003"})``.
    narrow: Callable[[QuerySet, dict], QuerySet] | None = None

    def _value_of(self, obj) -> str:
        return str(getattr(obj, self.value))

    def results(self, user, term: str, params: dict | None = None) -> list[dict]:
        """At most ``limit`` matches of ``term`` among what ``user`` may see, as ``{"value", "text"}``."""
        term = " ".join((term or "").split())
        if not term:
            return []
        queryset = self.search(self.queryset(user), term)
        if self.narrow is not None:
            queryset = self.narrow(queryset, params or {})
        if self.order_by:
            queryset = queryset.order_by(*self.order_by)
        return [{"value": self._value_of(obj), "text": self.label(obj)} for obj in queryset[: self.limit]]

    def labels(self, user, values: Iterable[str]) -> dict[str, str]:
        """The text of each of ``values`` that ``user`` may see (for the options a page renders chosen)."""
        values = [str(v) for v in values if v not in (None, "")]
        if not values:
            return {}
        objects = self.queryset(user).filter(**{f"{self.value}__in": values})
        return {self._value_of(obj): self.label(obj) for obj in objects}


LOOKUPS: dict[str, Lookup] = {}


def register(*lookups: Lookup) -> None:
    for lookup in lookups:
        LOOKUPS[lookup.name] = lookup


def get(name: str) -> Lookup | None:
    return LOOKUPS.get(name)


def autodiscover() -> None:
    """Import every installed app's ``lookups`` module (called from ``CoreConfig.ready``)."""
    autodiscover_modules("lookups")
