"""Sending a notification: ``notify`` writes the in-app row at once and leaves SMS and e-mail to the
background task ``tasks.deliver`` (never sent from the request)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from cso.core import jobs

from .models import Notification


def _ref(related) -> tuple[str, str]:
    if related is None:
        return "", ""
    meta = related._meta
    return f"{meta.app_label}.{meta.object_name}", str(related.pk)


def notify(user, title: str, body: str = "", link: str = "", *, kind: str = "", related=None) -> Notification | None:
    """Tell ``user``: the bell shows it now; SMS / e-mail follow from the task worker per the user's preference.
    Inactive accounts get nothing."""
    if user is None or not user.is_active:
        return None
    related_type, related_id = _ref(related)
    notification = Notification.objects.create(
        recipient=user, kind=kind[:40], title=title[:200], body=body, link=link[:500],
        related_type=related_type, related_id=related_id)
    from .tasks import deliver

    jobs.enqueue(deliver, notification.pk)
    return notification


def notify_all(users: Iterable, title: str, body: str = "", link: str = "", *, kind: str = "",
               related=None) -> list[Notification]:
    out = []
    for user in users:
        notification = notify(user, title, body, link, kind=kind, related=related)
        if notification is not None:
            out.append(notification)
    return out


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now())


@transaction.atomic
def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
