"""The accounts demo: the operator runs a base with incubated organizations and a hub; a pending invitation."""

import io

from cso.accounts.choices import Role
from cso.demo import accounts_demo
from cso.demo.testing import make_user
from cso.orgs.models import AccountInvitation, AccountLink, Organization
from cso.orgs.tests.factories import make_filed
from cso.portal.queries import linked_organizations


def test_the_operator_sees_incubated_orgs_and_an_invitation_waits(cast):
    operator = make_user("xn_fuhua", Role.OPERATOR, "450102000000")
    make_user("minsheng_jd", Role.STREET, "450102001000")
    for n in range(3):
        make_filed(cast["superuser"], name=f"演示队{n}")
    out = io.StringIO()
    accounts_demo.load(out)
    accounts_demo.load(out)  # again: nothing doubles
    assert AccountLink.objects.filter(user=operator, base__isnull=False).count() == 1
    assert linked_organizations(operator).count() == 3
    invitation = AccountInvitation.objects.get()
    assert invitation.is_pending and invitation.phone == accounts_demo.INVITED_PHONE
    assert "/orgs/account-invitations/accept/" in out.getvalue()
    assert Organization.objects.filter(incubated_by__isnull=False).count() == 3
