"""The division page: facts, figures, children with counts, history; foreign divisions are 404."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cso.regions.models import Division


def detail(client, code, **params):
    return client.get(reverse("regions:detail", args=[code]), params)


def child_counts(body: str) -> dict[str, dict[str, str]]:
    """{child code: {level: count}} read from the children table."""
    result = {}
    for code, row in re.findall(r'<tr data-code="(\d{12})"[^>]*>(.*?)</tr>', body, re.S):
        result[code] = dict(re.findall(r'data-level="(\d)">([\d,]+)<', row))
    return result


def breadcrumb_labels(body: str) -> list[str]:
    nav = re.search(r'<ol class="breadcrumb[^"]*">(.*?)</ol>', body, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", nav, re.S)]


def add_division(code, name, level, parent, **extra):
    return Division.objects.create(
        code=code, name=name, level=level, parent=parent, edition=2023, first_edition=2023, **extra
    )


# --- breadcrumbs -----------------------------------------------------------------------------


def test_breadcrumbs_start_at_the_county_for_a_county_clerk(cast, login):
    body = detail(login(cast["county"]), "450102001003").content.decode()
    assert breadcrumb_labels(body) == ["兴宁区", "民生街道", "兴宁社区居委会"]
    assert reverse("regions:detail", args=["450100000000"]) not in body


def test_breadcrumbs_start_at_the_province_for_a_province_clerk(cast, login):
    body = detail(login(cast["province"]), "450102001000").content.decode()
    assert breadcrumb_labels(body) == ["广西壮族自治区", "南宁市", "兴宁区", "民生街道"]


def test_breadcrumbs_start_at_the_whole_country_for_a_superuser(cast, login):
    body = detail(login(cast["superuser"]), "450100000000").content.decode()
    assert breadcrumb_labels(body) == ["全国", "广西壮族自治区", "南宁市"]


def test_the_parent_is_not_linked_above_the_clerks_own_division(cast, login):
    body = detail(login(cast["street"]), "450102001000").content.decode()
    assert "兴宁区" in body
    assert reverse("regions:detail", args=["450102000000"]) not in body


# --- scoping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("outsider_county", "450102000000"),
        ("outsider_county", "450102001003"),
        ("outsider_street", "450102001000"),
        ("outsider_street", "450102001003"),
        ("outsider_community", "450102001003"),
        ("street", "450102002000"),
        ("community", "450102001004"),
        ("county", "450100000000"),
        ("organization", "450102001004"),
    ],
)
def test_a_division_outside_ones_subtree_is_not_found(cast, login, who, code):
    assert detail(login(cast[who]), code).status_code == 404


def test_an_unknown_code_is_not_found(cast, login):
    assert detail(login(cast["province"]), "459999999999").status_code == 404


@pytest.mark.parametrize("who", ["province", "city", "county", "street", "community", "organization", "operator"])
def test_every_role_in_the_subtree_sees_the_community_page(cast, login, who):
    response = detail(login(cast[who]), "450102001003")
    assert response.status_code == 200
    assert "兴宁社区居委会" in response.content.decode()


def test_staff_see_the_edit_button_and_organizations_do_not(cast, login, client):
    edit_url = reverse("regions:edit", args=["450102001003"])
    assert edit_url in detail(login(cast["street"]), "450102001003").content.decode()
    client.logout()
    assert edit_url not in detail(login(cast["organization"]), "450102001003").content.decode()
    client.logout()
    assert edit_url not in detail(login(cast["operator"]), "450102001003").content.decode()


# --- facts -----------------------------------------------------------------------------------


def test_the_street_page_shows_code_level_and_unit_type(cast, login):
    body = detail(login(cast["county"]), "450102001000").content.decode()
    assert "450102001000" in body
    assert "乡级（街道、乡镇）" in body
    assert re.search(r'data-testid="unit-type">街道<', body)


def test_a_community_shows_both_urban_readings_side_by_side(cast, login):
    Division.objects.filter(code="450102001003").update(urban_rural_edition=2016)
    body = detail(login(cast["county"]), "450102001003").content.decode()
    assert "按委员会类型：城市社区（居委会）" in body
    assert "按城乡分类代码：111 主城区" in body
    assert "2016年版代用" in body


def test_a_village_committee_classified_as_urban_shows_that_the_readings_disagree(cast, login):
    body = detail(login(cast["county"]), "450102001201").content.decode()
    assert "按委员会类型：农村社区（村委会）" in body
    assert "按城乡分类代码：112 城乡结合区" in body
    assert 'data-testid="urban-mismatch"' in body


def test_an_abolished_division_links_to_its_successor(cast, login):
    old = add_division("450102001005", "旧城社区居委会", 5, Division.objects.get(code="450102001000"))
    Division.objects.filter(pk=old.pk).update(abolished_in=2023, successor_id="450102001003")
    body = detail(login(cast["county"]), "450102001005").content.decode()
    assert "已撤销" in body
    assert reverse("regions:detail", args=["450102001003"]) in body
    assert "兴宁社区居委会（450102001003）" in body


# --- figures ---------------------------------------------------------------------------------


def test_estimated_figures_carry_a_badge_and_a_request_to_check_them(cast, login):
    Division.objects.filter(code="450102001003").update(
        population=4200, households=1500, figures_source="estimate", figures_year=2020
    )
    body = detail(login(cast["street"]), "450102001003").content.decode()
    assert 'data-testid="estimate-badge"' in body
    assert "人口户数为按县级普查数据估算的数值，请核实填报" in body
    assert "4,200" in body


def test_census_figures_show_the_census_year(cast, login):
    Division.objects.filter(code="450102000000").update(
        population=464000, households=160000, figures_source="census", figures_year=2020
    )
    body = detail(login(cast["county"]), "450102000000").content.decode()
    assert "人口普查（2020年）" in body
    assert "464,000" in body
    assert 'data-testid="estimate-badge"' not in body


def test_facility_area_per_100_households_is_compared_with_the_standard(cast, login):
    Division.objects.filter(code="450102001003").update(households=1000, facility_area=250, population=3000)
    body = detail(login(cast["street"]), "450102001003").content.decode()
    assert "25.0 ㎡" in body
    assert "未达标" in body
    assert "每百户不少于 30 ㎡" in body


# --- children table --------------------------------------------------------------------------


def test_the_city_page_counts_streets_and_communities_per_county(cast, login):
    body = detail(login(cast["city"]), "450100000000").content.decode()
    counts = child_counts(body)
    assert counts == {
        "450102000000": {"4": "2", "5": "5"},
        "450103000000": {"4": "1", "5": "2"},
    }


def test_the_province_page_counts_every_lower_level_per_city(cast, login):
    counts = child_counts(detail(login(cast["province"]), "450000000000").content.decode())
    assert counts["450100000000"] == {"3": "2", "4": "3", "5": "7"}
    assert counts["450200000000"] == {"3": "1", "4": "1", "5": "1"}


def test_the_totals_row_adds_up_the_children(cast, login):
    body = detail(login(cast["city"]), "450100000000").content.decode()
    footer = re.search(r"<tfoot[^>]*>(.*?)</tfoot>", body, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", footer, re.S)]
    assert cells[:5] == ["合计", "2 个", "", "3", "7"]
    assert "居委会 5 · 村委会 2" in " ".join(cells)


def test_the_county_page_counts_residents_and_villagers_committees(cast, login):
    body = detail(login(cast["county"]), "450102000000").content.decode()
    row = re.search(r'<tr data-code="450102001000"[^>]*>(.*?)</tr>', body, re.S).group(1)
    assert "居委会 2" in row
    assert "村委会 1" in row


def test_abolished_children_are_hidden_unless_asked_for(cast, login):
    street = Division.objects.get(code="450102001000")
    old = add_division("450102001005", "旧城社区居委会", 5, street)
    Division.objects.filter(pk=old.pk).update(abolished_in=2023)
    client = login(cast["street"])
    assert "旧城社区居委会" not in detail(client, "450102001000").content.decode()
    shown = detail(client, "450102001000", abolished="1").content.decode()
    assert "旧城社区居委会" in shown
    assert "已撤销（2023年）" in shown


def test_abolished_grandchildren_are_not_counted(cast, login):
    street = Division.objects.get(code="450102001000")
    old = add_division("450102001005", "旧城社区居委会", 5, street)
    Division.objects.filter(pk=old.pk).update(abolished_in=2023)
    counts = child_counts(detail(login(cast["county"]), "450102000000").content.decode())
    assert counts["450102001000"] == {"5": "3"}


def test_community_figures_in_the_children_table_show_estimates(cast, login):
    Division.objects.filter(code="450102001004").update(population=3210, households=1100, figures_source="estimate")
    body = detail(login(cast["street"]), "450102001000").content.decode()
    row = re.search(r'<tr data-code="450102001004"[^>]*>(.*?)</tr>', body, re.S).group(1)
    assert "3,210" in row
    assert "估算" in row


def test_many_children_are_paginated_and_totals_cover_all_pages(cast, login, settings):
    settings.CSO_PAGE_SIZE = 10
    street = Division.objects.get(code="450102001000")
    for n in range(12):
        add_division(f"450102001{210 + n:03d}", f"新村{n}村委会", 5, street)
    client = login(cast["street"])
    first = detail(client, "450102001000").content.decode()
    second = detail(client, "450102001000", page=2).content.decode()
    assert len(re.findall(r'<tr data-code="', first)) == 10
    assert len(re.findall(r'<tr data-code="', second)) == 5
    assert "共 15 条" in first
    assert "15 个" in second  # totals row covers every page


# --- query counts ----------------------------------------------------------------------------


def _queries(client, code, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = detail(client, code, **params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_county_page_needs_few_queries(cast, login, django_assert_max_num_queries):
    client = login(cast["county"])
    with django_assert_max_num_queries(14):
        detail(client, "450102000000")


def test_the_number_of_queries_does_not_grow_with_the_number_of_children(cast, login):
    client = login(cast["city"])
    before = _queries(client, "450100000000")
    city = Division.objects.get(code="450100000000")
    for n in range(5, 25):
        county = add_division(f"4501{n:02d}000000", f"测试{n}区", 3, city)
        street = add_division(f"4501{n:02d}001000", f"测试{n}街道", 4, county)
        add_division(f"4501{n:02d}001001", f"测试{n}社区居委会", 5, street)
    after = _queries(client, "450100000000")
    assert after == before


def test_the_number_of_queries_does_not_grow_across_pages(cast, login, settings):
    settings.CSO_PAGE_SIZE = 3
    client = login(cast["street"])
    street = Division.objects.get(code="450102001000")
    for n in range(8):
        add_division(f"450102001{210 + n:03d}", f"新村{n}村委会", 5, street)
    first = _queries(client, "450102001000")
    second = _queries(client, "450102001000", page=2)
    assert first == second


def test_streets_without_own_figures_show_their_communities_sum_and_so_does_the_totals_row(cast, login):
    Division.objects.filter(code="450102001003").update(population=3000, households=1000)
    Division.objects.filter(code="450102002001").update(population=2000, households=700)
    body = detail(login(cast["county"]), "450102000000").content.decode()
    row = re.search(r'<tr data-code="450102001000"[^>]*>(.*?)</tr>', body, re.S).group(1)
    assert "3,000" in row
    assert "社区合计" in row
    footer = re.search(r"<tfoot[^>]*>(.*?)</tfoot>", body, re.S).group(1)
    assert "5,000" in footer
    assert "1,700" in footer
