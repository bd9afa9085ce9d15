"""Who at the deciding body hears of something waiting for it (a submitted annual report, an objection to a listing):
the active accounts of the body's division whose role the responsibilities table lets do the action on the object —
looked up among that division's accounts only, never a scan of all accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from cso.accounts.responsibilities import REGISTERED_HERE, TABLE, can, facts_of


def deciders(action: str, obj) -> list:
    """Accounts of the body that registered (files) ``obj``'s organization that may do ``action`` to ``obj``."""
    facts = facts_of(obj)
    roles = {d.role for d in TABLE if d.action == action and d.reach == REGISTERED_HERE
             and d.track in (None, facts.track)}
    if not roles or not facts.authority_division:
        return []
    candidates = get_user_model().objects.filter(
        division_id=facts.authority_division, role__in=roles, is_active=True, is_superuser=False,
    ).select_related("division").order_by("pk")
    return [user for user in candidates if can(user, action, obj)]
