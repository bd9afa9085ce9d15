"""Keyset pagination: every row exactly once across pages, both directions, in every sort; page
number jumps; the count is capped."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cso.orgs import queries
from cso.orgs.models import Organization
from cso.orgs.services import first_span

LIST = reverse("orgs:list")


@pytest.fixture
def many(cast):
    """123 organizations with duplicate names and missing dates, made quickly with bulk_create."""
    divisions = ["450102001003", "450102001004", "450102002001"]
    objs = []
    for i in range(123):
        objs.append(Organization(
            name=f"测试组织{i % 40:02d}", track="filed", org_type="activity_team", tier="community",
            division_id=divisions[i % 3], filed_on=date(2021, 1, 1) + timedelta(days=i % 7),
            founded_on=None if i % 4 == 0 else date(2020, 1, 1) + timedelta(days=i % 11),
            status="active" if i % 5 else "abnormal",
        ))
    for org in objs:
        org.name_pinyin, org.name_initials = "ceshizuzhi", "cszz"
    created = Organization.objects.bulk_create(objs)
    from cso.orgs.models import OrgStateSpan

    OrgStateSpan.objects.bulk_create([first_span(o) for o in created])
    return created


def walk(client, sort, backwards_check=True):
    seen = []
    url = f"{LIST}?sort={sort}"
    pages = []
    while url:
        response = client.get(url)
        page = response.context["page"]
        pages.append(page)
        seen.extend(o.pk for o in page.rows)
        url = f"{LIST}?sort={sort}&after={page.next_cursor}" if page.has_next else None
    if backwards_check:
        # walk back from the last page with the "previous" cursors
        back = []
        page = pages[-1]
        back.extend(reversed([o.pk for o in page.rows]))
        while page.has_previous and page.previous_cursor:
            page = client.get(f"{LIST}?sort={sort}&before={page.previous_cursor}").context["page"]
            back.extend(reversed([o.pk for o in page.rows]))
        assert list(reversed(back)) == seen
    return seen


@pytest.mark.parametrize("sort", sorted(queries.SORTS))
def test_keyset_pages_return_every_row_exactly_once_in_order(many, cast, login, sort):
    client = login(cast["county"])
    seen = walk(client, sort)
    assert len(seen) == len(set(seen)) == 123
    expected = list(queries.order(Organization.objects.all(), queries.get_sort(sort)).values_list("pk", flat=True))
    assert seen == expected


def test_a_page_number_jump_matches_the_keyset_walk(many, cast, login):
    client = login(cast["county"])
    seen = walk(client, "name", backwards_check=False)
    page3 = client.get(f"{LIST}?sort=name&page=3").context["page"]
    assert [o.pk for o in page3.rows] == seen[100:123]
    assert page3.number == 3 and page3.num_pages == 3 and page3.count == 123
    # following "next" from a numbered page continues without gaps
    page2 = client.get(f"{LIST}?sort=name&page=2").context["page"]
    after = client.get(f"{LIST}?sort=name&after={page2.next_cursor}").context["page"]
    assert [o.pk for o in after.rows] == seen[100:123]


def test_a_bad_cursor_or_page_falls_back_to_the_first_page(many, cast, login):
    client = login(cast["county"])
    first = [o.pk for o in client.get(LIST).context["page"].rows]
    for query in ("?after=garbage", "?before=%%%", "?page=abc", "?page=-4"):
        response = client.get(LIST + query)
        assert response.status_code == 200
        assert [o.pk for o in response.context["page"].rows] == first


def test_the_count_is_capped_on_large_sets(many, cast, login, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_CAP", 100)
    response = login(cast["county"]).get(LIST)
    assert response.context["page"].count is None
    assert "超过" in response.content.decode()


def test_a_street_clerk_pages_only_through_the_street(many, cast, login):
    client = login(cast["street"])
    seen = walk(client, "division", backwards_check=False)
    assert len(seen) == 82
    assert not Organization.objects.filter(pk__in=seen, division_id="450102002001").exists()
