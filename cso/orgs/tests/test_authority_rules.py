"""Registering authorities at every level: 民政部, provincial and city bodies register organizations
that sit where they sit; a county body registers only in its county, and only if it registers
there; the credit code's region code is cross-checked with a warning."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from cso.orgs import validators
from cso.orgs.forms import OrganizationForm, authority_queryset
from cso.orgs.models import Organization
from cso.regions.choices import AuthorityKind
from cso.regions.models import Authority

from .factories import COMMUNITY, COUNTY, credit_code, id_number, make_registered, registered_data
from .test_pages_forms import management

CREATE = reverse("orgs:create")


def body(name):
    return Authority.objects.get(name=name)


def test_an_organization_registered_by_the_ministry_keeps_its_location(cast):
    org = make_registered(cast["superuser"], org_type="foundation", credit_code=credit_code("3", "100000"),
                          registration_authority=body("民政部"), is_community_org=False)
    assert org.registration_authority.name == "民政部"
    assert org.registration_authority_division_id is None  # 民政部 sits in no division
    assert org.division_id == COMMUNITY  # the location stays where it sits
    assert org.credit_code_warning() is None


def test_an_organization_registered_by_the_city_bureau_has_the_city_as_authority_division(cast):
    org = make_registered(cast["superuser"], registration_authority=body("南宁市民政局"),
                          credit_code=credit_code("1", "450100"))
    assert org.registration_authority_division_id == "450100000000"
    assert org.division_id == COMMUNITY


def test_a_body_given_by_name_is_looked_up_in_the_list(cast):
    org = make_registered(cast["superuser"], registration_authority="广西壮族自治区民政厅",
                          credit_code=credit_code("1", "450000"))
    assert org.registration_authority == body("广西壮族自治区民政厅")
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["superuser"], registration_authority="兴宁区民政局")  # an abbreviation
    assert "不在登记管理机关名录中" in exc.value.message_dict["registration_authority"][0]


def test_another_countys_body_cannot_register_here(cast):
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["superuser"], registration_authority=body("南宁市青秀区民政局"))
    assert "不在组织所在区划" in exc.value.message_dict["registration_authority"][0]
    assert not Organization.objects.exists()


def test_a_county_bureau_that_does_not_register_there_is_refused(cast):
    Authority.objects.filter(division_id=COUNTY).update(registers=False)
    approval = Authority.objects.create(name="南宁市兴宁区行政审批服务管理局", kind=AuthorityKind.APPROVAL_BUREAU,
                                        division_id=COUNTY)
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["superuser"], registration_authority=body("南宁市兴宁区民政局"))
    assert "不负责社会组织登记" in exc.value.message_dict["registration_authority"][0]
    org = make_registered(cast["superuser"], registration_authority=approval)
    assert org.registration_authority_division_id == COUNTY


def test_a_registered_organization_needs_a_body(cast):
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["superuser"], registration_authority=None)
    assert exc.value.message_dict["registration_authority"] == ["登记类组织须选择登记管理机关。"]


def test_the_same_name_may_not_be_registered_twice_by_the_ministry(cast):
    data = {"org_type": "foundation", "registration_authority": body("民政部"), "is_community_org": False,
            "name": "中华助老基金会"}
    make_registered(cast["superuser"], credit_code=credit_code("3", "100000"), **data)
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["superuser"], credit_code=credit_code("3", "100000"), **data)
    assert "同一登记管理机关下已有同名" in exc.value.message_dict["name"][0]


# --- the form ------------------------------------------------------------------------------------
def offered_names(user):
    return set(authority_queryset(user).values_list("name", flat=True))


def test_a_county_clerk_is_offered_the_county_body_and_the_bodies_above_only(cast):
    assert offered_names(cast["county"]) == {"南宁市兴宁区民政局", "南宁市民政局", "广西壮族自治区民政厅", "民政部"}
    assert offered_names(cast["community"]) == offered_names(cast["county"])


def test_a_province_clerk_is_offered_the_registering_bodies_of_the_province_not_of_the_country(cast):
    from cso.regions.models import Division

    Division.objects.create(code="440000000000", name="广东省", level=1, edition=2023, first_edition=2023)
    Division.objects.create(code="440100000000", name="广州市", level=2, parent_id="440000000000", edition=2023,
                            first_edition=2023)
    from cso.regions.authorities import ensure_authorities

    ensure_authorities("44")
    names = offered_names(cast["province"])
    assert {"南宁市兴宁区民政局", "南宁市青秀区民政局", "柳州市城中区民政局", "南宁市民政局", "民政部"} <= names
    assert not names & {"广东省民政厅", "广州市民政局"}
    national = offered_names(cast["superuser"])
    assert "南宁市兴宁区民政局" not in national and {"民政部", "广东省民政厅"} <= national  # never every county body


def test_the_form_puts_an_unfit_body_at_its_field(cast, login):
    data = {"name": "兴宁区助老服务中心", "track": "registered", "org_type": "social_service",
            "division": COMMUNITY, "credit_code": credit_code("2"), "registered_capital": "5000",
            "registration_authority": body("南宁市青秀区民政局").pk, "registered_on": "2023-01-01",
            "party_building": "none", **management()}
    response = login(cast["superuser"]).post(CREATE, data)
    assert response.status_code == 200
    form = response.context["form"]
    # not offered to a 兴宁区 clerk at all: the form refuses it at the field the template shows
    assert "registration_authority" in form.errors
    assert "registration_authority" in [f.name for _, fields in form.sections() for f in fields]
    assert not Organization.objects.exists()


def test_the_form_records_a_city_registration_and_warns_of_a_credit_code_of_another_region(cast, login):
    data = {"name": "南宁市助老服务中心", "track": "registered", "org_type": "social_service",
            "division": COMMUNITY, "credit_code": credit_code("2", "450102"), "registered_capital": "5000",
            "registration_authority": body("南宁市民政局").pk, "registered_on": "2023-01-01",
            "party_building": "none", **management(),
            "leaders-0-name": "李芳", "leaders-0-role": "head", "leaders-0-id_number": id_number(),
            "leaders-1-role": "head"}
    client = login(cast["superuser"])
    response = client.post(CREATE, data)
    assert response.status_code == 302  # saved: a warning, not a refusal
    org = Organization.objects.get(name="南宁市助老服务中心")
    assert org.registration_authority.name == "南宁市民政局" and org.division_id == COMMUNITY
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("第3–8位为“450102”" in m and "450100" in m for m in shown)
    detail = client.get(reverse("orgs:detail", args=[org.uid]))
    assert "第3–8位为“450102”" in detail.content.decode()


def test_the_edit_form_offers_the_current_body_even_from_elsewhere(cast):
    org = make_registered(cast["superuser"], registration_authority=body("民政部"), org_type="foundation",
                          credit_code=credit_code("3", "100000"), is_community_org=False)
    form = OrganizationForm(user=cast["street"], instance=org)
    assert body("民政部") in form.fields["registration_authority"].queryset


# --- the credit code's region code ----------------------------------------------------------------
REGIONS = st.text(alphabet="0123456789", min_size=6, max_size=6)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(region=REGIONS, pick=st.sampled_from(["民政部", "广西壮族自治区民政厅", "南宁市民政局", "南宁市兴宁区民政局"]))
def test_the_region_check_warns_exactly_when_characters_3_to_8_differ_from_the_body(region, pick):
    from cso.regions.authorities import ensure_ministry

    ensure_ministry()
    authority = Authority(name=pick, kind=AuthorityKind.MINISTRY) if pick == "民政部" else Authority(
        name=pick, kind=AuthorityKind.COUNTY_BUREAU,
        division_id={"广西壮族自治区民政厅": "450000000000", "南宁市民政局": "450100000000",
                     "南宁市兴宁区民政局": "450102000000"}[pick])
    code = credit_code("1", region)
    warning = validators.credit_code_region_warning(code, authority)
    assert (warning is None) == (region == authority.region_code)
    if warning:
        assert region in warning and authority.region_code in warning and pick in warning
    # spaces, lower case and full-width forms of the same code give the same answer
    assert validators.credit_code_region_warning(" " + code.lower() + " ", authority) == warning


def test_data_still_registers_with_a_default_body_from_a_factory(cast):
    org = Organization.objects.get(pk=make_registered(cast["superuser"]).pk)
    assert org.registration_authority.name == "南宁市兴宁区民政局"
    assert registered_data()["registration_authority"] == org.registration_authority
    assert org.registered_on <= date.today()


def test_a_change_of_body_is_kept_in_the_history_by_name_and_moves_the_authority_division(cast):
    from cso.orgs import services
    from cso.orgs.history import field_changes

    org = make_registered(cast["superuser"])
    services.update_organization(org, {"registration_authority": body("南宁市民政局")}, cast["superuser"],
                                 reason="更正登记管理机关")
    org.refresh_from_db()
    assert org.registration_authority_division_id == "450100000000"
    changes = {c.field: (c.old, c.new) for c in field_changes(org)}
    assert changes["registration_authority"] == ("南宁市兴宁区民政局", "南宁市民政局")


def test_when_the_approval_bureau_takes_over_the_bureaus_organizations_stay_editable(cast):
    from cso.orgs import services

    org = make_registered(cast["superuser"])
    Authority.objects.filter(division_id=COUNTY).update(registers=False)
    services.update_organization(Organization.objects.get(pk=org.pk), {"member_count": 50}, cast["superuser"])
    assert Organization.objects.get(pk=org.pk).member_count == 50
    with pytest.raises(ValidationError):  # but the bureau cannot register a new one
        make_registered(cast["superuser"])


def test_a_filed_group_names_no_registering_body(cast):
    from .factories import make_filed

    with pytest.raises(ValidationError) as exc:
        make_filed(cast["street"], registration_authority=body("南宁市兴宁区民政局"))
    assert "没有登记管理机关" in exc.value.message_dict["registration_authority"][0]
