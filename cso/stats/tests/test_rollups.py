"""National and provincial roll-ups run in the task worker, never in the request: the first visit
shows a notice that polls until the worker has computed the result; afterwards every web process
serves the kept result, and a stale one while the worker computes anew."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cso.orgs.tests.factories import make_filed
from cso.stats import rollups
from cso.stats.indicators import compute_cached
from cso.stats.models import RollUp

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.tasks]

PROVINCE = "450000000000"
D = date(2025, 6, 30)


def live(result):
    return result.parent.values["orgs_live"]


@pytest.fixture
def registry(cast):
    make_filed(cast["street"], name="兴宁社区太极拳队", filed_on=date(2024, 3, 1))


def test_a_provincial_page_waits_for_the_worker_then_shows_the_result(registry, cast, login, task_worker):
    client = login(cast["province"])
    page = client.get(reverse("stats:indicators"), {"as_of": D.isoformat()})
    body = page.content.decode()
    rollup = RollUp.objects.get()
    assert 'data-testid="rollup-pending"' in body and reverse("stats:rollup", args=[rollup.pk]) in body
    assert rollup.payload is None and rollup.parent_code == PROVINCE
    poll = client.get(reverse("stats:rollup", args=[rollup.pk]), headers={"HX-Request": "true"})
    assert poll.status_code == 204  # not yet: the notice polls again
    client.get(reverse("stats:indicators"), {"as_of": D.isoformat()})  # a second visit asks no second time
    task_worker()
    poll = client.get(reverse("stats:rollup", args=[rollup.pk]), headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"
    body = client.get(reverse("stats:indicators"), {"as_of": D.isoformat()}).content.decode()
    assert 'data-testid="computed-at"' in body and "rollup-pending" not in body


def test_a_stale_result_is_served_while_the_worker_computes_a_new_one(registry, cast, task_worker):
    rollups.ask(PROVINCE, D, date(2025, 4, 1))
    task_worker()
    first, first_at = compute_cached(PROVINCE, D, user=cast["province"])
    make_filed(cast["street"], name="兴宁社区新建合唱团", filed_on=date(2025, 1, 5))
    rollups.cache.clear()
    two_days_ago = timezone.now() - timedelta(days=2)
    RollUp.objects.update(requested_at=two_days_ago, computed_at=two_days_ago + timedelta(seconds=5))  # expired
    stale, stale_at = compute_cached(PROVINCE, D, user=cast["province"])
    assert live(stale) == live(first)  # served at once, with the time it was computed
    assert stale_at < first_at
    task_worker()
    rollups.cache.clear()
    fresh, _ = compute_cached(PROVINCE, D, user=cast["province"])
    assert live(fresh) == live(first) + 1


def test_a_county_result_is_computed_in_the_request(registry, cast, task_worker):
    result, at = compute_cached("450102000000", D, user=cast["county"])
    assert at is None and live(result) == 1 and not RollUp.objects.exists()


def test_a_roll_up_outside_the_users_scope_is_not_found(registry, cast, login, task_worker):
    login(cast["province"]).get(reverse("stats:indicators"), {"as_of": D.isoformat()})
    rollup = RollUp.objects.get()
    for other in ("county", "outsider_county", "street"):
        assert login(cast[other]).get(reverse("stats:rollup", args=[rollup.pk])).status_code == 404


def test_a_national_dashboard_waits_for_the_worker_too(registry, cast, login, task_worker):
    client = login(cast["superuser"])
    body = client.get(reverse("dashboards:home"), {"as_of": D.isoformat()}).content.decode()
    assert 'data-testid="rollup-pending"' in body
    task_worker()
    page = client.get(reverse("dashboards:home"), {"as_of": D.isoformat()})
    assert page.status_code == 200 and "rollup-pending" not in page.content.decode()



def test_the_api_answers_202_while_a_provincial_roll_up_is_computed(registry, cast, login, task_worker):
    client = login(cast["province"])
    response = client.get("/api/stats/indicators", {"as_of": D.isoformat()})
    assert response.status_code == 202 and response.json()["retry_after"] > 0
    task_worker()
    response = client.get("/api/stats/indicators", {"as_of": D.isoformat()})
    assert response.status_code == 200 and response.json()["total"]["values"]["orgs_live"] == 1

@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_large_community_list_is_exported_in_the_background_as_the_same_file(registry, cast, login, settings,
                                                                                 fmt):
    from cso.core.models import Job, JobStatus

    client = login(cast["county"])
    query = {"division": "450102000000", "as_of": D.isoformat(), "format": fmt}
    small = client.get(reverse("stats:communities"), query).content
    settings.CSO_EXPORT_SYNC_ROWS = 1
    response = client.get(reverse("stats:communities"), query)
    job = Job.objects.get()
    assert response.url == reverse("core:job", args=[job.pk])
    assert job.status == JobStatus.DONE  # run inline (the immediate backend)
    if fmt == "csv":
        assert bytes(job.result) == small
    else:  # the same cells (the file itself carries the time it was written)
        import io

        from openpyxl import load_workbook

        def cells(data):
            return list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))

        assert cells(bytes(job.result)) == cells(small)
    assert login(cast["outsider_county"]).get(reverse("core:job_download", args=[job.pk])).status_code == 404
