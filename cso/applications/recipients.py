"""Who is told about a case: the officials who may make its next move (read from the responsibilities
table), looked up among the accounts of the case's filing body only — never a scan of all accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from cso.accounts.responsibilities import REGISTERED_HERE, TABLE, can

from .models import State

# The move that decides each waiting step of the body (the queue shows cases whose next move is one of these).
NEXT_ACTION = {State.SUBMITTED: "applications.accept", State.ACCEPTED: "applications.approve"}


def officials_for(application, state: str | None = None) -> list:
    """Active accounts of the body filing ``application`` whose role may make the move its ``state`` waits for."""
    state = state or application.state
    action = NEXT_ACTION.get(state)
    if action is None or not application.authority_division_id:
        return []
    track = application.kind_spec.track
    roles = {d.role for d in TABLE if d.action == action and d.reach == REGISTERED_HERE
             and d.track in (None, track)}
    if not roles:
        return []
    candidates = get_user_model().objects.filter(
        division_id=application.authority_division_id, role__in=roles, is_active=True, is_superuser=False,
    ).select_related("division").order_by("pk")
    return [user for user in candidates if can(user, action, application)]
