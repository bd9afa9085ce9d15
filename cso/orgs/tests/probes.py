"""How the generated permission test tries the registry's actions over HTTP (see cso.accounts.probes).

Subjects are organizations placed inside and outside every row's reach: registered by the county, the city, the
province, a sibling county or another province's county; filed with the street or (where the province says so) the
county; small groups of the account's own community, of another community and of another street; and one linked
to the account trying."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from cso.accounts.choices import LINKED_ROLES
from cso.accounts.probes import Probe, answered, register
from cso.accounts.responsibilities import Facts
from cso.orgs import services
from cso.orgs.models import AccountLink, Guidance, Organization, RegistryRules
from cso.orgs.tests.factories import credit_code
from cso.regions import codes

COMMUNITY, COMMUNITY_2, OTHER_STREET_COMMUNITY = "450102001003", "450102001004", "450102002001"
COUNTY, CITY, PROVINCE, STREET = "450102000000", "450100000000", "450000000000", "450102001000"
SIBLING_COUNTY, SIBLING_COMMUNITY = "450103000000", "450103001005"
FOREIGN_COUNTY, FOREIGN_COMMUNITY = "440103000000", "440103001001"

# subject -> (track, tier, location, registering body's division or the filing division)
EXISTING = {
    "reg_county": ("registered", None, COMMUNITY, COUNTY),
    "reg_city": ("registered", None, COMMUNITY, CITY),
    "reg_province": ("registered", None, COMMUNITY_2, PROVINCE),
    "reg_sibling_county": ("registered", None, SIBLING_COMMUNITY, SIBLING_COUNTY),
    "reg_other_province": ("registered", None, FOREIGN_COMMUNITY, FOREIGN_COUNTY),
    "filed_street": ("filed", "street", COMMUNITY, None),
    "filed_county": ("filed", "street", COMMUNITY, COUNTY),
    "group_own": ("filed", "community", COMMUNITY, None),
    "group_county_filed": ("filed", "community", COMMUNITY, COUNTY),
    "group_other_community": ("filed", "community", COMMUNITY_2, None),
    "group_other_street": ("filed", "community", OTHER_STREET_COMMUNITY, None),
    "group_other_province": ("filed", "community", FOREIGN_COMMUNITY, None),
    "linked": ("registered", None, COMMUNITY, COUNTY),
}


def make(world, subject: str, account=None, **extra) -> Organization:
    track, tier, where, authority = EXISTING[subject]
    n = world.serial()
    if track == "registered":
        data = {"name": f"探针协会{n}", "track": track, "org_type": "social_group",
                "credit_code": credit_code("1", authority[:6]), "registration_authority": world.body(authority),
                "division": where, "registered_on": date(2020, 5, 1), "registered_capital": world.capital()}
    else:
        data = {"name": f"探针队{n}", "track": track, "org_type": "activity_team", "tier": tier, "division": where,
                "filed_on": date(2021, 3, 1), "member_count": 15}
        if authority:
            data["registration_authority_division"] = authority
    data.update(extra)
    org = services.create_organization(data, world.superuser)
    if subject == "linked" and account is not None and account.role in LINKED_ROLES:
        AccountLink.objects.create(user=account, organization=org, division_id=org.division_id)
    return org


ALL = tuple(EXISTING)


def _existing(world, subject, account):
    return make(world, subject, account)


def _status(org) -> str:
    return Organization.objects.get(pk=org.pk).status


# --- reading -------------------------------------------------------------------------------------
def _view(client, org):
    response = client.get(reverse("orgs:detail", args=[org.uid]))
    return answered(response, done=response.status_code == 200)


def _export(client, _):
    response = client.get(reverse("orgs:export"), {"format": "csv"})
    return answered(response, done=response.status_code == 200)


def _import(client, _):
    response = client.get(reverse("orgs:import"))
    return answered(response, done=response.status_code == 200)


register(Probe("orgs.view", ALL, _existing, _view))
register(Probe("orgs.export", (None,), lambda world, subject, account: None, _export))
register(Probe("orgs.import", (None,), lambda world, subject, account: None, _import))


# --- registering and filing (the organization does not exist yet) ---------------------------------
@dataclass
class Planned:
    """A registration or filing about to be posted: its form data and the facts it would have."""

    post: dict
    facts: Facts

    def responsibility_facts(self) -> Facts:
        return self.facts


def _management() -> dict:
    return {"leaders-TOTAL_FORMS": "0", "leaders-INITIAL_FORMS": "0", "leaders-MIN_NUM_FORMS": "0",
            "leaders-MAX_NUM_FORMS": "30"}


PLANNED = {
    # registrations: location, registering body's division
    "reg_by_county": ("registered", None, COMMUNITY, COUNTY),
    "reg_by_city": ("registered", None, COMMUNITY, CITY),
    "reg_by_province": ("registered", None, COMMUNITY_2, PROVINCE),
    "reg_by_sibling_county": ("registered", None, SIBLING_COMMUNITY, SIBLING_COUNTY),
    "reg_in_other_province": ("registered", None, FOREIGN_COMMUNITY, FOREIGN_COUNTY),
    # filings: location; the province's rules say who files (Guangxi: the street)
    "file_street_group": ("filed", "street", COMMUNITY, None),
    "file_with_county_filing": ("filed", "street", COMMUNITY, "county-filing"),
    "record_own_group": ("filed", "community", COMMUNITY, None),
    "record_with_county_filing": ("filed", "community", COMMUNITY, "county-filing"),
    "record_other_community": ("filed", "community", COMMUNITY_2, None),
    "record_other_street": ("filed", "community", OTHER_STREET_COMMUNITY, None),
    "file_in_other_province": ("filed", "street", FOREIGN_COMMUNITY, None),
}


def _planned(world, subject, account) -> Planned:
    track, tier, where, authority = PLANNED[subject]
    n = world.serial()
    if track == "registered":
        body = world.body(authority)
        post = {"name": f"探针新协会{n}", "track": track, "org_type": "social_group", "division": where,
                "credit_code": credit_code("1", authority[:6]), "registration_authority": str(body.pk),
                "registered_on": "2023-01-01", "registered_capital": "5000", "party_building": "none",
                **_management()}
        prospect = services.prospect(division=where, track=track, authority_division=body.division_id)
    else:
        if authority == "county-filing":
            RegistryRules.objects.filter(province_id=PROVINCE).update(filing_level=codes.COUNTY)
        post = {"name": f"探针新队{n}", "track": track, "org_type": "activity_team", "tier": tier, "division": where,
                "filed_on": "2023-03-01", "party_building": "none", **_management()}
        prospect = services.prospect(division=where, track=track, tier=tier)
    return Planned(post, prospect.responsibility_facts())


def _create(client, planned: Planned):
    response = client.post(reverse("orgs:create"), planned.post)
    done = Organization.objects.filter(name=planned.post["name"]).exists()
    if response.status_code == 200 and not done:
        raise AssertionError(f"the form refused: {response.context['form'].errors.as_text()}")
    return answered(response, done)


register(Probe("orgs.register", tuple(s for s in PLANNED if s.startswith("reg")), _planned, _create))
register(Probe("orgs.file", tuple(s for s in PLANNED if not s.startswith("reg")), _planned, _create))


# --- decisions on an existing organization --------------------------------------------------------
def _edit(client, org):
    from cso.accounts.models import User
    from cso.orgs.forms import OrganizationForm

    form = OrganizationForm(user=User.objects.filter(is_superuser=True).first(), instance=org)
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in form.initial.items() if v not in (None, "")}
    data.pop("tags", None)
    data.update({"address": "探针路1号", "categories": [], "service_targets": [], "reason": "探针",
                 **_management()})
    data = {k: (["yes"] if v is True else v) if k == "is_community_org" else v for k, v in data.items()}
    if org.is_community_org:
        data["is_community_org"] = "yes"
    response = client.post(reverse("orgs:edit", args=[org.uid]), data)
    done = Organization.objects.get(pk=org.pk).address == "探针路1号"
    if response.status_code == 200 and not done:
        raise AssertionError(f"the form refused: {response.context['form'].errors.as_text()}")
    return answered(response, done)


def _status_to(to_status):
    def attempt(client, org):
        before = _status(org)
        response = client.post(reverse("orgs:status", args=[org.uid]),
                               {"to_status": to_status, "effective_date": date.today().isoformat(), "reason": "探针"})
        after = _status(org)
        if response.status_code == 200 and after == before:
            raise AssertionError(f"the form refused: {response.context['form'].errors.as_text()}")
        return answered(response, done=after == to_status)

    return attempt


def _correctable(world, subject, account):
    org = make(world, subject, account)
    services.change_status(org, "deregistered", date.today(), "误注销", world.superuser)
    return org


def _correct(client, org):
    response = client.post(reverse("orgs:correct", args=[org.uid]), {"reason": "误注销，予以更正"})
    return answered(response, done=_status(org) == "active")


def _advise(client, org):
    response = client.post(reverse("orgs:advise", args=[org.uid]), {"text": "探针意见"})
    return answered(response, done=Guidance.objects.filter(organization=org).exists())


REGISTERED_AND_ONE_FILED = ("reg_county", "reg_city", "reg_province", "reg_sibling_county", "reg_other_province",
                            "filed_street", "group_own", "linked")
register(Probe("orgs.change", ALL, _existing, _edit))
register(Probe("orgs.set_status", ALL, _existing, _status_to("abnormal")))
register(Probe("orgs.deregister", ALL, _existing, _status_to("deregistered")))
register(Probe("orgs.revoke", REGISTERED_AND_ONE_FILED, _existing, _status_to("revoked")))
register(Probe("orgs.clear", ALL, _existing, _status_to("cleared")))
register(Probe("orgs.correct", ALL, _correctable, _correct))
register(Probe("orgs.advise", ALL, _existing, _advise))


# --- the province's rules --------------------------------------------------------------------------
def _province(world, subject, account):
    return world.division(PROVINCE if subject == "own_province" else "440000000000")


def _rules(client, province):
    before = RegistryRules.for_division(province).min_registered_capital
    response = client.post(reverse("orgs:rules"), {"province": province.code[:2], "min_registered_capital": "1234",
                                                    "filing_level": "3"})
    after = RegistryRules.for_division(province).min_registered_capital
    return answered(response, done=after is not None and after != before and int(after) == 1234)


register(Probe("orgs.rules", ("own_province", "other_province"), _province, _rules))


# --- 备案后分类 (the filing body of the group only) -------------------------------------------------
def _categorise(client, org):
    from cso.orgs.models import Category

    category = Category.objects.filter(is_active=True).order_by("bit").first()
    response = client.post(reverse("orgs:categorise", args=[org.uid]), {"categories": [category.pk]})
    return answered(response, done=Organization.objects.get(pk=org.pk).categories.filter(pk=category.pk).exists())


register(Probe("orgs.categorise", ALL, _existing, _categorise))


# --- hubs and members (cso.orgs.hubs) -------------------------------------------------------------
def _hub(world, subject, account):
    """A hub placed as ``subject`` and a live organization beside it to invite."""
    from cso.orgs.tests.factories import make_filed

    hub = make(world, subject, account, is_hub=True)
    hub.probe_member = make_filed(world.superuser, name=f"探针受邀队{world.serial()}", division=hub.division_id)
    return hub


def _invite(client, hub):
    from cso.orgs.models import MembershipInvitation

    response = client.post(reverse("orgs:invite_member", args=[hub.uid]), {"member": hub.probe_member.pk})
    done = MembershipInvitation.objects.filter(hub=hub, member=hub.probe_member).exists()
    if response.status_code == 200 and not done:
        raise AssertionError(f"the form refused: {response.context['form'].errors.as_text()}")
    return answered(response, done)


def _invitation(world, subject, account):
    from cso.orgs.models import MembershipInvitation

    hub = make(world, "reg_county", None, is_hub=True)
    member = make(world, "linked" if subject == "invited_linked" else "reg_county", account)
    return MembershipInvitation.objects.create(hub=hub, member=member, invited_by=world.superuser)


def _answer(client, invitation):
    from cso.orgs.models import HubMembership, MembershipInvitation

    response = client.post(reverse("orgs:hub_invitations"), {"invitation": invitation.pk, "answer": "accept"})
    done = (MembershipInvitation.objects.get(pk=invitation.pk).answer == "accepted"
            and HubMembership.objects.filter(hub=invitation.hub, member=invitation.member).exists())
    return answered(response, done)


def _membership(world, subject, account):
    from cso.orgs.models import HubMembership

    hub = make(world, "linked" if subject == "hub_side" else "reg_county", account, is_hub=True)
    member = make(world, "linked" if subject == "member_side" else "reg_county", account)
    return HubMembership.objects.create(hub=hub, member=member, joined_on=date(2024, 1, 1))


def _leave(client, membership):
    from cso.orgs.models import HubMembership

    response = client.post(reverse("orgs:leave_hub", args=[membership.pk]))
    return answered(response, HubMembership.objects.get(pk=membership.pk).left_on is not None)


register(Probe("orgs.invite_member", ALL, _hub, _invite))
register(Probe("orgs.answer_invitation", ("invited_linked", "invited_other"), _invitation, _answer))
register(Probe("orgs.leave_hub", ("member_side", "hub_side", "unrelated"), _membership, _leave))
