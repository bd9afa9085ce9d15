from django.urls import reverse

from cso.accounts.models import SignInEvent
from cso.regions.models import Division

URL = reverse("accounts:audit")


def test_the_county_sees_its_sign_ins_and_not_the_sibling_countys(cast, sign_in, login):
    sign_in("street")
    sign_in("outsider_county", "Wrong-pass-1")
    client = login(cast["county"])
    response = client.get(URL)
    rows = {row.record.username for row in response.context["table"].page.object_list}
    assert "street" in rows
    assert "outsider_county" not in rows
    assert "outsider_county" not in response.content.decode()


def test_sign_ins_filter_by_result_and_user_name(cast, sign_in, login):
    sign_in("street")
    sign_in("community", "Wrong-pass-1")
    client = login(cast["county"])
    failed = client.get(URL + "?tab=signins&success=0")
    assert {r.record.username for r in failed.context["table"].page.object_list} == {"community"}
    named = client.get(URL + "?tab=signins&username=stre")
    assert {r.record.username for r in named.context["table"].page.object_list} == {"street"}
    none = client.get(URL + "?tab=signins&date_to=2000-01-01")
    assert "没有符合条件的登录记录" in none.content.decode()


def test_account_changes_show_old_and_new_values_with_the_actor(cast, login):
    client = login(cast["county"])
    target = cast["street"]
    client.post(reverse("accounts:user_edit", args=[target.pk]), {
        "full_name": "李四", "role": target.role, "division": target.division_id, "phone": "", "title": "",
    })
    outsider = cast["outsider_community"]
    outsider.full_name = "外区改名"
    outsider.save()
    response = client.get(URL + "?tab=users")
    body = response.content.decode()
    assert "李四" in body
    assert "<del" in body and "street" in body
    assert "外区改名" not in body
    entry = next(e for e in response.context["entries"] if e.record.username == "street" and e.kind == "修改")
    assert entry.actor == cast["county"]
    assert any(c.label == "姓名" and c.old == "street" and c.new == "李四" for c in entry.changes)


def test_division_changes_are_scoped_to_the_subtree(cast, login):
    home = Division.objects.get(code="450102001003")
    home.households = 1234
    home.save()
    foreign = Division.objects.get(code="450103001005")
    foreign.households = 4321
    foreign.save()
    response = login(cast["county"]).get(URL + "?tab=divisions")
    body = response.content.decode()
    assert "1234" in body
    assert "4321" not in body
    assert "新竹" not in body
    codes = {e.record.code for e in response.context["entries"]}
    assert all(code.startswith("450102") for code in codes)


def test_the_division_tab_filters_by_code_and_is_paginated(cast, login, settings):
    settings.CSO_PAGE_SIZE = 3
    client = login(cast["county"])
    response = client.get(URL + "?tab=divisions&q=450102001")
    assert {e.record.code[:9] for e in response.context["entries"]} == {"450102001"}
    assert response.context["page_obj"].paginator.count == 4


def test_a_street_clerk_sees_only_its_street_in_every_tab(cast, login, sign_in):
    sign_in("outsider_street")
    sign_in("community")
    client = login(cast["street"])
    for tab in ("signins", "users", "divisions"):
        body = client.get(URL + f"?tab={tab}").content.decode()
        assert "朝阳" not in body, tab
        assert "outsider_street" not in body, tab


def test_non_staff_accounts_cannot_see_the_audit(cast, login):
    for role in ("organization", "operator"):
        assert login(cast[role]).get(URL).status_code == 403


def test_a_superuser_sees_sign_ins_of_unknown_user_names(cast, login):
    SignInEvent.objects.create(username="ghost", success=False, reason="用户名不存在")
    assert "ghost" in login(cast["superuser"]).get(URL).content.decode()
    assert "ghost" not in login(cast["province"]).get(URL).content.decode()
