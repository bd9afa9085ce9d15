from datetime import date

from cso.accounts.choices import Role
from cso.applications.guides import guide_for
from cso.demo import hubs_guides
from cso.demo.testing import make_user
from cso.orgs.models import AccountLink, HubMembership, MembershipInvitation, Organization
from cso.orgs.tests.factories import make_filed


def test_the_demo_federation_has_members_an_account_and_a_pending_invitation(cast, client):
    for i in range(6):
        make_filed(cast["street"], name=f"民生演示队{i}", filed_on=date(2021, 1, 1))
    zuzhi = make_user("xn_zuzhi", Role.ORGANIZATION, "450102001003")
    own = make_filed(cast["street"], name="兴宁社区夕阳红文艺队")
    AccountLink.objects.create(user=zuzhi, organization=own, division_id=own.division_id, role="head")
    hubs_guides.load(password="x")
    hubs_guides.load(password="x")  # again: nothing doubled
    hub = Organization.objects.get(name=hubs_guides.HUB_NAME)
    assert hub.is_federation and HubMembership.objects.filter(hub=hub).count() == 6
    assert hub.current_members().count() == 5
    invitation = MembershipInvitation.objects.get()
    assert invitation.member == own and invitation.is_pending
    client.force_login(zuzhi)
    assert f'data-testid="accept-{invitation.pk}"' in client.get("/orgs/hub-invitations/").content.decode()
    client.force_login(AccountLink.objects.get(organization=hub).user)
    assert "邀请会员组织" in client.get(f"/orgs/{hub.uid}/").content.decode()
    assert "街道办事处（乡镇人民政府）备案" in guide_for("filing", "450102001003").fields["conditions"]
