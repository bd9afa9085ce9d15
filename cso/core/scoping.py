"""The one division-scoping mechanism.

Every account is bound to one administrative division and may see only that division's subtree.
A subtree is a code prefix, queried as a closed code range so that every database answers it from
an index. Every scoped model uses ``ScopedManager`` / ``ScopedQuerySet`` and declares
``scope_field``: the path to the 12-digit division code that places a row in the hierarchy
(``"code"`` for a division itself, ``"division"`` for a user, ``"community"`` for an organization).
Pages, the API, exports, imports and statistics all start from ``Model.objects.visible_to(user)``.

Actions:
- ``view``: read.
- ``change``: edit. Each model decides which roles may change it via ``scope_can_change``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from .hierarchy import PREFIX_LENGTH, subtree_bounds

VIEW = "view"
CHANGE = "change"
ACTIONS = (VIEW, CHANGE)


@dataclass(frozen=True)
class Scope:
    """What part of the hierarchy a user may reach.

    ``prefix`` is None for the whole country (superusers); ``nothing`` is True for an account that
    is inactive or bound to no division.
    """

    prefix: str | None
    nothing: bool = False

    @classmethod
    def for_user(cls, user) -> Scope:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls(prefix=None, nothing=True)
        if user.is_superuser:
            return cls(prefix=None)
        division = getattr(user, "division", None)
        if division is None:
            return cls(prefix=None, nothing=True)
        return cls(prefix=division.code[: PREFIX_LENGTH[division.level]])

    @property
    def is_national(self) -> bool:
        return self.prefix is None and not self.nothing

    def contains(self, code: str | None) -> bool:
        if self.nothing or code is None:
            return False
        return self.prefix is None or code.startswith(self.prefix)

    def q(self, field: str) -> Q:
        """A filter on ``field`` (a path to a division code) limited to this scope."""
        if self.nothing:
            return Q(pk__in=[])
        if self.prefix is None:
            return Q()
        low, high = subtree_bounds(self.prefix)
        return Q(**{f"{field}__gte": low, f"{field}__lte": high})


def subtree_q(field: str, prefix: str) -> Q:
    """Rows whose division code at ``field`` lies under ``prefix`` (any level)."""
    low, high = subtree_bounds(prefix)
    return Q(**{f"{field}__gte": low, f"{field}__lte": high})


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW):
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        model = self.model
        scope = Scope.for_user(user)
        if scope.nothing:
            return self.none()
        qs = self.filter(scope.q(model.scope_field))
        extra = model.scope_extra_q(user, action)
        if extra is None:
            return self.none()
        return qs.filter(extra)

    def within(self, prefix: str):
        """Rows under a division prefix (for filters inside an already scoped queryset)."""
        return self.filter(subtree_q(self.model.scope_field, prefix))


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass


class ScopedModel(models.Model):
    """Mixin for models placed in the hierarchy. Subclasses set ``scope_field``."""

    scope_field: str = "division"

    objects = ScopedManager()

    class Meta:
        abstract = True

    @classmethod
    def scope_extra_q(cls, user, action: str) -> Q | None:
        """Further limits beyond the subtree, by role and action. None means: nothing at all.

        The default lets every account view its subtree and lets only staff roles change it.
        """
        if action == VIEW:
            return Q()
        if user.is_superuser or getattr(user, "is_staff_role", False):
            return Q()
        return None

    def is_visible_to(self, user, action: str = VIEW) -> bool:
        return type(self).objects.visible_to(user, action).filter(pk=self.pk).exists()
