"""Kinds about an existing organization, over HTTP: 变更 (exactly the changed fields are written, history points to
the case), 注销 (the organization is closed; 简易注销 asks fewer materials where the province allows it), 备案注销 by
the street filing body; the organization's own account only, and one open case per organization."""

import pytest
from django.urls import reverse

from cso.applications.kinds.change import current_facts
from cso.applications.models import Application, State
from cso.orgs.models import AccountLink, Organization, RegistryRules, StatusChange
from cso.orgs.tests.factories import make_filed, make_registered

from .helpers import apply


def link(user, org, role="head"):
    return AccountLink.objects.create(user=user, organization=org, role=role, division_id=org.division_id)


@pytest.fixture
def association(cast):
    org = make_registered(cast["superuser"], name="兴宁区邻里互助协会", address="兴宁路1号", business_scope="邻里互助",
                          member_count=60, supervising_unit="",
                          leaders=[{"name": "张建国", "phone": "13800000011", "role": "legal_rep"}])
    link(cast["organization"], org)
    return org


@pytest.fixture
def team(cast):
    org = make_filed(cast["superuser"], name="兴宁社区太极拳队", leaders=[{"name": "王秀英", "phone": "13800000022"}])
    link(cast["organization"], org)
    return org


def change_post(org, token="c-1", then="submit", **changes):
    data = {k: v for k, v in current_facts(org).items() if v is not None}
    data.update(changes)
    data.update({"kind": "change", "org": org.uid, "token": token, "then": then,
                 "reason": changes.get("reason", "经会员大会表决通过")})
    return data


def new_url(kind, org):
    return reverse("applications:new") + f"?kind={kind}&org={org.uid}"


def decide(client, user, case, verb="approve"):
    client.force_login(user)
    client.post(reverse("applications:accept", args=[case.number]))
    return client.post(reverse(f"applications:{verb}", args=[case.number]), {"reason": "材料齐全"})


@pytest.mark.django_db
def test_a_change_of_name_and_leader_writes_exactly_those_fields_with_history_pointing_to_the_case(
        cast, client, association):
    client.force_login(cast["organization"])
    page = client.get(new_url("change", association)).content.decode()
    assert "兴宁区邻里互助协会" in page and "张建国" in page and "兴宁路1号" in page
    apply(client, change_post(association, name="兴宁区邻里守望协会", leader_name="李红梅"))
    case = Application.objects.get()
    assert case.state == State.SUBMITTED and case.organization == association
    assert set(case.payload["changes"]) == {"name", "leader_name"}
    assert case.authority_division_id == "450102000000"  # the county's registering body decides
    assert case.number in client.get(reverse("applications:mine")).content.decode()

    client.force_login(cast["street"])  # the street is not the registering body: not in its queue, cannot decide
    assert case.number not in client.get(reverse("applications:queue")).content.decode()
    assert client.post(reverse("applications:accept", args=[case.number])).status_code == 403
    client.force_login(cast["county"])  # the bureau files groups elsewhere; it does not register: not its case
    assert case.number not in client.get(reverse("applications:queue")).content.decode()
    client.force_login(cast["registrar"])
    assert case.number in client.get(reverse("applications:queue")).content.decode()
    page = client.get(reverse("applications:detail", args=[case.number])).content.decode()
    assert 'data-testid="change-diff"' in page and "兴宁区邻里守望协会" in page and "李红梅" in page
    decide(client, cast["registrar"], case)
    case.refresh_from_db()
    assert case.state == State.APPROVED
    org = Organization.objects.get(pk=association.pk)
    assert org.name == "兴宁区邻里守望协会"
    assert (org.address, org.business_scope, org.member_count, org.status) == ("兴宁路1号", "邻里互助", 60, "active")
    leader = org.leaders.order_by("order", "id").first()
    assert leader.name == "李红梅" and leader.phone == "13800000011" and leader.role == "legal_rep"
    assert org.leaders.count() == 1
    assert org.history.first().history_change_reason == f"依据申请 {case.number}"
    assert leader.history.first().history_change_reason == f"依据申请 {case.number}"
    assert org.history.count() == 2  # creation and this one change


@pytest.mark.django_db
def test_a_change_with_no_difference_is_refused(cast, client, association):
    client.force_login(cast["organization"])
    response = client.post(reverse("applications:new"), change_post(association), follow=True)
    assert "没有需要变更的事项" in response.content.decode()
    assert Application.objects.get().state == State.DRAFT


@pytest.mark.django_db
def test_a_new_name_already_used_under_the_same_body_is_refused(cast, client, association):
    make_registered(cast["superuser"], name="兴宁区志愿者协会")
    client.force_login(cast["organization"])
    response = client.post(reverse("applications:new"), change_post(association, name="兴宁区志愿者协会"), follow=True)
    assert "已有名为“兴宁区志愿者协会”的存续组织" in response.content.decode()
    assert Application.objects.get().state == State.DRAFT


@pytest.mark.django_db
def test_a_second_open_case_about_the_same_organization_is_refused(cast, client, association):
    client.force_login(cast["organization"])
    apply(client, change_post(association, address="兴宁路2号"))
    assert Application.objects.get().state == State.SUBMITTED
    response = client.post(reverse("applications:new"), change_post(association, token="c-2", address="兴宁路3号"))
    assert "已有一件正在办理的" in response.content.decode()
    assert Application.objects.count() == 1
    response = client.post(reverse("applications:new"), {
        "kind": "deregistration", "org": association.uid, "token": "d-1", "then": "submit", "basis": "dissolved",
        "reason": "解散", "liquidation_done_on": "2026-01-05", "materials_ready": "on"})
    assert "已有一件正在办理的" in response.content.decode() and Application.objects.count() == 1


@pytest.mark.django_db
def test_an_account_not_linked_to_the_organization_gets_404(cast, client, association):
    from cso.demo.testing import make_user

    other = make_user("other_org", "organization", "450102001003")
    client.force_login(other)
    assert client.get(new_url("change", association)).status_code == 404
    assert client.post(reverse("applications:new"), change_post(association, name="别人改的名")).status_code == 404
    assert client.get(reverse("applications:new") + "?kind=change").status_code == 404
    assert not Application.objects.exists()
    client.force_login(cast["street"])  # staff do not apply
    assert client.get(new_url("change", association)).status_code == 403


@pytest.mark.django_db
def test_deregistration_approved_closes_the_organization(cast, client, association):
    client.force_login(cast["organization"])
    page = client.get(new_url("deregistration", association)).content.decode()
    assert "清算" in page and "15日内" in page and "简易注销" not in page
    assert "清算组织出具、经确认的清算报告" in page
    response = client.post(reverse("applications:new"), {
        "kind": "deregistration", "org": association.uid, "token": "d-1", "then": "submit", "basis": "dissolved",
        "reason": "会员大会决议解散", "materials_ready": "on"})
    assert "请填写清算结束日期" in response.content.decode()  # no 清算, no 注销
    apply(client, {
        "kind": "deregistration", "org": association.uid, "token": "d-2", "then": "submit", "basis": "dissolved",
        "reason": "会员大会决议解散", "liquidation_done_on": "2026-01-05", "materials_ready": "on"})
    case = Application.objects.get(kind="deregistration")
    assert case.state == State.SUBMITTED
    decide(client, cast["registrar"], case)
    org = Organization.objects.get(pk=association.pk)
    assert org.status == "deregistered"
    change = StatusChange.objects.filter(organization=org).last()
    assert change.to_status == "deregistered" and change.reason == f"依据申请 {case.number}"


@pytest.mark.django_db
def test_the_simplified_path_asks_fewer_materials_where_the_province_allows_it(cast, client, association):
    client.force_login(cast["organization"])
    RegistryRules.objects.filter(province_id="450000000000").update(simplified_deregistration=True)
    page = client.get(new_url("deregistration", association)).content.decode()
    assert "本省允许简易注销" in page and 'data-testid="simplified-materials"' in page and "no_assets_debts" in page
    apply(client, {
        "kind": "deregistration", "org": association.uid, "token": "d-1", "then": "submit", "basis": "dissolved",
        "reason": "无资产无债务，决议解散", "no_assets_debts": "on", "materials_ready": "on"})
    case = Application.objects.get()
    assert case.state == State.SUBMITTED and case.payload["simplified"] is True
    page = client.get(reverse("applications:detail", args=[case.number])).content.decode()
    assert "无剩余财产、无债权债务承诺书" in page and "清算报告" not in page
    decide(client, cast["registrar"], case)
    assert Organization.objects.get(pk=association.pk).status == "deregistered"


@pytest.mark.django_db
def test_a_filed_group_cancels_its_filing_with_the_street(cast, client, team):
    client.force_login(cast["organization"])
    assert client.get(new_url("deregistration", team), follow=True).status_code in (200, 404)
    apply(client, {"kind": "filing_cancel", "org": team.uid, "token": "f-1",
                   "then": "submit", "cause": "stopped", "reason": "队员年纪大了，停止活动"})
    case = Application.objects.get(kind="filing_cancel")
    assert case.state == State.SUBMITTED and case.authority_division_id == "450102001000"
    client.force_login(cast["registrar"])
    assert client.post(reverse("applications:accept", args=[case.number])).status_code in (403, 404)
    decide(client, cast["street"], case)
    case.refresh_from_db()
    assert case.state == State.APPROVED
    assert Organization.objects.get(pk=team.pk).status == "deregistered"


@pytest.mark.django_db
def test_a_filed_group_changes_its_member_count_with_the_street(cast, client, team, settings):
    settings.CSO_FILING_MIN_MEMBERS = {"45": 10}
    client.force_login(cast["organization"])
    response = client.post(reverse("applications:new"), change_post(team, member_count="6"), follow=True)
    assert "本省群众活动团队成员不少于10人" in response.content.decode()
    apply(client, {**change_post(team, member_count="25"), "token": ""},
          url=reverse("applications:edit", args=[Application.objects.get().ref]))
    case = Application.objects.get()
    assert case.state == State.SUBMITTED and set(case.payload["changes"]) == {"member_count"}
    decide(client, cast["street"], case)
    org = Organization.objects.get(pk=team.pk)
    assert org.member_count == 25 and org.name == "兴宁社区太极拳队"


@pytest.mark.django_db
def test_the_organizations_page_offers_its_own_account_the_applications(cast, client, association, team):
    client.force_login(cast["organization"])
    page = client.get(reverse("orgs:detail", args=[association.uid])).content.decode()
    assert f"?kind=change&amp;org={association.uid}" in page and "申请注销" in page
    assert f"?kind=deregistration&amp;org={association.uid}" in page
    page = client.get(reverse("orgs:detail", args=[team.uid])).content.decode()
    assert "申请备案注销" in page and f"?kind=filing_cancel&amp;org={team.uid}" in page
    client.force_login(cast["registrar"])  # staff see the page, not the applicant's buttons
    assert "申请变更" not in client.get(reverse("orgs:detail", args=[association.uid])).content.decode()


@pytest.mark.django_db
def test_the_street_filing_body_sorts_a_filed_group_into_categories(cast, client, team):
    from cso.orgs.models import Category

    culture, service = Category.objects.filter(is_active=True).order_by("bit")[:2]
    client.force_login(cast["registrar"])  # not the filing body
    assert client.post(reverse("orgs:categorise", args=[team.uid]), {"categories": [culture.pk]}).status_code == 403
    client.force_login(cast["street"])
    assert 'data-testid="categorise-link"' in client.get(reverse("orgs:detail", args=[team.uid])).content.decode()
    response = client.post(reverse("orgs:categorise", args=[team.uid]),
                           {"categories": [culture.pk, service.pk], "reason": "备案后分类"})
    assert response.status_code == 302
    org = Organization.objects.get(pk=team.pk)
    assert set(org.categories.all()) == {culture, service}
    assert org.history.first().history_change_reason == "备案后分类"
    assert org.decisions.filter(kind="change").exists()


@pytest.mark.django_db
def test_renaming_into_a_street_federation_checks_the_provinces_member_minimum(cast, client, association):
    client.force_login(cast["organization"])
    response = client.post(reverse("applications:new"),
                           change_post(association, name="民生街道社区社会组织联合会"), follow=True)
    assert "须有不少于30个会员组织" in response.content.decode()
    assert Application.objects.get().state == State.DRAFT


@pytest.mark.django_db
def test_deregistration_with_a_supervising_unit_needs_its_consent(cast, client):
    org = make_registered(cast["superuser"], supervising_unit="南宁市兴宁区教育局")
    link(cast["organization"], org)
    client.force_login(cast["organization"])
    data = {"kind": "deregistration", "org": org.uid, "token": "d-1", "then": "submit", "basis": "dissolved",
            "reason": "解散", "liquidation_done_on": "2026-01-05", "materials_ready": "on"}
    response = client.post(reverse("applications:new"), data)
    assert "须经业务主管单位同意" in response.content.decode() and not Application.objects.exists()
    apply(client, {**data, "supervising_consent": "on"})
    assert Application.objects.get().state == State.SUBMITTED


@pytest.mark.django_db
def test_the_province_allows_simplified_deregistration_on_its_rules_page(cast, client):
    client.force_login(cast["province"])
    assert "允许简易注销" in client.get(reverse("orgs:rules")).content.decode()
    client.post(reverse("orgs:rules"), {"province": "45", "min_registered_capital": "2000",
                                        "federation_min_members": "30", "filing_level": "4",
                                        "simplified_deregistration": "on", "reason": "试行简易注销"})
    rules = RegistryRules.objects.get(province_id="450000000000")
    assert rules.simplified_deregistration is True and rules.history.first().history_change_reason == "试行简易注销"
