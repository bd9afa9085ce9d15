"""Create, edit, status change and registration pages: everything through the services, every
error in Chinese at its field."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cso.orgs import services
from cso.orgs.models import Leader, Organization, StatusChange

from .factories import FOREIGN_COMMUNITY, county_authority, credit_code, id_number, make_filed, make_registered

CREATE = reverse("orgs:create")


def management(total=2, initial=0):
    return {"leaders-TOTAL_FORMS": str(total), "leaders-INITIAL_FORMS": str(initial),
            "leaders-MIN_NUM_FORMS": "0", "leaders-MAX_NUM_FORMS": "30"}


def filed_post(**extra):
    data = {"name": "兴宁社区太极拳队", "track": "filed", "org_type": "activity_team", "division": "450102001003",
            "filed_on": "2023-03-01", "party_building": "none", "categories": ["4"], **management(),
            "leaders-0-name": "李芳", "leaders-0-role": "head", "leaders-0-id_number": id_number(),
            "leaders-1-role": "head"}
    data.update(extra)
    return data


def test_a_street_clerk_files_a_group_with_a_leader(cast, login):
    response = login(cast["street"]).post(CREATE, filed_post())
    org = Organization.objects.get(name="兴宁社区太极拳队")
    assert response.status_code == 302 and response.url == reverse("orgs:detail", args=[org.uid])
    assert org.track == "filed" and org.created_by == cast["street"]
    assert [c.name for c in org.categories.all()] == ["文体娱乐"]
    assert list(org.leaders.values_list("name", flat=True)) == ["李芳"]
    assert StatusChange.objects.filter(organization=org).count() == 1
    assert services.org_state_as_of(org, date(2023, 3, 1)).status == "active"


def test_registration_rules_show_chinese_messages_at_their_fields(cast, login):
    data = {"name": "兴宁区助老服务中心", "track": "registered", "org_type": "social_service",
            "division": "450102001003", "credit_code": "52450102MJ00000001", "registered_capital": "500",
            "registration_authority": county_authority().pk,
            "registered_on": "2023-01-01", "party_building": "none", "contact_phone": "12345", **management()}
    response = login(cast["registrar"]).post(CREATE, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "校验位" in " ".join(form.errors["credit_code"])
    assert "不得低于2000元" in " ".join(form.errors["registered_capital"])
    assert "电话号码" in " ".join(form.errors["contact_phone"])
    assert not Organization.objects.filter(name="兴宁区助老服务中心").exists()
    body = response.content.decode()
    assert "请根据各项下方的提示修改后再保存" in body


def test_a_division_outside_the_users_scope_is_refused(cast, login):
    response = login(cast["street"]).post(CREATE, filed_post(division=FOREIGN_COMMUNITY))
    assert response.status_code == 403
    response = login(cast["street"]).post(CREATE, filed_post(division="4501020010"))
    assert "12位区划代码" in " ".join(response.context["form"].errors["division"])
    assert not Organization.objects.exists()


def test_a_bad_leader_id_number_is_shown_at_the_leader_row_and_nothing_is_saved(cast, login):
    response = login(cast["street"]).post(CREATE, filed_post(**{"leaders-0-id_number": "450102198503121230"}))
    assert response.status_code == 200
    assert "身份证号码" in " ".join(response.context["formset"].forms[0].errors["id_number"])
    assert not Organization.objects.exists()


def test_a_filed_group_at_street_level_is_refused_in_chinese(cast, login):
    response = login(cast["street"]).post(CREATE, filed_post(division="450102001000"))
    assert "须归属于一个社区" in " ".join(response.context["form"].errors["division"])


def test_editing_changes_fields_leaders_and_keeps_history(cast, login):
    org = make_filed(cast["street"], leaders=[{"name": "李芳"}])
    leader = org.leaders.get()
    client = login(cast["street"])
    form = client.get(reverse("orgs:edit", args=[org.uid])).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, "")}
    data.update({"categories": [], "service_targets": [], "division": "450102001004", "member_count": "40",
                 "effective_date": "2024-01-01", "reason": "搬到北宁社区", "party_building": "liaison",
                 "founded_on": "", "is_community_org": "yes",
                 **management(total=2, initial=1), "leaders-0-leader_id": str(leader.pk), "leaders-0-name": "李芳芳",
                 "leaders-0-role": "head", "leaders-1-name": "赵敏", "leaders-1-role": "secretary_general"})
    data.pop("tags", None)
    response = client.post(reverse("orgs:edit", args=[org.uid]), data)
    assert response.status_code == 302, response.context["form"].errors
    org.refresh_from_db()
    assert org.division_id == "450102001004" and org.member_count == 40 and org.party_building == "liaison"
    assert sorted(Leader.objects.filter(organization=org).values_list("name", flat=True)) == ["李芳芳", "赵敏"]
    assert services.org_state_as_of(org, date(2023, 12, 31)).division_id == "450102001003"
    assert services.org_state_as_of(org, date(2024, 1, 1)).division_id == "450102001004"
    body = client.get(reverse("orgs:detail", args=[org.uid])).content.decode()
    assert "搬到北宁社区" in body and "北宁社区居委会" in body


def test_deleting_a_leader_on_the_edit_page(cast, login):
    org = make_filed(cast["street"], leaders=[{"name": "李芳"}])
    leader = org.leaders.get()
    client = login(cast["street"])
    data = {k: v for k, v in client.get(reverse("orgs:edit", args=[org.uid])).context["form"].initial.items()
            if v not in (None, "")}
    data.update({"categories": [], "service_targets": [], "tags": "", **management(total=1, initial=1),
                 "leaders-0-leader_id": str(leader.pk), "leaders-0-name": "李芳", "leaders-0-role": "head",
                 "leaders-0-DELETE": "on"})
    assert client.post(reverse("orgs:edit", args=[org.uid]), data).status_code == 302
    assert not org.leaders.exists()


def test_the_status_page_records_a_status_change_and_the_as_of_state(cast, login):
    org = make_registered(cast["registrar"])
    client = login(cast["registrar"])
    day = date.today() - timedelta(days=10)
    response = client.post(reverse("orgs:status", args=[org.uid]),
                           {"to_status": "abnormal", "effective_date": day.isoformat(), "reason": "年检不合格"})
    assert response.status_code == 302
    change = StatusChange.objects.filter(organization=org).latest("id")
    assert (change.from_status, change.to_status, change.effective_date, change.recorded_by) == \
        ("active", "abnormal", day, cast["registrar"])
    assert services.org_state_as_of(org, day - timedelta(days=1)).status == "active"
    assert services.org_state_as_of(org, day).status == "abnormal"


def test_the_status_page_needs_a_reason_and_a_valid_transition(cast, login):
    org = make_registered(cast["registrar"])
    client = login(cast["registrar"])
    response = client.post(reverse("orgs:status", args=[org.uid]),
                           {"to_status": "abnormal", "effective_date": date.today().isoformat(), "reason": ""})
    assert "请填写状态变更的原因" in " ".join(response.context["form"].errors["reason"])
    response = client.post(reverse("orgs:status", args=[org.uid]),
                           {"to_status": "abnormal", "effective_date": "2001-01-01", "reason": "补录"})
    assert "不能早于" in " ".join(response.context["form"].errors["effective_date"])
    org.refresh_from_db()
    assert org.status == "active"


def test_a_filed_group_registers_and_keeps_its_uid(cast, login):
    group = make_filed(cast["street"])
    code = credit_code("1")
    response = login(cast["registrar"]).post(reverse("orgs:register", args=[group.uid]), {
        "credit_code": code, "org_type": "social_group", "registered_on": "2024-05-01",
        "registration_authority": county_authority().pk, "registered_capital": "3000"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.track == "registered" and group.credit_code == code
    assert Organization.objects.filter(uid=group.uid).count() == 1
    assert services.org_state_as_of(group, date(2024, 4, 30)).track == "filed"
    assert services.org_state_as_of(group, date(2024, 5, 1)).track == "registered"


@pytest.mark.parametrize("name", ["orgs:create"])
def test_the_create_page_renders_for_staff(cast, login, name):
    body = login(cast["community"]).get(reverse(name)).content.decode()
    assert "新增社会组织" in body and "所在社区（区划）代码" in body and "负责人" in body
