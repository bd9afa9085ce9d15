"""The registry list page: scoping, every filter, as-of filtering, sorting, empty states."""

from datetime import date

import pytest
from django.urls import reverse

from cso.orgs import services
from cso.orgs.models import IncubationBase, Organization

from .factories import COMMUNITY_2, FOREIGN_COMMUNITY, credit_code, make_filed, make_registered

LIST = reverse("orgs:list")


@pytest.fixture
def orgs(cast):
    county = cast["superuser"]  # setting up: the registering and filing bodies act through the superuser
    base = IncubationBase.objects.create(name="兴宁区社会组织孵化基地", division_id="450102000000", level=3)
    elderly = make_registered(county, name="兴宁区老年协会", categories=["life_service"],
                              service_targets=["elderly"], party_building="independent")
    dance = make_filed(county, name="北宁社区广场舞队", division=COMMUNITY_2, categories=["culture_sports"],
                       incubated_by=base)
    street_group = make_filed(county, name="民生街道志愿服务队", org_type="activity_group", tier="street",
                              categories=["charity"], service_targets=["children"])
    foundation = make_registered(county, name="兴宁区慈善基金会", org_type="foundation",
                                 credit_code=credit_code("3"), division="450102000000")
    foreign = make_filed(cast["superuser"], name="新竹社区老年协会", division=FOREIGN_COMMUNITY)
    services.change_status(dance, "abnormal", date(2024, 6, 1), "连续两年未开展活动", county)
    return {"elderly": elderly, "dance": dance, "street_group": street_group, "foundation": foundation,
            "foreign": foreign}


def listed(client, query="") -> set[str]:
    response = client.get(LIST + query)
    assert response.status_code == 200
    return {o.name for o in response.context["page"].rows}


def test_it_lists_only_organizations_of_the_users_division(orgs, cast, login):
    client = login(cast["county"])
    names = listed(client)
    assert names == {"兴宁区老年协会", "北宁社区广场舞队", "民生街道志愿服务队", "兴宁区慈善基金会"}
    body = client.get(LIST).content.decode()
    assert "新竹" not in body and "4501030" not in body
    assert "兴宁区老年协会" in body


def test_an_outsider_sees_none_of_our_organizations_even_when_searching(orgs, cast, login):
    client = login(cast["outsider_county"])
    assert listed(client) == {"新竹社区老年协会"}
    assert listed(client, "?q=兴宁") == set()
    assert listed(client, "?division=450102") == set()
    assert listed(client, "?q=lnxh") == {"新竹社区老年协会"}


def test_a_street_clerk_sees_only_the_street(orgs, cast, login):
    client = login(cast["street"])
    assert listed(client) == {"兴宁区老年协会", "北宁社区广场舞队", "民生街道志愿服务队"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?division=450102001004", {"北宁社区广场舞队"}),
        ("?division=450102001", {"兴宁区老年协会", "北宁社区广场舞队", "民生街道志愿服务队"}),
        ("?division=450102000000", {"兴宁区老年协会", "北宁社区广场舞队", "民生街道志愿服务队", "兴宁区慈善基金会"}),
        ("?division=450103", set()),
        ("?division=abc", set()),
        ("?track=filed", {"北宁社区广场舞队", "民生街道志愿服务队"}),
        ("?org_type=foundation", {"兴宁区慈善基金会"}),
        ("?tier=street", {"民生街道志愿服务队"}),
        ("?category=culture_sports", {"北宁社区广场舞队"}),
        ("?target=children", {"民生街道志愿服务队"}),
        ("?status=abnormal", {"北宁社区广场舞队"}),
        ("?status=active", {"兴宁区老年协会", "民生街道志愿服务队", "兴宁区慈善基金会"}),
        ("?party_building=independent", {"兴宁区老年协会"}),
        ("?party_building=any", {"兴宁区老年协会"}),
        ("?incubated=yes", {"北宁社区广场舞队"}),
        ("?incubated=no", {"兴宁区老年协会", "民生街道志愿服务队", "兴宁区慈善基金会"}),
        ("?community=no", {"兴宁区慈善基金会"}),
        ("?track=filed&status=active", {"民生街道志愿服务队"}),
    ],
)
def test_each_filter_narrows_the_list(orgs, cast, login, query, expected):
    assert listed(login(cast["county"]), query) == expected


def test_the_hub_filter_finds_hubs_and_their_members(orgs, cast, login):
    Organization.objects.filter(pk=orgs["foundation"].pk).update(is_hub=True)
    services.add_hub_member(orgs["foundation"], orgs["elderly"], date(2024, 1, 1), cast["registrar"])
    client = login(cast["county"])
    assert listed(client, "?hub=hub") == {"兴宁区慈善基金会"}
    assert listed(client, "?hub=member") == {"兴宁区老年协会"}
    assert listed(client, "?hub=none") == {"北宁社区广场舞队", "民生街道志愿服务队"}


def test_as_of_a_date_filters_by_the_state_on_that_day(orgs, cast, login):
    client = login(cast["county"])
    # The dance team turned abnormal on 2024-06-01: on 2024-05-31 it was still active.
    assert "北宁社区广场舞队" in listed(client, "?as_of=2024-05-31&status=active")
    assert "北宁社区广场舞队" not in listed(client, "?as_of=2024-05-31&status=abnormal")
    assert listed(client, "?as_of=2024-06-01&status=abnormal") == {"北宁社区广场舞队"}
    # Nothing had been filed before 2020.
    assert listed(client, "?as_of=2019-01-01") == set()
    assert listed(client, "?as_of=2024-06-01&division=450102001004&category=culture_sports") == {"北宁社区广场舞队"}


def test_sorting_by_name_and_by_date(orgs, cast, login):
    client = login(cast["county"])
    response = client.get(LIST + "?sort=name")
    names = [o.name for o in response.context["page"].rows]
    assert names == sorted(names)
    response = client.get(LIST + "?sort=-name")
    assert [o.name for o in response.context["page"].rows] == sorted(names, reverse=True)
    response = client.get(LIST + "?sort=-registered")
    rows = response.context["page"].rows
    dated = [o.registered_on for o in rows if o.registered_on]
    assert dated == sorted(dated, reverse=True)
    assert rows[-1].registered_on is None  # organizations without the date come last


def test_the_list_shows_the_row_facts(orgs, cast, login):
    body = login(cast["county"]).get(LIST).content.decode()
    elderly = orgs["elderly"]
    assert elderly.credit_code in body
    assert orgs["dance"].uid in body  # filed groups show their own identifier
    assert "活动异常" in body and "独立党组织" in body and "民生街道" in body and "生活服务" in body
    assert reverse("orgs:detail", args=[elderly.uid]) in body


def test_empty_states_explain_what_to_do(cast, login):
    client = login(cast["county"])
    assert "本辖区还没有登记或备案的社会组织" in client.get(LIST).content.decode()
    assert "没有符合条件的社会组织" in client.get(LIST + "?q=不存在的组织").content.decode()


def test_the_list_page_takes_a_bounded_number_of_queries(orgs, cast, login, django_assert_max_num_queries):
    for i in range(30):
        make_filed(cast["street"], name=f"兴宁社区合唱团{i}", categories=["culture_sports", "charity"])
    client = login(cast["county"])
    with django_assert_max_num_queries(14):
        response = client.get(LIST)
    assert len(response.context["page"].rows) == 34


def test_only_staff_see_the_create_button(orgs, cast, login):
    assert reverse("orgs:create") in login(cast["community"]).get(LIST).content.decode()
    assert reverse("orgs:create") not in login(cast["organization"]).get(LIST).content.decode()
