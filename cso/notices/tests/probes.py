"""Probes of the notifications' actions for the generated permission test (tests/test_responsibilities.py)."""

from django.urls import reverse

from cso.accounts.probes import Probe, answered, register
from cso.notices.models import Notification


def _notification(world, subject, account):
    recipient = account if subject == "own" else world.cast["organization"]
    return Notification.objects.create(recipient=recipient, title="探针通知", body="探针", link="/")


def _mark_read(client, notification):
    response = client.post(reverse("notices:read", args=[notification.pk]))
    return answered(response, Notification.objects.get(pk=notification.pk).read_at is not None)


register(Probe("notices.view", ("own", "someone_elses"), _notification, _mark_read))
