"""Row-value keyset conditions, the order-index probe of a name search, the scope a short national
search needs, and the detail page's history timeline in a fixed number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cso.orgs import queries, services
from cso.orgs.history import timeline
from cso.orgs.models import Organization

from .factories import COMMUNITY_2, make_filed

LIST = reverse("orgs:list")
API = "/api/orgs/"


def test_the_default_order_pages_with_one_row_value_comparison(db):
    sort = queries.get_sort(queries.DEFAULT_SORT)
    sql = str(Organization.objects.filter(queries.keyset_q(sort, ["450102001003", "舞蹈队", 7])).query)
    assert '("orgs_organization"."division_id", "orgs_organization"."name", "orgs_organization"."id") >' in sql
    back = str(Organization.objects.filter(queries.keyset_q(sort, ["450102001003", "舞蹈队", 7], True)).query)
    assert '"orgs_organization"."id") <' in back
    descending = queries.get_sort("-division")
    assert '"orgs_organization"."id") <' in str(
        Organization.objects.filter(queries.keyset_q(descending, ["450102001003", "舞蹈队", 7])).query)


def test_sorts_with_nullable_keys_keep_the_or_form(db):
    sort = queries.get_sort("founded")
    sql = str(Organization.objects.filter(queries.keyset_q(sort, [date(2020, 1, 1), 7])).query)
    assert "IS NULL" in sql and ") > (" not in sql


def test_a_row_value_comparison_selects_exactly_the_rows_after_the_key(cast):
    for name, division in (("乙队", None), ("甲队", None), ("乙队", COMMUNITY_2), ("丙队", COMMUNITY_2)):
        make_filed(cast["street"], name=name, **({"division": division} if division else {}))
    sort = queries.get_sort(queries.DEFAULT_SORT)
    ordered = list(queries.order(Organization.objects.all(), sort).values_list("division_id", "name", "id"))
    for i, key in enumerate(ordered):
        after = Organization.objects.filter(queries.keyset_q(sort, list(key)))
        before = Organization.objects.filter(queries.keyset_q(sort, list(key), backwards=True))
        assert list(queries.order(after, sort).values_list("division_id", "name", "id")) == ordered[i + 1:]
        assert list(queries.order(before, sort).values_list("division_id", "name", "id")) == ordered[:i]


def _timeout():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout'), current_setting('enable_bitmapscan')")
        return cursor.fetchone()


def test_a_search_page_is_the_same_with_the_order_probe(cast):
    for i in range(7):
        make_filed(cast["street"], name=f"太极拳队{i}")
        make_filed(cast["street"], name=f"广场舞队{i}")
    sort = queries.get_sort(queries.DEFAULT_SORT)
    qs = Organization.objects.filter(queries.search_q("太极拳"))
    if connection.vendor == "postgresql":
        settings_before = _timeout()
    plain = queries.paginate(qs, sort=sort, per_page=3)
    probed = queries.paginate(qs, sort=sort, per_page=3, probe_order=True)
    assert [o.pk for o in probed.rows] == [o.pk for o in plain.rows]
    assert probed.next_cursor == plain.next_cursor
    nxt = queries.paginate(qs, sort=sort, per_page=3, probe_order=True, after=probed.next_cursor)
    assert [o.pk for o in nxt.rows] == [o.pk for o in queries.paginate(qs, sort=sort, per_page=3,
                                                                        after=plain.next_cursor).rows]
    if connection.vendor == "postgresql":
        assert _timeout() == settings_before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the probe runs on PostgreSQL only")
def test_a_probe_that_times_out_falls_back_and_restores_the_settings(cast):
    make_filed(cast["street"], name="太极拳队")
    settings_before = _timeout()
    slow = Organization.objects.filter(name__contains="太极拳").extra(where=["(SELECT 1 FROM pg_sleep(0.1)) = 1"])
    keys = slow.order_by("division_id", "name", "id").values("division_id", "name", "id")[:51]
    assert queries._probe_order_walk(keys) is None
    assert _timeout() == settings_before
    page = queries.paginate(slow, sort=queries.get_sort(None), probe_order=True)
    assert [o.name for o in page.rows] == ["太极拳队"]
    assert _timeout() == settings_before


def test_a_national_user_needs_a_division_for_a_two_character_term(cast, login):
    make_filed(cast["street"], name="兴宁社区腰鼓队")
    client = login(cast["superuser"])
    response = client.get(LIST, {"q": "腰鼓"})
    assert response.status_code == 200
    assert response.context["page"].rows == []
    assert "检索词至少 3 个字" in response.content.decode()
    assert client.get(API, {"q": "腰鼓"}).status_code == 422
    with_division = client.get(LIST, {"q": "腰鼓", "division": "45"})
    assert [o.name for o in with_division.context["page"].rows] == ["兴宁社区腰鼓队"]
    assert "检索词至少 3 个字" not in with_division.content.decode()
    assert [o.name for o in client.get(LIST, {"q": "社区腰鼓"}).context["page"].rows] == ["兴宁社区腰鼓队"]
    assert [i["name"] for i in client.get(API, {"q": "腰鼓", "division": "45"}).json()["items"]] == ["兴宁社区腰鼓队"]


def test_a_scoped_user_searches_two_characters_without_choosing_a_division(cast, login):
    make_filed(cast["street"], name="兴宁社区腰鼓队")
    response = login(cast["county"]).get(LIST, {"q": "腰鼓"})
    assert [o.name for o in response.context["page"].rows] == ["兴宁社区腰鼓队"]
    assert "检索词至少 3 个字" not in response.content.decode()


def _edit(org, user, n):
    base = org.name
    for i in range(n):
        services.update_organization(org, {"name": f"{base}改{i}", "categories": ["culture_sports", "charity"]
                                           if i % 2 else ["culture_sports"]}, user, reason=f"第{i}次")


def test_the_history_timeline_takes_a_fixed_number_of_queries(cast):
    short, long = make_filed(cast["street"], name="甲舞蹈队"), make_filed(cast["street"], name="乙舞蹈队")
    _edit(short, cast["street"], 2)
    _edit(long, cast["street"], 9)
    with CaptureQueriesContext(connection) as few:
        short_changes, more = timeline(short)
    with CaptureQueriesContext(connection) as many:
        long_changes, _ = timeline(long)
    assert len(many) == len(few) <= 6
    assert not more and short_changes
    assert [c.new for c in long_changes if c.field == "name"][-1] == "乙舞蹈队改8"
    assert sum(c.field == "categories" for c in long_changes) == 9


def test_the_detail_page_shows_the_latest_changes_and_a_link_to_all(cast, login, monkeypatch):
    from cso.orgs import views

    monkeypatch.setattr(views, "TIMELINE_RECORDS", 3)
    org = make_filed(cast["street"], name="甲舞蹈队")
    _edit(org, cast["street"], 6)
    client = login(cast["street"])
    url = reverse("orgs:detail", args=[org.uid])
    body = client.get(url).content.decode()
    # the newest 3 history records (a save of the fields and one of the categories are 2 records)
    assert "甲舞蹈队改5" in body and "第4次" in body and "第0次" not in body
    assert 'data-testid="history-more"' in body and "最近 3 次修改" in body
    full = client.get(url, {"history": "all"}).content.decode()
    assert "第0次" in full and 'data-testid="history-more"' not in full
    changes, more = timeline(org, 3)
    assert more and {c.reason for c in changes} <= {"第4次", "第5次"}
    assert len({c.when for c in changes}) == 3
