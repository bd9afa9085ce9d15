"""Search by name or code prefix, always inside the account's own subtree."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cso.regions.models import Division


def search(client, **params):
    return client.get(reverse("regions:search"), params)


def result_codes(response) -> list[str]:
    return re.findall(r'<tr data-code="(\d{12})"', response.content.decode())


def test_a_name_search_finds_communities_in_ones_own_county_only(cast, login):
    codes = result_codes(search(login(cast["county"]), q="社区"))
    assert codes == ["450102001003", "450102001004", "450102002001"]


def test_a_sibling_street_clerk_never_sees_the_other_streets_rows(cast, login):
    codes = result_codes(search(login(cast["outsider_street"]), q="社区"))
    assert codes == ["450102002001"]


def test_a_digit_query_is_a_code_prefix(cast, login):
    codes = result_codes(search(login(cast["county"]), q="450102001"))
    assert codes == ["450102001000", "450102001003", "450102001004", "450102001201"]


def test_a_code_prefix_outside_ones_scope_finds_nothing_and_explains_why(cast, login):
    response = search(login(cast["county"]), q="450103")
    assert result_codes(response) == []
    body = response.content.decode()
    assert "没有找到符合条件的区划" in body
    assert "区划代码的前几位" in body


def test_results_show_the_full_path(cast, login):
    body = search(login(cast["county"]), q="北宁").content.decode()
    assert "广西壮族自治区 / 南宁市 / 兴宁区 / 民生街道" in body


def test_the_level_filter_keeps_one_level(cast, login):
    codes = result_codes(search(login(cast["city"]), level="4"))
    assert codes == ["450102001000", "450102002000", "450103001000"]


def test_abolished_divisions_are_found_only_when_asked_for(cast, login):
    street = Division.objects.get(code="450102001000")
    Division.objects.create(
        code="450102001005",
        name="旧城社区居委会",
        level=5,
        parent=street,
        edition=2022,
        first_edition=2010,
        abolished_in=2023,
    )
    client = login(cast["county"])
    assert result_codes(search(client, q="旧城")) == []
    response = search(client, q="旧城", include_abolished="on")
    assert result_codes(response) == ["450102001005"]
    assert "已撤销（2023年）" in response.content.decode()


def test_an_empty_search_shows_a_hint_instead_of_everything(cast, login):
    response = search(login(cast["province"]))
    assert result_codes(response) == []
    assert "请输入名称或区划代码开始检索" in response.content.decode()


def test_a_superuser_searches_the_whole_country(cast, login):
    codes = result_codes(search(login(cast["superuser"]), q="城中"))
    assert codes == ["450202000000", "450202001000"]


def test_results_are_paginated(cast, login, settings):
    settings.CSO_PAGE_SIZE = 2
    client = login(cast["county"])
    first = search(client, q="社区")
    second = search(client, q="社区", page="2")
    assert result_codes(first) == ["450102001003", "450102001004"]
    assert result_codes(second) == ["450102002001"]
    assert "共 3 条" in first.content.decode()


def test_paths_are_loaded_without_a_query_per_row(cast, login):
    client = login(cast["province"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = search(client, q="社区")
        assert response.status_code == 200
        return len(ctx.captured_queries), len(result_codes(response))

    before, rows_before = count()
    street = Division.objects.get(code="450202001000")
    for n in range(2, 22):
        Division.objects.create(
            code=f"450202001{n:03d}",
            name=f"测试{n}社区居委会",
            level=5,
            parent=street,
            edition=2023,
            first_edition=2023,
        )
    after, rows_after = count()
    assert rows_after == rows_before + 20
    assert after == before
