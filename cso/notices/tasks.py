"""The background delivery of a notification by SMS and e-mail (``cso.core.messaging``), per preference."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from cso.core import messaging

from .models import Notification, preference_of

logger = logging.getLogger(__name__)
SMS_PREFIX = "【社区社会组织平台】"


def sms_text(notification: Notification) -> str:
    body = notification.body.strip().replace("\n", "；")
    if len(body) > 120:
        body = body[:119] + "…"
    return f"{SMS_PREFIX}{notification.title}{'：' + body if body else ''}"


def email_text(notification: Notification) -> str:
    lines = [notification.body.strip()] if notification.body.strip() else []
    if notification.link:
        lines.append(f"请登录平台查看：{notification.link}")
    lines.append("（本邮件由社区社会组织培育发展管理平台自动发送，请勿回复。）")
    return "\n\n".join(lines)


@task()
def deliver(notification_id: int) -> str:
    """Send one notification by the channels its recipient chose. Claimed once: a task delivered twice sends
    nothing the second time. A refused SMS or e-mail is logged; the in-app row stays either way."""
    claimed = Notification.objects.filter(pk=notification_id, delivered_at__isnull=True).update(
        delivered_at=timezone.now())
    if not claimed:
        return "skipped"
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    user = notification.recipient
    preference = preference_of(user)
    sent = []
    if preference.sms and user.phone:
        try:
            messaging.send_sms(user.phone, sms_text(notification))
            sent.append("sms")
        except Exception:  # a provider's refusal must not lose the other channel
            logger.exception("notification %s: the SMS to %s failed", notification_id, user.pk)
    if preference.email and user.email:
        try:
            messaging.send_email(user.email, notification.title, email_text(notification))
            sent.append("email")
        except Exception:
            logger.exception("notification %s: the e-mail to %s failed", notification_id, user.pk)
    Notification.objects.filter(pk=notification_id).update(channels=",".join(sent))
    return ",".join(sent) or "in-app only"
