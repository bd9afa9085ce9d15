"""How the generated permission test tries the portal's actions (and orgs.edit_contact, its page) over HTTP."""

from __future__ import annotations

from django.urls import reverse

from cso.accounts.probes import Probe, answered, register
from cso.orgs.models import Organization
from cso.orgs.tests.probes import ALL, make


def _page(name):
    def attempt(client, _):
        response = client.get(reverse(name))
        return answered(response, done=response.status_code == 200)

    return attempt


def _edit_contact(client, org):
    response = client.post(reverse("portal:contact", args=[org.uid]),
                           {"contact_name": "探针联系人", "contact_phone": "13700000001", "address": "探针路1号",
                            "activity_schedule": "每周一", "activity_place": "活动室", "description": ""})
    done = Organization.objects.get(pk=org.pk).contact_name == "探针联系人"
    return answered(response, done)


register(Probe("portal.mine", (None,), lambda world, subject, account: None, _page("portal:home")))
register(Probe("portal.linked", (None,), lambda world, subject, account: None, _page("portal:linked")))
register(Probe("orgs.edit_contact", ALL, lambda world, subject, account: make(world, subject, account),
               _edit_contact))


# --- account invitations (accounts.invite, accounts.revoke_invitation, accounts.accept_invitation) ----------
INVITED = "13600000001"


def _invite(client, org):
    from cso.orgs.models import AccountInvitation

    response = client.post(reverse("orgs:invite", args=[org.uid]), {"phone": INVITED, "role": "head"})
    done = AccountInvitation.objects.filter(organization=org).exists()
    if response.status_code == 200 and not done:
        raise AssertionError(f"the form refused: {response.context['form'].errors.as_text()}")
    return answered(response, done)


def _invitation(world, subject, account, phone=INVITED):
    from datetime import timedelta

    from django.utils import timezone

    from cso.orgs.models import AccountInvitation

    org = make(world, subject, None)
    return AccountInvitation.objects.create(organization=org, phone=phone, role="liaison",
                                            token=f"probe-{world.serial()}", invited_by=world.superuser,
                                            expires=timezone.now() + timedelta(days=7))


def _revoke(client, invitation):
    from cso.orgs.models import AccountInvitation

    response = client.post(reverse("orgs:invitation_revoke", args=[invitation.pk]))
    return answered(response, AccountInvitation.objects.get(pk=invitation.pk).revoked)


def _to_accept(world, subject, account):
    from django.utils import timezone

    from cso.accounts.models import User

    other = "13600000002"
    invitation = _invitation(world, "filed_street", account, INVITED if subject == "own_phone" else other)
    # the account verified the invited number ("own_phone") or another one
    account.phone, account.phone_verified_at = INVITED, timezone.now()
    User.objects.filter(pk=account.pk).update(phone=account.phone, phone_verified_at=account.phone_verified_at)
    return invitation


def _accept(client, invitation):
    from cso.orgs.models import AccountLink

    response = client.post(reverse("orgs:invitation_accept", args=[invitation.token]))
    return answered(response, AccountLink.objects.filter(organization=invitation.organization).exists())


register(Probe("accounts.invite", ALL, lambda world, subject, account: make(world, subject, None), _invite))
register(Probe("accounts.revoke_invitation", ALL, _invitation, _revoke))
register(Probe("accounts.accept_invitation", ("own_phone", "other_phone"), _to_accept, _accept))
