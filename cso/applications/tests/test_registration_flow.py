"""成立登记 online: an organization's account applies, the county's registering body (the registrar) accepts and
approves → the organization is in the registry with history pointing to the case. Thresholds of the province's
registry rules refuse the submission with messages naming the field."""

import pytest
from django.urls import reverse

from cso.applications.models import Application, ApplicationEvent, State
from cso.orgs.models import AccountLink, Organization, RegistryDecision
from cso.orgs.tests.factories import credit_code, id_number

from .helpers import apply

COMMUNITY = "450102001003"  # 兴宁社区, 民生街道, 兴宁区
COUNTY = "450102000000"


def reg_data(**extra):
    data = {
        "kind": "registration", "division": COMMUNITY, "name": "兴宁区邻里互助服务中心", "org_type": "social_service",
        "registration_class": "community_service", "supervising_unit": "", "categories": ["mutual_aid"],
        "residence": "兴宁社区综合服务中心二楼", "business_scope": "邻里互助、为老服务",
        "leader_name": "王建国", "leader_phone": "13800000002", "leader_id_number": id_number(),
        "member_count": "", "registered_capital": "5000", "preparation_number": "", "credit_code": "",
        "token": "r-1", "then": "submit",
    }
    data.update(extra)
    return data


def case_named(name):
    return Application.objects.get(payload__name=name)


def through_opinion(client, cast, case):
    """The community's opinion, where the step is on (a no-op before it exists)."""
    if case.state == "community_opinion":
        client.force_login(cast["community"])
        client.post(reverse("applications:opinion", args=[case.number]), {"stance": "agree", "reason": "同意"})
        case.refresh_from_db()


@pytest.mark.django_db
def test_a_social_service_body_registers_online_and_is_written_to_the_registry(cast, client):
    client.force_login(cast["organization"])
    _, response = apply(client, reg_data())  # the draft, its materials uploaded, then 提交
    assert response.status_code == 302
    case = case_named("兴宁区邻里互助服务中心")
    assert case.kind == "registration" and case.authority_division_id == COUNTY
    assert case.state == State.COMMUNITY_OPINION  # the community gives its opinion first
    client.force_login(cast["registrar"])  # the registering body waits for it
    assert client.post(reverse("applications:accept", args=[case.number])).status_code == 302
    case.refresh_from_db()
    assert case.state == State.COMMUNITY_OPINION
    client.force_login(cast["community"])
    page = client.get(reverse("applications:detail", args=[case.number])).content.decode()
    assert 'data-testid="opinion-form"' in page and 'data-testid="moves"' not in page
    client.post(reverse("applications:opinion", args=[case.number]), {"stance": "disagree", "reason": ""})
    case.refresh_from_db()
    assert case.state == State.COMMUNITY_OPINION  # 不同意 needs its reason
    client.post(reverse("applications:opinion", args=[case.number]),
                {"stance": "disagree", "reason": "住所尚未落实，建议补充场所使用证明"})
    case.refresh_from_db()
    assert case.state == State.SUBMITTED  # advisory: the case goes on to the registering body
    assert case.events.get(verb="opinion").stance == "disagree"

    client.force_login(cast["registrar"])
    page = client.get(reverse("applications:detail", args=[case.number])).content.decode()
    assert 'data-testid="opinions"' in page and "不同意" in page and "住所尚未落实" in page
    client.post(reverse("applications:accept", args=[case.number]))
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    page = client.get(reverse("applications:detail", args=[case.number])).content.decode()
    assert 'name="credit_code"' in page and "批准" in page
    # approval needs the credit code the body gives: without it nothing is written
    client.post(reverse("applications:approve", args=[case.number]))
    case.refresh_from_db()
    assert case.state == State.ACCEPTED and not Organization.objects.filter(name=case.payload["name"]).exists()
    code = credit_code("2")
    response = client.post(reverse("applications:approve", args=[case.number]), {"credit_code": code})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.APPROVED
    org = Organization.objects.get(name="兴宁区邻里互助服务中心")
    assert case.organization == org
    assert org.track == "registered" and org.org_type == "social_service" and org.credit_code == code
    assert org.registration_authority_division_id == COUNTY and org.division_id == COMMUNITY
    assert org.registered_capital == 5000 and org.supervising_unit == ""
    assert org.history.first().history_change_reason == f"依据申请 {case.number}"
    assert RegistryDecision.objects.filter(organization=org, reason=f"依据申请 {case.number}").exists()
    assert AccountLink.objects.filter(user=cast["organization"], organization=org, role="head").exists()
    assert org.leaders.get().role == "legal_rep"
    verbs = list(ApplicationEvent.objects.filter(application=case).exclude(verb="opinion")
                 .values_list("verb", flat=True))
    assert verbs == ["create", "submit", "accept", "approve"]


@pytest.mark.django_db
@pytest.mark.parametrize(("extra", "message"), [
    ({"registered_capital": "1500"}, "注册资金（元）：不得低于2000元"),
    ({"name": "民生街道社区社会组织联合会", "org_type": "social_service", "member_count": "12"},
     "会员数：街道（乡镇）社区社会组织联合会的会员不得少于30个"),
    ({"credit_code": "52450102MJ0000001X"}, "统一社会信用代码："),
    ({"registration_class": "supervised", "supervising_unit": ""}, "非直接登记类别须填写业务主管单位"),
])
def test_a_registration_below_a_threshold_is_refused_at_submission(cast, client, extra, message):
    client.force_login(cast["organization"])
    response = client.post(reverse("applications:new"), reg_data(**extra), follow=True)
    assert message in response.content.decode()
    case = Application.objects.filter(kind="registration").first()
    assert case is None or case.state == State.DRAFT


@pytest.mark.django_db
def test_a_federation_with_its_30_members_passes_and_is_registered(cast, client):
    client.force_login(cast["organization"])
    apply(client, reg_data(name="民生街道社区社会组织联合会", member_count="30"))
    case = case_named("民生街道社区社会组织联合会")
    through_opinion(client, cast, case)
    assert case.state == State.SUBMITTED
    client.force_login(cast["registrar"])
    client.post(reverse("applications:accept", args=[case.number]))
    client.post(reverse("applications:approve", args=[case.number]), {"credit_code": credit_code("2")})
    case.refresh_from_db()
    assert case.state == State.APPROVED and case.organization.member_count == 30


@pytest.mark.django_db
def test_a_duplicate_name_is_refused_live_or_under_way(cast, client):
    from cso.orgs.tests.factories import make_registered

    make_registered(cast["superuser"], name="兴宁区邻里互助服务中心", org_type="social_service",
                    credit_code=credit_code("2"))
    client.force_login(cast["organization"])
    page = client.post(reverse("applications:new"), reg_data(), follow=True).content.decode()
    assert "名称：本县（区）已有名为“兴宁区邻里互助服务中心”的存续组织" in page
    # an application under way holds its name in the county
    apply(client, reg_data(name="兴宁区助老服务中心", token="r-2"))
    page = client.post(reverse("applications:new"), reg_data(name=" 兴宁区助老服务中心 ", token="r-3"),
                       follow=True).content.decode()
    assert "名称：本县（区）已有名为“兴宁区助老服务中心”的申请" in page


@pytest.mark.django_db
def test_the_street_cannot_decide_and_another_countys_registrar_gets_404(cast, client):
    client.force_login(cast["organization"])
    apply(client, reg_data())
    case = case_named("兴宁区邻里互助服务中心")
    through_opinion(client, cast, case)
    before = case.events.count()
    for who in ("street", "community", "county", "city_registrar"):
        client.force_login(cast[who])
        for name in ("accept", "approve", "reject", "ask_correction"):
            response = client.post(reverse(f"applications:{name}", args=[case.number]),
                                   {"reason": "x", "missing": "x", "credit_code": credit_code("2")})
            assert response.status_code == 403, (who, name)
    client.force_login(cast["outsider_registrar"])
    assert client.get(reverse("applications:detail", args=[case.number])).status_code == 404
    for name in ("accept", "approve", "reject"):
        assert client.post(reverse(f"applications:{name}", args=[case.number]), {"reason": "x"}).status_code == 404
    case.refresh_from_db()
    assert case.state == State.SUBMITTED and case.events.count() == before
    assert not Organization.objects.filter(name="兴宁区邻里互助服务中心").exists()


def prep_data(**extra):
    data = {
        "kind": "preparation", "division": COMMUNITY, "name": "兴宁区广场舞协会",
        "registration_class": "community_service",
        "supervising_unit": "", "categories": ["culture_sports"], "residence": "兴宁社区文化室",
        "business_scope": "组织广场舞培训和展演", "leader_name": "赵丽", "leader_phone": "13800000003",
        "leader_id_number": id_number(), "member_count": "60", "token": "p-1", "then": "submit",
    }
    data.update(extra)
    return data


def decide(client, cast, case, **data):
    through_opinion(client, cast, case)
    client.force_login(cast["registrar"])
    client.post(reverse("applications:accept", args=[case.number]))
    client.post(reverse("applications:approve", args=[case.number]), data)
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_a_social_group_needs_an_approved_unexpired_unused_preparation_first(cast, client, settings):
    from datetime import date, timedelta

    from cso.applications.kinds.preparation import add_months

    group = {"name": "兴宁区广场舞协会", "org_type": "social_group", "member_count": "60"}
    client.force_login(cast["organization"])
    page = client.post(reverse("applications:new"), reg_data(token="r-0", **group), follow=True).content.decode()
    assert "社会团体须先经筹备批准，请填写已批准的筹备申请编号" in page

    apply(client, prep_data())
    prep = Application.objects.get(kind="preparation")
    assert prep.authority_division_id == COUNTY
    through_opinion(client, cast, prep)
    client.force_login(cast["organization"])  # not yet approved
    page = client.post(reverse("applications:new"), reg_data(token="r-1", preparation_number=prep.number, **group),
                       follow=True).content.decode()
    assert f"筹备申请 {prep.number} 尚未批准" in page

    settings.CSO_PREPARATION_MONTHS = 6
    prep = decide(client, cast, prep)
    assert prep.state == State.APPROVED and prep.organization is None
    assert prep.payload["valid_until"] == add_months(date.today(), 6).isoformat()
    assert not Organization.objects.filter(name="兴宁区广场舞协会").exists()

    # another applicant's registration may not use it; nor may another name
    from cso.demo.testing import make_user

    client.force_login(make_user("other_org", "organization", COMMUNITY))
    page = client.post(reverse("applications:new"), reg_data(token="x-1", preparation_number=prep.number, **group),
                       follow=True).content.decode()
    assert f"找不到本账号的筹备申请“{prep.number}”" in page
    client.force_login(cast["organization"])
    page = client.post(reverse("applications:new"), reg_data(
        token="r-2", preparation_number=prep.number, **{**group, "name": "兴宁区舞蹈协会"}),
        follow=True).content.decode()
    assert "与本申请的名称不同" in page

    apply(client, reg_data(token="r-3", preparation_number=prep.number, **group))
    case = Application.objects.get(client_token="r-3")
    assert case.state in ("submitted", "community_opinion")
    # the 筹备 is now in use: a second registration cannot name it
    page = client.post(reverse("applications:new"), reg_data(token="r-4", preparation_number=prep.number, **group),
                       follow=True).content.decode()
    assert "已用于另一成立登记申请" in page
    case = decide(client, cast, case, credit_code=credit_code("1"))
    assert case.state == State.APPROVED
    assert case.organization.org_type == "social_group" and case.organization.member_count == 60

    # an expired 筹备 is refused
    client.force_login(cast["organization"])
    apply(client, prep_data(name="兴宁区象棋协会", token="p-2"))
    old = decide(client, cast, Application.objects.get(client_token="p-2"))
    old.payload = {**old.payload, "valid_until": (date.today() - timedelta(days=1)).isoformat()}
    old.save(update_fields=["payload"])
    client.force_login(cast["organization"])
    page = client.post(reverse("applications:new"), reg_data(
        token="r-5", preparation_number=old.number, **{**group, "name": "兴宁区象棋协会"}),
        follow=True).content.decode()
    assert "的筹备期已于" in page and "届满" in page


def test_months_are_added_to_the_end_of_a_shorter_month():
    from datetime import date

    from cso.applications.kinds.preparation import add_months

    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 15), 6) == date(2026, 9, 15)


@pytest.mark.django_db
def test_the_street_gives_an_opinion_but_cannot_decide(cast, client):
    client.force_login(cast["organization"])
    apply(client, reg_data())
    case = case_named("兴宁区邻里互助服务中心")
    from cso.demo.testing import make_user

    for outsider in (cast["outsider_street"], make_user("other_org", "organization", COMMUNITY)):
        client.force_login(outsider)
        assert client.get(reverse("applications:detail", args=[case.number])).status_code == 404
        assert client.post(reverse("applications:opinion", args=[case.number]),
                           {"stance": "agree"}).status_code == 404
    client.force_login(cast["street"])
    client.post(reverse("applications:opinion", args=[case.number]), {"stance": "agree", "reason": "街道同意"})
    case.refresh_from_db()
    assert case.state == State.SUBMITTED
    for name in ("accept", "reject"):
        assert client.post(reverse(f"applications:{name}", args=[case.number]), {"reason": "x"}).status_code == 403
    # one opinion only: the step is over
    client.force_login(cast["community"])
    client.post(reverse("applications:opinion", args=[case.number]), {"stance": "agree"})
    assert case.events.filter(verb="opinion").count() == 1


@pytest.mark.django_db
def test_the_opinion_step_is_a_setting_per_kind_and_province(cast, client, settings):
    from cso.applications.opinion import opinion_required

    assert opinion_required("registration", COMMUNITY) and opinion_required("preparation", COMMUNITY)
    assert not opinion_required("filing", COMMUNITY)
    settings.CSO_COMMUNITY_OPINION = {"registration": {"default": True, "45": False}}
    assert not opinion_required("registration", COMMUNITY) and opinion_required("registration", "310101001001")
    client.force_login(cast["organization"])
    apply(client, reg_data())
    assert case_named("兴宁区邻里互助服务中心").state == State.SUBMITTED
