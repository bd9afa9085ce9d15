"""Who decides on an organization (issue 9 §3), tried as the demo accounts did: each with one POST.

The county's registering body registers, changes, deregisters, revokes and corrects; the street and the community
see and give opinions; the supervising bureau supervises; organization accounts read what is linked to them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cso.orgs import services
from cso.orgs.models import AccountLink, Guidance, Organization, RegistryDecision, StatusChange

from .factories import COMMUNITY, COMMUNITY_2, COUNTY, county_authority, credit_code, make_filed, make_registered

CREATE = reverse("orgs:create")


def registration_post(name="兴宁区邻里互助会", org_type="social_group", digit="1"):
    return {"name": name, "track": "registered", "org_type": org_type, "division": COMMUNITY,
            "credit_code": credit_code(digit), "registration_authority": str(county_authority().pk),
            "registered_on": "2023-01-01", "registered_capital": "5000", "party_building": "none",
            "leaders-TOTAL_FORMS": "0", "leaders-INITIAL_FORMS": "0", "leaders-MIN_NUM_FORMS": "0",
            "leaders-MAX_NUM_FORMS": "30"}


def status_post(to_status):
    return {"to_status": to_status, "effective_date": date.today().isoformat(), "reason": "试一试"}


def test_a_community_clerk_cannot_register_a_social_group(cast, login):
    response = login(cast["community"]).post(CREATE, registration_post())
    assert response.status_code == 403
    assert not Organization.objects.exists()


def test_the_county_registering_body_registers_it(cast, login):
    response = login(cast["registrar"]).post(CREATE, registration_post())
    assert response.status_code == 302
    org = Organization.objects.get(name="兴宁区邻里互助会")
    assert org.created_by == cast["registrar"]


def test_the_supervising_bureau_does_not_register(cast, login):
    assert login(cast["county"]).post(CREATE, registration_post()).status_code == 403
    assert not Organization.objects.exists()


def test_a_community_clerk_cannot_revoke_a_social_service_organization(cast, login):
    org = make_registered(cast["registrar"], org_type="social_service", credit_code=credit_code("2"))
    response = login(cast["community"]).post(reverse("orgs:status", args=[org.uid]), status_post("revoked"))
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.status == "active" and not StatusChange.objects.filter(organization=org, to_status="revoked").exists()


def test_a_street_clerk_cannot_deregister_a_registered_organization(cast, login):
    org = make_registered(cast["registrar"])
    response = login(cast["street"]).post(reverse("orgs:status", args=[org.uid]), status_post("deregistered"))
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.status == "active"


@pytest.mark.parametrize("role", ["street", "community", "county", "city", "province", "city_registrar"])
def test_nobody_but_the_registering_body_edits_a_registered_organization(cast, login, role):
    org = make_registered(cast["registrar"])
    assert login(cast[role]).get(reverse("orgs:edit", args=[org.uid])).status_code == 403
    assert login(cast[role]).get(reverse("orgs:status", args=[org.uid])).status_code == 403
    assert login(cast["registrar"]).get(reverse("orgs:edit", args=[org.uid])).status_code == 200


def test_the_status_form_offers_only_what_the_account_decides(cast, login):
    group = make_filed(cast["street"])  # a small group of 兴宁社区, filed with the street
    street_form = login(cast["street"]).get(reverse("orgs:status", args=[group.uid])).context["form"]
    assert "revoked" not in dict(street_form.fields["to_status"].choices)
    assert "deregistered" in dict(street_form.fields["to_status"].choices)
    org = make_registered(cast["registrar"])
    registrar_form = login(cast["registrar"]).get(reverse("orgs:status", args=[org.uid])).context["form"]
    assert {"revoked", "deregistered", "cleared", "abnormal"} <= set(dict(registrar_form.fields["to_status"].choices))


def test_the_community_records_its_own_small_groups_and_decides_nothing_else(cast):
    own = services.create_organization(
        {"name": "兴宁社区编织小组", "track": "filed", "org_type": "activity_group", "tier": "community",
         "division": COMMUNITY, "filed_on": date(2024, 1, 1)}, cast["community"])
    services.change_status(own, "cleared", date.today(), "长期不活动", cast["community"])
    with pytest.raises(PermissionDenied, match="不在您的管辖范围"):
        services.create_organization(
            {"name": "北宁社区编织小组", "track": "filed", "org_type": "activity_group", "tier": "community",
             "division": COMMUNITY_2, "filed_on": date(2024, 1, 1)}, cast["community"])
    with pytest.raises(PermissionDenied, match="无权备案"):
        services.create_organization(
            {"name": "兴宁社区志愿服务队", "track": "filed", "org_type": "activity_team", "tier": "street",
             "division": COMMUNITY, "filed_on": date(2024, 1, 1)}, cast["community"])


def test_the_street_gives_opinions_on_a_registered_organization_without_deciding(cast, login):
    org = make_registered(cast["registrar"])
    client = login(cast["street"])
    assert client.post(reverse("orgs:advise", args=[org.uid]), {"text": "建议按时报送年报"}).status_code == 302
    assert Guidance.objects.get(organization=org).author == cast["street"]
    body = client.get(reverse("orgs:detail", args=[org.uid])).content.decode()
    assert "建议按时报送年报" in body
    assert reverse("orgs:status", args=[org.uid]) not in body


# --- correction ---------------------------------------------------------------------------------
def test_the_registering_body_corrects_a_wrong_deregistration_and_the_history_keeps_both(cast, login):
    org = make_registered(cast["registrar"], registered_on=date(2020, 5, 1))
    wrong_day = date.today() - timedelta(days=30)
    services.change_status(org, "deregistered", wrong_day, "误将同名组织注销", cast["registrar"])
    client = login(cast["registrar"])
    assert client.get(reverse("orgs:correct", args=[org.uid])).status_code == 200
    response = client.post(reverse("orgs:correct", args=[org.uid]), {"reason": "注销的是另一个组织"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.status == "active"
    changes = list(StatusChange.objects.filter(organization=org).order_by("id"))
    assert [(c.from_status, c.to_status) for c in changes] == [("", "active"), ("active", "deregistered"),
                                                               ("deregistered", "active")]
    assert changes[2].corrects == changes[1] and "注销的是另一个组织" in changes[2].reason
    # the statistics by date read the truth: it never stopped
    assert services.org_state_as_of(org, wrong_day).status == "active"
    assert services.org_state_as_of(org, date.today()).status == "active"
    body = client.get(reverse("orgs:detail", args=[org.uid])).content.decode()
    assert "误将同名组织注销" in body and "已于" in body  # the wrong step stays, marked as corrected


def test_a_correction_needs_a_reason_and_undoes_only_the_latest_step(cast, login):
    org = make_registered(cast["registrar"])
    services.change_status(org, "revoked", date.today(), "误撤销", cast["registrar"])
    client = login(cast["registrar"])
    response = client.post(reverse("orgs:correct", args=[org.uid]), {"reason": ""})
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.status == "revoked"
    client.post(reverse("orgs:correct", args=[org.uid]), {"reason": "撤销决定已被复议撤回"})
    org.refresh_from_db()
    assert org.status == "active"
    assert services.correctable_change(org) is None  # a correction is not corrected again


def test_the_street_cannot_correct_the_registering_bodys_decision(cast, login):
    org = make_registered(cast["registrar"])
    services.change_status(org, "deregistered", date.today(), "自行注销", cast["registrar"])
    response = login(cast["street"]).post(reverse("orgs:correct", args=[org.uid]), {"reason": "不同意"})
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.status == "deregistered"


# --- the audit log of the divisions above -----------------------------------------------------------
def test_every_registry_decision_appears_in_the_audit_log_of_the_divisions_above(cast, login):
    org = make_registered(cast["registrar"], name="兴宁区书画协会")
    services.update_organization(org, {"address": "民生路9号"}, cast["registrar"], reason="迁址")
    services.change_status(org, "deregistered", date.today(), "自行解散", cast["registrar"])
    services.correct_status(org, services.correctable_change(org), "解散决议无效", cast["registrar"])
    kinds = list(RegistryDecision.objects.filter(organization=org).order_by("id").values_list("kind", flat=True))
    assert kinds == ["register", "change", "status", "correct"]
    for role in ("province", "city", "county", "street", "community"):
        body = login(cast[role]).get(reverse("accounts:audit"), {"tab": "decisions"}).content.decode()
        assert "兴宁区书画协会" in body and "解散决议无效" in body and "更正" in body, role
    body = login(cast["outsider_county"]).get(reverse("accounts:audit"), {"tab": "decisions"}).content.decode()
    assert "兴宁区书画协会" not in body


# --- linked accounts ------------------------------------------------------------------------------
def test_an_organization_account_reads_and_exports_only_its_own_organization(cast, login):
    own = make_filed(cast["street"], name="兴宁社区合唱团", contact_phone="13800000001")
    other = make_filed(cast["street"], name="兴宁社区舞蹈队", contact_phone="13800000002")
    user = cast["organization"]
    client = login(user)
    assert client.get(reverse("orgs:detail", args=[own.uid])).status_code == 404
    AccountLink.objects.create(user=user, organization=own, division_id=own.division_id, role="head")
    assert client.get(reverse("orgs:detail", args=[own.uid])).status_code == 200
    assert client.get(reverse("orgs:detail", args=[other.uid])).status_code == 404
    listing = client.get(reverse("orgs:list")).content.decode()
    assert "兴宁社区合唱团" in listing and "兴宁社区舞蹈队" not in listing
    response = client.get(reverse("orgs:export"), {"format": "csv"})
    data = b"".join(response.streaming_content) if response.streaming else response.content
    exported = data.decode("utf-8-sig")
    assert "13800000001" in exported and "13800000002" not in exported


def test_an_operator_reads_the_organizations_its_base_incubated(cast, login):
    from cso.orgs.models import IncubationBase

    base = IncubationBase.objects.create(name="民生街道孵化基地", division_id="450102001000", level=4)
    incubated = make_filed(cast["street"], name="兴宁社区读书会", incubated_by=base)
    make_filed(cast["street"], name="兴宁社区象棋队")
    client = login(cast["county"])
    body = client.get(reverse("orgs:detail", args=[incubated.uid])).content.decode()
    assert reverse("orgs:base_links", args=[base.pk]) in body
    response = client.post(reverse("orgs:base_links", args=[base.pk]), {"username": "operator", "role": "head"})
    assert response.status_code == 302
    listing = login(cast["operator"]).get(reverse("orgs:list")).content.decode()
    assert "兴宁社区读书会" in listing and "兴宁社区象棋队" not in listing
    assert incubated.is_visible_to(cast["operator"])


def test_staff_link_an_organization_account_on_the_organizations_page(cast, login):
    org = make_registered(cast["registrar"])
    client = login(cast["street"])
    response = client.post(reverse("orgs:links", args=[org.uid]), {"username": "organization", "role": "liaison"})
    assert response.status_code == 302
    assert AccountLink.objects.filter(user=cast["organization"], organization=org).exists()
    response = client.post(reverse("orgs:links", args=[org.uid]), {"username": "community", "role": "liaison"})
    assert "只有社会组织账号" in response.content.decode()
    assert login(cast["community"]).get(reverse("orgs:links", args=[org.uid])).status_code == 403


def test_a_registration_elsewhere_is_a_decision_of_that_body(cast):
    org = make_registered(cast["registrar"])
    assert org.registration_authority_division_id == COUNTY
    with pytest.raises(PermissionDenied, match="无权撤销登记"):
        services.change_status(org, "revoked", date.today(), "越权", cast["city_registrar"])


def test_an_export_shows_id_numbers_in_full_only_to_the_body_that_decides_on_every_row(cast, login):
    from .factories import id_number

    number = id_number()
    make_registered(cast["registrar"], name="兴宁区老年协会", leaders=[{"name": "王建国", "id_number": number}])

    def exported(user, **query):
        response = login(user).get(reverse("orgs:export"), {"format": "csv", **query})
        data = b"".join(response.streaming_content) if response.streaming else response.content
        return data.decode("utf-8-sig")

    assert number in exported(cast["registrar"])
    assert number not in exported(cast["county"]) and number not in exported(cast["street"])
    make_filed(cast["street"], name="兴宁社区舞蹈队")
    assert number not in exported(cast["registrar"])  # the filed group is not the registrar's to decide
    assert number in exported(cast["registrar"], track="registered")
