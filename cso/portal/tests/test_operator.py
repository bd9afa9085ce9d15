"""An operator's account sees the organizations its incubation base incubates and the live members of the hub it
runs — and nothing of any other organization (no other groups' phones)."""

from datetime import date

import pytest
from django.urls import reverse

from cso.orgs.choices import BaseLevel
from cso.orgs.models import AccountLink, HubMembership, IncubationBase, Organization
from cso.orgs.tests.factories import make_filed, make_registered


@pytest.fixture
def setting(cast):
    su, operator = cast["superuser"], cast["operator"]
    base = IncubationBase.objects.create(name="民生街道社会组织孵化基地", division_id="450102001000",
                                         level=BaseLevel.STREET)
    other_base = IncubationBase.objects.create(name="兴宁区孵化基地", division_id="450102000000",
                                               level=BaseLevel.COUNTY)
    incubated = make_filed(su, name="孵化中的读书会", incubated_by=base, contact_phone="13811110001")
    elsewhere = make_filed(su, name="别处孵化的舞蹈队", incubated_by=other_base, contact_phone="13811110002")
    hub = make_registered(su, name="民生街道文体团队促进会", is_hub=True)
    member = make_filed(su, name="联合会会员太极队", contact_phone="13811110003")
    former = make_filed(su, name="已退出的象棋队", contact_phone="13811110004")
    stranger = make_filed(su, name="无关的合唱队", contact_phone="13811110005")
    HubMembership.objects.create(hub=hub, member=member, joined_on=date(2024, 1, 1))
    HubMembership.objects.create(hub=hub, member=former, joined_on=date(2023, 1, 1), left_on=date(2024, 6, 1))
    AccountLink.objects.create(user=operator, base=base, division_id=base.division_id)
    AccountLink.objects.create(user=operator, organization=hub, division_id=hub.division_id, role="head")
    return {"incubated": incubated, "elsewhere": elsewhere, "hub": hub, "member": member, "former": former,
            "stranger": stranger}


def test_the_operator_sees_its_incubated_orgs_and_hub_members_only(cast, login, setting):
    client = login(cast["operator"])
    body = client.get(reverse("portal:linked")).content.decode()
    assert "孵化中的读书会" in body and "联合会会员太极队" in body
    for name in ("别处孵化的舞蹈队", "已退出的象棋队", "无关的合唱队"):
        assert name not in body
    assert "138111100" not in body  # no phones on the page
    home = client.get(reverse("portal:home")).content.decode()
    assert "民生街道文体团队促进会" in home and "民生街道社会组织孵化基地" in home and "（2个）" in home
    # the registry's pages answer the same reach
    assert client.get(reverse("orgs:detail", args=[setting["member"].uid])).status_code == 200
    page = client.get(reverse("orgs:detail", args=[setting["incubated"].uid]))
    assert page.status_code == 200
    assert "13811110001" not in page.content.decode() and "138****0001" in page.content.decode()
    assert "13811110003" not in client.get(reverse("orgs:detail", args=[setting["member"].uid])).content.decode()
    for key in ("elsewhere", "former", "stranger"):
        assert client.get(reverse("orgs:detail", args=[setting[key].uid])).status_code == 404
    listed = set(Organization.objects.visible_to(cast["operator"]).values_list("name", flat=True))
    assert listed == {"孵化中的读书会", "联合会会员太极队", "民生街道文体团队促进会"}
    # nor may the operator edit anyone's contact page
    assert client.get(reverse("portal:contact", args=[setting["incubated"].uid])).status_code == 404
    assert client.get(reverse("portal:contact", args=[setting["hub"].uid])).status_code == 403


def test_an_organization_account_sees_its_own_phones_and_staff_see_all(cast, login, setting):
    AccountLink.objects.create(user=cast["organization"], organization=setting["incubated"],
                               division_id=setting["incubated"].division_id)
    own = login(cast["organization"]).get(reverse("orgs:detail", args=[setting["incubated"].uid]))
    assert "13811110001" in own.content.decode()
    staff = login(cast["street"]).get(reverse("orgs:detail", args=[setting["member"].uid]))
    assert "13811110003" in staff.content.decode()


def test_an_organization_account_of_a_hub_does_not_reach_its_members(cast, login, setting):
    AccountLink.objects.create(user=cast["organization"], organization=setting["hub"],
                               division_id=setting["hub"].division_id)
    client = login(cast["organization"])
    assert client.get(reverse("orgs:detail", args=[setting["member"].uid])).status_code == 404
    assert client.get(reverse("portal:linked")).status_code == 403


def test_an_operator_without_links_sees_an_empty_page(cast, login):
    body = login(cast["operator"]).get(reverse("portal:linked")).content.decode()
    assert "本账号还没有关联孵化基地或枢纽组织" in body


def test_the_operator_reads_no_phone_of_a_reached_org_in_exports_or_the_api(cast, login, setting):
    from cso.orgs.models import Leader

    Leader.objects.create(organization=setting["incubated"], name="李四", role="head", phone="13911110009")
    client = login(cast["operator"])
    export = b"".join(client.get(reverse("orgs:export"), {"format": "csv"}).streaming_content).decode()
    assert "孵化中的读书会" in export and "民生街道文体团队促进会" in export
    assert "13811110001" not in export and "138****0001" in export
    assert "13911110009" not in export and "139****0009" in export
    detail = client.get(f"/api/orgs/{setting['incubated'].uid}").json()
    assert detail["contact_phone"] == "138****0001"
    staff = b"".join(login(cast["street"]).get(reverse("orgs:export"), {"format": "csv"}).streaming_content)
    assert "13811110001" in staff.decode()
