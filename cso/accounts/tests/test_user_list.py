from django.urls import reverse

from cso.demo.testing import make_user

FOREIGN = ["outsider_county", "outsider_community", "青秀区", "新竹街道", "新竹社区", "4501030"]


def usernames(response):
    return {row.record.username for row in response.context["table"].page.object_list}


def test_the_list_shows_the_subtree_and_never_foreign_rows(cast, login):
    client = login(cast["county"])
    for query in ("", "?q=outsider", "?q=新竹", "?division=450103", "?sort=-division"):
        response = client.get(reverse("accounts:user_list") + query)
        assert response.status_code == 200
        body = response.content.decode()
        for marker in FOREIGN:
            assert marker not in body, (query, marker)


def test_the_county_list_holds_exactly_its_accounts(cast, login):
    response = login(cast["county"]).get(reverse("accounts:user_list"))
    assert usernames(response) == {"county", "registrar", "street", "community", "operator", "organization",
                                   "outsider_street"}


def test_a_street_manager_lists_only_its_street(cast, login):
    response = login(cast["street"]).get(reverse("accounts:user_list"))
    assert usernames(response) == {"street", "community", "operator", "organization"}


def test_search_by_name_phone_and_user_name(cast, login):
    make_user("zhang", "community", "450102001004", full_name="张三", phone="13900001111")
    client = login(cast["county"])
    url = reverse("accounts:user_list")
    assert usernames(client.get(url + "?q=张三")) == {"zhang"}
    assert usernames(client.get(url + "?q=0000111")) == {"zhang"}
    assert usernames(client.get(url + "?q=ZHAN")) == {"zhang"}


def test_filters_by_role_division_and_state(cast, login):
    client = login(cast["county"])
    url = reverse("accounts:user_list")
    assert usernames(client.get(url + "?role=community")) == {"community"}
    assert usernames(client.get(url + "?division=450102002000")) == {"outsider_street"}
    assert usernames(client.get(url + "?division=450102001")) == {"street", "community", "operator", "organization"}
    cast["operator"].is_active = False
    cast["operator"].save()
    assert usernames(client.get(url + "?active=0")) == {"operator"}


def test_an_empty_result_shows_the_empty_state(cast, login):
    body = login(cast["county"]).get(reverse("accounts:user_list") + "?q=nobody").content.decode()
    assert "没有符合条件的账号" in body


def test_the_list_is_sortable_and_paginated(cast, login, settings):
    settings.CSO_PAGE_SIZE = 2
    client = login(cast["county"])
    response = client.get(reverse("accounts:user_list") + "?sort=username")
    page = response.context["table"].page
    assert [r.record.username for r in page.object_list] == ["community", "county"]
    assert page.paginator.num_pages == 4
    assert "下一页" in response.content.decode()
    response = client.get(reverse("accounts:user_list") + "?sort=-username&page=1")
    assert [r.record.username for r in response.context["table"].page.object_list] == ["street", "registrar"]


def test_the_list_page_makes_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries):
    for i in range(20):
        make_user(f"bulk{i}", "community", "450102001003")
    client = login(cast["county"])
    with django_assert_max_num_queries(12):
        client.get(reverse("accounts:user_list"))
