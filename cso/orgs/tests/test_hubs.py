"""Hubs and members online: a hub's account invites, the member's account accepts or declines, either side leaves;
the street-federation minimum (seed 001: ≥ 30 in 广西) counts the membership records."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cso.accounts.choices import Role
from cso.demo.testing import make_user
from cso.orgs import hubs, services
from cso.orgs.models import AccountLink, HubMembership, MembershipInvitation

from .factories import COMMUNITY, STREET, credit_code, make_filed


def link(user, org):
    return AccountLink.objects.create(user=user, organization=org, division_id=org.division_id, role="head")


@pytest.fixture
def setup(cast):
    """A filed street federation with its account, one invited organization with its account, one outsider."""
    hub = make_filed(cast["street"], name="民生街道社区社会组织联合会", division=COMMUNITY, tier="street",
                     is_hub=True)
    hub_account = make_user("lianhehui", Role.ORGANIZATION, COMMUNITY)
    link(hub_account, hub)
    member = make_filed(cast["street"], name="兴宁社区书法队")
    member_account = cast["organization"]
    link(member_account, member)
    stranger = make_user("stranger", Role.ORGANIZATION, COMMUNITY)
    link(stranger, make_filed(cast["street"], name="兴宁社区象棋队"))
    return {"hub": hub, "hub_account": hub_account, "member": member, "member_account": member_account,
            "stranger": stranger}


def test_invite_accept_counts_the_member_and_records_both_sides(setup, client):
    hub, member = setup["hub"], setup["member"]
    client.force_login(setup["hub_account"])
    response = client.post(reverse("orgs:invite_member", args=[hub.uid]), {"member": member.pk, "note": "欢迎"})
    assert response.status_code == 302
    invitation = MembershipInvitation.objects.get(hub=hub, member=member)
    assert invitation.is_pending and invitation.invited_by == setup["hub_account"]
    # the member's account sees it and accepts
    client.force_login(setup["member_account"])
    page = client.get(reverse("orgs:hub_invitations")).content.decode()
    assert "民生街道社区社会组织联合会" in page and f'data-testid="accept-{invitation.pk}"' in page
    client.post(reverse("orgs:hub_invitations"), {"invitation": invitation.pk, "answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.answer == "accepted" and invitation.answered_by == setup["member_account"]
    membership = HubMembership.objects.get(hub=hub, member=member)
    assert membership.joined_on == date.today() and membership.left_on is None
    assert invitation.membership == membership
    assert hub.current_members().count() == 1
    assert hubs.member_count_for_check(hub)[0] == 1
    # audited on both organizations' pages
    for org, _account in ((hub, setup["hub_account"]), (member, setup["member_account"])):
        events = [e.text for e in hubs.events(org)]
        assert any("加入" in t and "接受入会邀请" in t for t in events), events
        assert any("邀请" in t for t in events)
    client.force_login(setup["hub_account"])
    body = client.get(reverse("orgs:detail", args=[hub.uid])).content.decode()
    assert "兴宁社区书法队" in body and 'data-testid="hub-events"' in body
    assert 'data-testid="current-member-count">会员组织（1 个）' in body


def test_decline_opens_no_membership(setup):
    invitation = hubs.invite(setup["hub"], setup["member"], setup["hub_account"])
    hubs.answer(invitation, setup["member_account"], accept=False)
    invitation.refresh_from_db()
    assert invitation.answer == "declined"
    assert not HubMembership.objects.exists()
    with pytest.raises(ValidationError, match="已于"):
        hubs.answer(invitation, setup["member_account"], accept=True)
    # a new invitation may follow a declined one
    assert hubs.invite(setup["hub"], setup["member"], setup["hub_account"]).is_pending


def test_leave_sets_the_date_and_stops_counting(setup, client):
    invitation = hubs.invite(setup["hub"], setup["member"], setup["hub_account"])
    hubs.answer(invitation, setup["member_account"], accept=True)
    membership = HubMembership.objects.get()
    client.force_login(setup["stranger"])
    assert client.post(reverse("orgs:leave_hub", args=[membership.pk])).status_code == 404
    membership.refresh_from_db()
    assert membership.left_on is None
    client.force_login(setup["member_account"])
    assert client.get(reverse("orgs:leave_hub", args=[membership.pk])).status_code == 200
    client.post(reverse("orgs:leave_hub", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.left_on == date.today()
    assert setup["hub"].current_members().count() == 0
    assert hubs.member_count_for_check(setup["hub"])[0] == 0
    with pytest.raises(ValidationError, match="已于"):
        hubs.leave(membership, setup["member_account"])
    # and it may be invited again
    again = hubs.invite(setup["hub"], setup["member"], setup["hub_account"])
    hubs.answer(again, setup["member_account"], accept=True)
    assert HubMembership.objects.filter(left_on__isnull=True).count() == 1
    assert HubMembership.objects.count() == 2


def test_the_hubs_account_may_end_a_membership_too(setup):
    invitation = hubs.invite(setup["hub"], setup["member"], setup["hub_account"])
    hubs.answer(invitation, setup["member_account"], accept=True)
    membership = hubs.leave(HubMembership.objects.get(), setup["hub_account"])
    assert membership.left_on == date.today()


def test_no_member_twice_at_once_nor_a_dead_one_nor_itself(setup, cast):
    hub, member = setup["hub"], setup["member"]
    hubs.invite(hub, member, setup["hub_account"])
    with pytest.raises(ValidationError, match="尚待其答复"):
        hubs.invite(hub, member, setup["hub_account"])
    hubs.answer(MembershipInvitation.objects.get(), setup["member_account"], accept=True)
    with pytest.raises(ValidationError, match="已是"):
        hubs.invite(hub, member, setup["hub_account"])
    with pytest.raises(ValidationError):
        hubs.invite(hub, hub, setup["hub_account"])
    dead = make_filed(cast["street"], name="兴宁社区停止队")
    services.change_status(dead, "deregistered", date.today(), "解散", cast["street"])
    with pytest.raises(ValidationError, match=r"不在|已"):
        hubs.invite(hub, dead, setup["hub_account"])
    # a pending invitation to an organization that meanwhile joined by the staff's page cannot be accepted
    other = make_filed(cast["street"], name="兴宁社区围棋队")
    link(setup["member_account"], other)
    pending = hubs.invite(hub, other, setup["hub_account"])
    services.add_hub_member(hub, other, date.today(), cast["street"])
    with pytest.raises(ValidationError, match="已是"):
        hubs.answer(pending, setup["member_account"], accept=True)


def test_only_hubs_invite_and_only_in_their_county(setup, cast):
    plain = make_filed(cast["street"], name="兴宁社区合唱队")
    link(setup["hub_account"], plain)
    with pytest.raises(ValidationError, match="枢纽型组织"):
        hubs.invite(plain, setup["member"], setup["hub_account"])
    far = make_filed(cast["superuser"], name="新竹社区太极队", division="450103001005")
    with pytest.raises(ValidationError, match="所在县"):
        hubs.invite(setup["hub"], far, setup["hub_account"])


def test_permissions(setup, cast, client):
    hub, member = setup["hub"], setup["member"]
    # an unrelated organization's account: the hub is not even visible
    client.force_login(setup["stranger"])
    assert client.get(reverse("orgs:invite_member", args=[hub.uid])).status_code == 404
    assert client.post(reverse("orgs:invite_member", args=[hub.uid]), {"member": member.pk}).status_code == 404
    assert not MembershipInvitation.objects.exists()
    with pytest.raises(PermissionDenied):
        hubs.invite(hub, member, setup["stranger"])
    # the member's account may not invite on the hub's behalf
    with pytest.raises(PermissionDenied):
        hubs.invite(hub, member, setup["member_account"])
    # the hub's filing body (广西: the street) may; the community committee may not (not a small group)
    invitation = hubs.invite(hub, member, cast["street"])
    with pytest.raises(PermissionDenied):
        hubs.invite(hub, member, cast["community"])
    # only the member's account answers: not the hub's, not a stranger, not staff
    for user in (setup["hub_account"], setup["stranger"], cast["street"]):
        with pytest.raises(PermissionDenied):
            hubs.answer(invitation, user, accept=True)
        client.force_login(user)
        response = client.post(reverse("orgs:hub_invitations"), {"invitation": invitation.pk, "answer": "accept"})
        assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert not HubMembership.objects.exists()


def test_the_federation_check_counts_membership_records_29_refused_30_pass(setup, cast):
    hub = setup["hub"]
    groups = [make_filed(cast["street"], name=f"民生成员队{i}") for i in range(30)]
    for i, org in enumerate(groups[:29]):
        account = make_user(f"member{i}", Role.ORGANIZATION, COMMUNITY)
        link(account, org)
        hubs.answer(hubs.invite(hub, org, setup["hub_account"]), account, accept=True)
    assert hubs.member_count_for_check(hub)[0] == 29
    with pytest.raises(ValidationError, match=r"目前只有29个（按会员记录中现有的存续会员组织计）"):
        services.register_filed_group(hub, credit_code("1"), date.today(), cast["registrar"],
                                      registration_authority_division="450102000000", registered_capital=5000)
    registered_view = services.Organization(name=hub.name, division_id=hub.division_id, track="registered")
    assert "按随登记一并记录的存续会员组织计" in hubs.federation_problem(registered_view, pending_members=29)
    assert hubs.federation_problem(registered_view, pending_members=30) is None
    account = make_user("member29", Role.ORGANIZATION, COMMUNITY)
    link(account, groups[29])
    hubs.answer(hubs.invite(hub, groups[29], setup["hub_account"]), account, accept=True)
    services.register_filed_group(hub, credit_code("1"), date.today(), cast["registrar"],
                                  registration_authority_division="450102000000", registered_capital=5000)
    hub.refresh_from_db()
    assert hub.track == "registered"


def test_a_member_that_left_no_longer_counts(setup, cast):
    hub = setup["hub"]
    group = [make_filed(cast["street"], name=f"民生退出队{i}") for i in range(30)]
    for org in group:
        services.add_hub_member(hub, org, date(2022, 1, 1), cast["street"])
    account = make_user("leaver", Role.ORGANIZATION, COMMUNITY)
    link(account, group[0])
    hubs.leave(HubMembership.objects.get(member=group[0]), account)
    with pytest.raises(ValidationError, match="目前只有29个"):
        services.register_filed_group(hub, credit_code("1"), date.today(), cast["registrar"],
                                      registration_authority_division="450102000000", registered_capital=5000)


def test_the_picker_offers_the_hubs_county_only(setup, cast, client):
    make_filed(cast["superuser"], name="新竹社区书法队", division="450103001005")
    client.force_login(setup["hub_account"])
    response = client.get(reverse("core:lookup"), {"source": "orgs.hub_candidates", "q": "书法队"})
    names = [r["text"] for r in response.json()["results"]]
    assert any("兴宁社区书法队" in n for n in names)
    assert not any("新竹" in n for n in names)
    assert STREET  # the hub sits in 民生街道
