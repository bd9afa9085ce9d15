"""The dashboard page: the numbers of each level from the small registry (see conftest), gap colours,
the lists behind the numbers and the cultivation to-do list."""

import re
from datetime import date

import pytest
from django.utils import timezone

from cso.stats.models import Target

from .conftest import BEINING, CHAOYANG, COUNTY, DAY, GUANQIAO, HUQIU, STREET, STREET_2, XINGNING
from .html import parse

pytestmark = pytest.mark.django_db


def page(client, **params):
    response = client.get("/dashboards/", {"as_of": DAY.isoformat(), **params})
    assert response.status_code == 200
    return response, parse(response.content)


def text(soup, testid):
    return soup.by_testid(testid).text()


def card(soup, key):
    return soup.by_testid(f"card-{key}")


def test_a_county_clerk_sees_the_hand_computed_figures_of_the_county(registry, login):
    _, soup = page(login(registry["county"]))
    assert "兴宁区" in text(soup, "dashboard-title")
    assert "居委会为城市社区" in text(soup, "dashboard-basis")
    assert text(soup, "value-per_10k") == "0.91"  # 1 × 10000 / 11000
    assert text(soup, "value-avg_urban") == "4.33"  # 13 / 3
    assert text(soup, "value-avg_rural") == "3.00"  # 6 / 2
    assert text(soup, "value-communities_at_target_share") == "40.0"  # 2 / 5
    assert text(soup, "value-facility_share") == "60.0"  # 3 / 5
    assert text(soup, "value-incubation_bases") == "0"
    assert text(soup, "part-per_10k-orgs_registered") == "1"
    assert text(soup, "part-per_10k-population") == "11,000"
    assert text(soup, "part-avg_urban-cso_urban") == "13"
    assert text(soup, "part-avg_rural-communities_rural") == "2"
    assert text(soup, "composition-total") == "19"


def test_targets_show_their_value_gap_and_source(registry, login):
    _, soup = page(login(registry["county"]))
    assert "≥ 6.5" in text(soup, "target-per_10k")
    assert "政策默认值" in text(soup, "target-per_10k")
    assert text(soup, "gap-per_10k") == "差 5.59个/万人"
    assert text(soup, "gap-avg_urban") == "差 5.67个/社区"
    assert text(soup, "gap-avg_rural") == "差 2个/村"
    assert text(soup, "gap-facility_share") == "差 40%"  # target 100 % from 2023
    assert "1–2" in text(soup, "target-incubation_bases")
    assert text(soup, "gap-incubation_bases") == "差 1个"


def test_unmet_targets_are_red_and_met_targets_green(registry, login):
    _, soup = page(login(registry["county"]))
    assert "dash-unmet" in card(soup, "avg_urban").classes
    assert "text-bg-danger" in soup.by_testid("gap-avg_urban").classes
    # 兴宁社区 has 11 community organizations: its own dashboard meets the urban target of 10.
    _, soup = page(login(registry["community"]))
    assert text(soup, "value-avg_urban") == "11.00"
    assert "dash-met" in card(soup, "avg_urban").classes
    assert text(soup, "gap-avg_urban") == "已达标"
    assert "text-bg-success" in soup.by_testid("gap-avg_urban").classes


def test_a_target_set_by_the_city_is_inherited_and_named(registry, login):
    Target.objects.create(division_id="450100000000", year=2025, key="avg_urban", value=4)
    _, soup = page(login(registry["county"]))
    assert "≥ 4" in text(soup, "target-avg_urban")
    assert "南宁市" in text(soup, "target-avg_urban")
    assert text(soup, "gap-avg_urban") == "已达标"


def test_a_street_clerk_sees_the_street_and_its_communities_only(registry, login):
    _, soup = page(login(registry["street"]))
    assert "民生街道" in text(soup, "dashboard-title")
    assert text(soup, "composition-total") == "14"  # 11 + 2 + 1
    assert text(soup, "value-avg_urban") == "6.50"  # 13 / 2
    rows = {tr["data-testid"] for tr in soup.all(lambda n: n.get("data-testid", "").startswith("child-"))}
    assert rows == {f"child-{XINGNING}", f"child-{BEINING}", f"child-{GUANQIAO}"}


def test_the_county_page_lists_its_streets_with_their_numbers(registry, login):
    _, soup = page(login(registry["county"]))
    first = soup.by_testid(f"child-{STREET}")
    second = soup.by_testid(f"child-{STREET_2}")
    assert first.find("th").text() == "民生街道"
    assert first.find("th").find("a")["href"] == f"/dashboards/?division={STREET}&as_of={DAY.isoformat()}"
    assert first.find("td").text() == "14"
    assert second.find("td").text() == "5"


def test_the_province_and_a_national_account_see_their_own_levels(registry, login):
    _, soup = page(login(registry["province"]))
    assert "广西壮族自治区" in text(soup, "dashboard-title")
    assert text(soup, "composition-total") == "22"  # 19 in 兴宁区 + 3 in 青秀区
    assert text(soup, "part-per_10k-population") == "21,000"
    assert soup.by_testid("child-450100000000") is not None
    _, soup = page(login(registry["superuser"]))
    assert "全国" in text(soup, "dashboard-title")
    assert soup.by_testid("child-450000000000") is not None


def test_the_cultivation_list_puts_the_furthest_community_first_with_what_it_lacks(registry, login):
    _, soup = page(login(registry["county"]))
    rows = soup.by_testid("todo").find("tbody").all(tag="tr")
    assert [tr["data-testid"] for tr in rows] == [f"todo-{CHAOYANG}", f"todo-{BEINING}", f"todo-{GUANQIAO}"]
    cells = [td.text() for td in rows[1].all(tag="td")]
    assert cells[:4] == ["城市社区", "2", "10", "8"]
    assert "文体娱乐" not in cells[4] and "公益慈善" not in cells[4]
    assert "居民互助" in cells[4]
    lacking = set(cells[5].split("、"))  # whole terms: 困境儿童 and 农村留守老年人 are terms of their own
    assert "老年人" not in lacking and "儿童" not in lacking
    assert "妇女" in lacking
    # Communities at target (兴宁, 虎邱) are not on the list.
    assert soup.by_testid(f"todo-{HUQIU}") is None
    assert soup.by_testid(f"todo-{XINGNING}") is None
    link = soup.by_testid("todo-all")["href"]
    assert link.startswith("/stats/communities/?") and "at_target=no" in link and f"division={COUNTY}" in link


def test_when_every_community_is_at_target_the_list_says_so(registry, login):
    _, soup = page(login(registry["community"]))
    assert soup.by_testid("todo-empty") is not None


def orgs_in_list(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return len(response.context["page"].rows)


def test_each_count_links_to_the_organization_list_with_the_same_count(registry, login):
    client = login(registry["county"])
    _, soup = page(client)
    checks = {
        "part-per_10k-orgs_registered": 1,
        "composition-total": 19,
        "category-culture_sports": 11,  # 10 in 兴宁 + 1 in 北宁 (the 官桥 one ended)
        "category-charity": 2,
        f"todo-count-{BEINING}": 2,
        f"todo-count-{CHAOYANG}": 0,
    }
    for testid, expected in checks.items():
        link = soup.by_testid(testid)
        assert link.tag == "a", testid
        assert int(link.text()) == expected, testid
        assert link["href"].startswith("/orgs/?"), testid
        assert "as_of=2025-06-30" in link["href"], testid
        assert orgs_in_list(client, link["href"]) == expected, testid


def test_every_number_on_a_card_is_a_link_except_where_no_list_exists(registry, login):
    _, soup = page(login(registry["county"]))
    for key in ("per_10k", "avg_urban", "avg_rural", "communities_at_target_share", "facility_share"):
        assert soup.by_testid(f"value-{key}").tag == "a", key
        for part in card(soup, key).find("ul").all(tag="li"):
            assert part.find("a") is not None, (key, part.text())


def test_an_earlier_date_shows_the_registry_as_it_was(registry, login):
    client = login(registry["county"])
    # Before 北宁's second group was filed (2025-05-01) and before 官桥's deregistration (2025-05-10).
    _, soup = page(client, as_of="2025-04-30")
    assert text(soup, "composition-total") == "19"  # 北宁 −1, 官桥 +1
    assert text(soup, "part-avg_rural-cso_rural") == "7"
    _, soup = page(client, as_of="2025-05-10")
    assert text(soup, "part-avg_rural-cso_rural") == "6"
    assert text(soup, "part-avg_urban-cso_urban") == "13"


@pytest.mark.parametrize("value,message", [
    ("2025-13-40", "格式不正确"),
    ("2999-01-01", "不能晚于今天"),
])
def test_an_unusable_date_falls_back_to_today_with_a_message(registry, login, value, message):
    response = login(registry["county"]).get("/dashboards/", {"as_of": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["day"] == timezone.localdate()


def test_the_page_draws_charts_from_local_scripts_only(registry, login):
    response, soup = page(login(registry["county"]))
    scripts = [s.get("src") for s in soup.all(tag="script") if s.get("src")]
    assert any(src.endswith("vendor/echarts/echarts.min.js") for src in scripts)
    assert any(src.endswith("cso/dashboards/dashboards.js") for src in scripts)
    inline = [s for s in soup.all(tag="script") if not s.get("src") and s.get("type") != "application/json"]
    assert inline == []
    assert not re.search(r'\sstyle="', response.content.decode())
    assert soup.by_id("gaps-data") is not None and soup.by_id("composition-data") is not None
    # One gap chart per target indicator; incubation bases are charted only for counties' children.
    gap_charts = soup.all(lambda n: n.get("data-chart") == "gap")
    assert [n["data-testid"] for n in gap_charts] == [
        "chart-gap-per_10k", "chart-gap-avg_urban", "chart-gap-avg_rural", "chart-gap-facility_share"]


def test_a_dashboard_page_uses_a_bounded_number_of_queries(registry, login, django_assert_max_num_queries):
    client = login(registry["county"])
    # +2 since the navigation asks the responsibilities table through has_perm: Django's ModelBackend then loads
    # the account's model permissions (two queries, once per request, cached on the user); +1: the bell's unread count
    with django_assert_max_num_queries(34):
        client.get("/dashboards/", {"as_of": DAY.isoformat()})


def test_the_full_cultivation_list_holds_the_same_communities_in_the_same_order(registry, login):
    client = login(registry["county"])
    _, soup = page(client)
    shown = [tr["data-testid"].removeprefix("todo-") for tr in soup.by_testid("todo").find("tbody").all(tag="tr")]
    response = client.get(soup.by_testid("todo-all")["href"])
    assert response.status_code == 200
    assert [row.code for row in response.context["rows"]] == shown


def test_a_ratio_links_to_the_community_list_with_the_same_communities(registry, login):
    client = login(registry["county"])
    _, soup = page(client)
    response = client.get(soup.by_testid("part-avg_urban-communities_urban")["href"])
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 3
    response = client.get(soup.by_testid("value-communities_at_target_share")["href"])
    assert sorted(row.code for row in response.context["rows"]) == [XINGNING, HUQIU]


def test_provincial_figures_are_cached_briefly_and_say_when_they_were_computed(registry, login):
    from cso.orgs.tests.factories import make_filed

    _, soup = page(login(registry["province"]))
    assert text(soup, "composition-total") == "22"
    assert "数据计算于" in text(soup, "generated-at")
    make_filed(registry["street"], division=BEINING, name="北宁新队", filed_on=date(2024, 1, 15))
    _, soup = page(login(registry["province"]))
    assert text(soup, "composition-total") == "22"  # served from the cache
    _, soup = page(login(registry["city"]))
    assert text(soup, "composition-total") == "23"  # a city is always computed fresh
    assert soup.by_testid("generated-at") is None
