"""Phones of organizations shown to accounts that reach an organization only through a base or a hub: an
operator reads the organizations its base incubates and its hub's members, but not their phones."""

from __future__ import annotations

from dataclasses import replace

from cso.accounts.choices import LINKED_ROLES
from cso.accounts.validators import mask_mobile

from .models import AccountLink

PHONE_FIELDS = {"contact_phone"}


def hides_phones(user, org) -> bool:
    """Organization and operator accounts see the phones of the organizations they are linked to directly only."""
    if user.is_superuser or getattr(user, "role", None) not in LINKED_ROLES:
        return False
    return not AccountLink.objects.filter(user=user, organization=org).exists()


def phones_shown(user) -> frozenset[int] | None:
    """For lists and exports: the ids of the organizations whose phones ``user`` may read in full — those
    linked to the account directly — or ``None`` when every visible organization's phones are shown (staff)."""
    if user.is_superuser or getattr(user, "role", None) not in LINKED_ROLES:
        return None
    return frozenset(AccountLink.objects.filter(user=user, organization__isnull=False)
                     .values_list("organization_id", flat=True))


def mask_page(org, leaders, changes):
    """Mask the phones on the detail page's objects (in memory only) and in its history lines."""
    if org.contact_phone:
        org.contact_phone = mask_mobile(org.contact_phone)
    for leader in leaders:
        if leader.phone:
            leader.phone = mask_mobile(leader.phone)
    return [replace(c, old=mask_mobile(c.old) if c.old != "（空）" else c.old,
                    new=mask_mobile(c.new) if c.new != "（空）" else c.new) if c.field in PHONE_FIELDS else c
            for c in changes]
