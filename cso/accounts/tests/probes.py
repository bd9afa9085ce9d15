"""How the generated permission test tries the accounts' actions over HTTP (see cso.accounts.probes)."""

from __future__ import annotations

from django.urls import reverse

from cso.accounts.choices import Role
from cso.accounts.models import User
from cso.accounts.probes import Probe, answered, register
from cso.demo.testing import make_user

WHERE = {"inside": "450102001003", "sibling_county": "450103001005", "other_province": "440103001001"}


def _target(world, subject, account):
    return make_user(f"probe_target_{world.serial()}", Role.ORGANIZATION, WHERE[subject])


def _manage(client, target):
    response = client.post(reverse("accounts:user_toggle_active", args=[target.pk]))
    return answered(response, done=not User.objects.get(pk=target.pk).is_active)


def _page(name):
    def attempt(client, _):
        response = client.get(reverse(name))
        return answered(response, done=response.status_code == 200)

    return attempt


def _org_to_link(world, subject, account):
    from cso.orgs.tests.probes import make

    org = make(world, subject, account)
    org.probe_account = make_user(f"probe_org_{world.serial()}", Role.ORGANIZATION, org.division_id)
    return org


def _link(client, org):
    from cso.orgs.models import AccountLink

    response = client.post(reverse("orgs:links", args=[org.uid]),
                           {"username": org.probe_account.username, "role": "liaison"})
    done = AccountLink.objects.filter(organization=org, user=org.probe_account).exists()
    if response.status_code == 200 and not done:
        raise AssertionError(f"the form refused: {response.context['form'].errors.as_text()}")
    return answered(response, done)


register(Probe("accounts.manage", tuple(WHERE), _target, _manage))
register(Probe("accounts.link", ("reg_county", "reg_sibling_county", "reg_other_province"), _org_to_link, _link))
register(Probe("accounts.audit", (None,), lambda world, subject, account: None, _page("accounts:audit")))
register(Probe("accounts.responsibilities", (None,), lambda world, subject, account: None,
               _page("accounts:responsibilities")))


def _signup(client, _):
    """Sign-up is public: a signed-in account is sent home and no code is sent (no row grants it)."""
    from cso.accounts.models import PhoneCode

    before = PhoneCode.objects.count()
    response = client.post(reverse("accounts:signup"), {"step": "send", "phone": "13912345678"})
    assert response.status_code in (302, 403, 404), response.status_code
    assert PhoneCode.objects.count() == before, "a signed-in account got a sign-up code"
    return False


register(Probe("accounts.signup", (None,), lambda world, subject, account: None, _signup))
