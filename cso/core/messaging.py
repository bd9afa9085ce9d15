"""Pluggable senders for text messages (SMS) and e-mail.

Nothing in the product talks to a provider directly: it calls ``send_sms(phone, text)`` or
``send_email(address, subject, body)``. Which sender delivers is a setting:

- ``CSO_SMS_SENDER`` — the dotted path of a class with ``send(phone, text)``. The default,
  ``cso.core.messaging.LogSmsSender``, writes the message to the log (``cso.sms``) and keeps the last
  messages in memory (``sent_messages()``), which is what the demo and the tests read. A real provider
  is a class of the operator's own (e.g. wrapping a cloud SMS API), configured here; it must raise
  ``SendError`` when the provider refuses a message.
- e-mail goes through Django's own ``EMAIL_BACKEND`` (console by default; SMTP in production through
  ``CSO_EMAIL_*``).

Callers that send in bulk or from a request do so from a background task (``cso.core.jobs``), never
inline in a web request.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger("cso.sms")

_OUTBOX: deque = deque(maxlen=200)


class SendError(Exception):
    """The provider refused or could not take the message."""


@dataclass(frozen=True)
class SentMessage:
    channel: str  # "sms" or "email"
    to: str
    subject: str
    body: str
    at: datetime


class LogSmsSender:
    """The default SMS sender: writes to the log and keeps the message for ``sent_messages()``."""

    def send(self, phone: str, text: str) -> None:
        log.warning("短信 → %s：%s", phone, text)
        _OUTBOX.append(SentMessage("sms", phone, "", text, timezone.now()))


def sms_sender():
    return import_string(getattr(settings, "CSO_SMS_SENDER", "cso.core.messaging.LogSmsSender"))()


def send_sms(phone: str, text: str) -> None:
    sms_sender().send(phone, text)


def send_email(address: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [address], fail_silently=False)
    _OUTBOX.append(SentMessage("email", address, subject, body, timezone.now()))


def sent_messages(channel: str | None = None, to: str | None = None) -> list[SentMessage]:
    """The messages sent through the default senders in this process, newest last (demo and tests)."""
    return [m for m in _OUTBOX if (channel is None or m.channel == channel) and (to is None or m.to == to)]


def clear_sent() -> None:
    _OUTBOX.clear()
