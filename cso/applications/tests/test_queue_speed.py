"""The to-do page stays cheap with many cases: a fixed number of queries however many rows the page shows,
and the open-case index the count and the page read."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cso.applications.models import Application, State

COMMUNITIES = ["450102001003", "450102001004", "450102001201"]  # the three communities of 民生街道


def _cases(applicant, n, start=0):
    for i in range(start, start + n):
        state = State.SUBMITTED if i % 2 else State.ACCEPTED
        Application.objects.create(kind="filing", applicant=applicant, division_id=COMMUNITIES[i % 3],
                                   authority_division_id="450102001000", state=state, number=f"SQ2026-{i:06d}",
                                   due_on=date.today() + timedelta(days=i % 7), payload={"name": f"团队{i}"})


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.django_db
def test_the_queue_page_makes_the_same_queries_for_2_rows_and_for_a_full_page(cast, client):
    client.force_login(cast["street"])
    url = reverse("applications:queue")
    _cases(cast["organization"], 2)
    few, page = _queries(client, url)
    assert page.count('data-testid="todo-row"') == 2
    _cases(cast["organization"], 40, start=2)
    many, page = _queries(client, url)
    assert page.count('data-testid="todo-row"') == 20 and "1 / 3" in page
    assert many == few
    deep, page = _queries(client, url + "?page=3")
    assert deep == few and page.count('data-testid="todo-row"') == 2
    # the page keeps the queue's order: overdue first, then by deadline, then by id
    first_page = Application.objects.filter(state__in=[State.SUBMITTED, State.ACCEPTED]).order_by("due_on", "id")
    names = [a.payload["name"] for a in first_page[:20]]
    _count, page = _queries(client, url)
    assert [page.index(f"{n}</strong>") for n in names] == sorted(page.index(f"{n}</strong>") for n in names)


def test_the_open_cases_have_their_own_partial_index():
    index = next(i for i in Application._meta.indexes if i.name == "applications_queue_open")
    assert index.fields == ["authority_division", "due_on", "id"]
    states = set(dict(index.condition.children)["state__in"])
    assert states == {"submitted", "accepted", "needs_correction", "community_opinion"}
