"""Demo of issue 10's accounts: the operator's account (xn_fuhua) runs a base with incubated organizations and a
hub with members; the street (minsheng_jd) has a pending account invitation. Safe to run again."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.utils import timezone

from cso.accounts.models import User
from cso.orgs.choices import BaseLevel
from cso.orgs.invitations import accept_url
from cso.orgs.models import AccountInvitation, AccountLink, HubMembership, IncubationBase, Organization

COUNTY, STREET = "450102000000", "450102001000"
INVITED_PHONE = "13900000001"


def load(stdout) -> None:
    operator = User.objects.filter(username="xn_fuhua").first()
    street = User.objects.filter(username="minsheng_jd").first()
    if operator is None or street is None:
        return
    base = _operator_base(operator)
    in_county = Organization.objects.within(COUNTY[:6]).live()
    if base is not None and not in_county.filter(incubated_by=base).exists():
        free = in_county.filter(incubated_by__isnull=True, track="filed").order_by("id")
        ids = list(free.values_list("id", flat=True)[:6])
        Organization.objects.filter(id__in=ids).update(incubated_by=base)
    hub = in_county.filter(is_hub=True).order_by("id").first()
    if hub is not None:
        AccountLink.objects.get_or_create(user=operator, organization=hub,
                                          defaults={"role": "head", "division_id": hub.division_id})
        if not HubMembership.objects.filter(hub=hub).exists():
            for member in in_county.exclude(pk=hub.pk).filter(division_id=hub.division_id).order_by("id")[:5]:
                HubMembership.objects.create(hub=hub, member=member, joined_on=date(2024, 3, 1))
    invitation = AccountInvitation.objects.filter(phone=INVITED_PHONE, accepted_at__isnull=True, revoked=False).first()
    if invitation is None:
        org = Organization.objects.within(STREET[:9]).live().filter(track="filed").order_by("id").first()
        if org is not None:
            invitation = AccountInvitation.objects.create(
                organization=org, phone=INVITED_PHONE, role="head", token=secrets.token_urlsafe(32), invited_by=street,
                expires=timezone.now() + timedelta(days=30))
    if invitation is not None and invitation.expires < timezone.now() + timedelta(days=1):
        AccountInvitation.objects.filter(pk=invitation.pk).update(expires=timezone.now() + timedelta(days=30))
    stdout.write(f"运营方账号 xn_fuhua：孵化基地“{base.name if base else '—'}”，枢纽组织“{hub.name if hub else '—'}”。")
    if invitation is not None:
        stdout.write(f"待接受的账号邀请（{invitation.organization.name}，{INVITED_PHONE}）：{accept_url(invitation)}")


def _operator_base(operator):
    link = AccountLink.objects.filter(user=operator, base__isnull=False).select_related("base").first()
    if link is not None:
        return link.base
    base = IncubationBase.objects.filter(division_id=COUNTY).order_by("id").first()
    if base is None:
        base = IncubationBase.objects.create(name="兴宁区社会组织孵化基地", division_id=COUNTY, level=BaseLevel.COUNTY)
    AccountLink.objects.create(user=operator, base=base, role="head", division_id=base.division_id)
    return base
