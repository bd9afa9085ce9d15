"""Background tasks of the accounts: text messages (one-time codes, invitations) are sent by the task
worker through ``cso.core.messaging`` (``CSO_SMS_SENDER``), never inside the web request."""

from __future__ import annotations

import logging

from django_tasks import task

from cso.core import messaging

logger = logging.getLogger(__name__)


@task()
def send_code(phone: str, nonce: str) -> str:
    """A one-time code's SMS: queued with the nonce the code is derived from (``phonecodes.code_of``)."""
    from .phonecodes import code_text

    return _send(phone, code_text(nonce))


@task()
def send_text(phone: str, text: str) -> str:
    return _send(phone, text)


def _send(phone: str, text: str) -> str:
    try:
        messaging.send_sms(phone, text)
    except messaging.SendError:
        logger.warning("SMS to %s refused by the provider", phone[:3] + "****" + phone[7:])
        return "refused"
    return "sent"
