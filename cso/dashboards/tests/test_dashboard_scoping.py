"""Scoping: a dashboard outside one's subtree is a 404, page and JSON alike, and nothing foreign shows."""

import pytest

from cso.demo.testing import make_user

from .conftest import COUNTY, DAY, STREET, STREET_2, XINGNING
from .html import parse

pytestmark = pytest.mark.django_db

FOREIGN_COUNTY = "450103000000"
CHARTS = ("gaps", "composition", "trend")
FOREIGN_NAMES = ("青秀", "新竹", "思贤", "柳州", "城中")


def get(client, path, **params):
    return client.get(path, {"as_of": DAY.isoformat(), **params})


@pytest.mark.parametrize("user,division", [
    ("outsider_county", COUNTY),
    ("county", FOREIGN_COUNTY),
    ("outsider_street", STREET),
    ("street", STREET_2),
    ("community", STREET),
    ("community", "450102001004"),
])
def test_a_division_outside_ones_subtree_is_a_404_on_the_page_and_every_chart(registry, login, user, division):
    client = login(registry[user])
    assert get(client, "/dashboards/", division=division).status_code == 404
    for chart in CHARTS:
        assert get(client, f"/dashboards/data/{chart}/", division=division).status_code == 404, chart


def test_an_unknown_division_is_a_404(registry, login):
    assert get(login(registry["province"]), "/dashboards/", division="459999000000").status_code == 404


def test_a_county_opens_its_streets_and_communities_with_breadcrumbs_from_the_county(registry, login):
    client = login(registry["county"])
    response = get(client, "/dashboards/", division=XINGNING)
    assert response.status_code == 200
    crumbs = parse(response.content).find("ol").all(tag="li")
    assert [li.text() for li in crumbs] == ["兴宁区", "民生街道", "兴宁社区居委会"]
    assert crumbs[0].find("a")["href"] == f"/dashboards/?division={COUNTY}&as_of=2025-06-30"


def test_no_foreign_name_appears_on_the_county_page_or_in_its_json(registry, login):
    client = login(registry["county"])
    bodies = [get(client, "/dashboards/").content.decode()]
    bodies += [get(client, f"/dashboards/data/{chart}/").content.decode() for chart in CHARTS]
    for body in bodies:
        for name in FOREIGN_NAMES:
            assert name not in body
        assert "\\u9752\\u79c0" not in body  # 青秀, as JSON escapes it


def test_a_street_sees_nothing_of_its_sibling_street(registry, login):
    client = login(registry["street"])
    body = get(client, "/dashboards/").content.decode()
    body += get(client, "/dashboards/data/gaps/").content.decode()
    for name in ("朝阳", "虎邱", "\\u671d\\u9633"):
        assert name not in body


def test_an_account_without_a_division_sees_no_dashboard(registry, login):
    from cso.accounts.choices import Role

    orphan = make_user("orphan", Role.CIVIL_AFFAIRS, None)
    client = login(orphan)
    assert get(client, "/dashboards/").status_code == 404
    assert get(client, "/dashboards/data/trend/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(registry, client):
    response = client.get("/dashboards/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get("/dashboards/data/gaps/").status_code == 302


def test_the_national_view_is_for_national_accounts_only(registry, login):
    assert get(login(registry["county"]), "/dashboards/", division="000000000000").status_code == 404
    response = get(login(registry["superuser"]), "/dashboards/", division="000000000000")
    assert response.status_code == 200
    assert "全国社区社会组织培育发展看板" in response.content.decode()
