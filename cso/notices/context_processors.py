"""The bell of the top bar: the signed-in account's unread count, one indexed count, asked only when a page
draws the bell (pages without it, JSON and fragments, pay nothing)."""

from __future__ import annotations


class _Unread:
    def __init__(self, user):
        self.user = user
        self._count = None

    @property
    def count(self) -> int:
        if self._count is None:
            from .services import unread_count

            self._count = unread_count(self.user)
        return self._count


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notices_bell": _Unread(user)}
