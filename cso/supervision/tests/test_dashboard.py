"""监管看板: the figures of a county (annual reports, inspection coverage, credit lists), drill-down links, the
division picker inside the subtree (404 outside), 尚未开展 for parts not yet there, and a bounded query count."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cso.orgs.tests.factories import make_registered
from cso.supervision import dashboard
from cso.supervision.models import AnnualReport, AnnualState, ListEntry

pytestmark = pytest.mark.django_db
URL = "/supervision/dashboard/"


def _orgs(cast, n, tag="A"):
    year = timezone.localdate().year - 1
    orgs = [make_registered(cast["superuser"], name=f"兴宁区监管看板协会{tag}{i:02d}",
                            registered_on=date(year - 2, 3, 1))
            for i in range(n)]
    AnnualReport.objects.create(organization=orgs[0], year=year, due_on=date(year + 1, 5, 31),
                                state=AnnualState.SUBMITTED, submitted_at=timezone.now(), late=True)
    ListEntry.objects.create(organization=orgs[1], credit_list="abnormal", state="confirmed",
                             entered_on=date(year, 3, 1), reason_code="unreachable", basis="测试", chain=[])
    return orgs


def test_the_county_sees_its_figures_with_links_to_the_lists(cast, client):
    _orgs(cast, 3)
    client.force_login(cast["county"])
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    panels = {p.key: p for p in response.context["panels"]}
    annual = {f["label"]: f["value"] for f in panels["annual"].figures}
    assert annual["应报"] == 3 and annual["已报送"] == 1 and annual["逾期报送"] == 1
    assert annual["未报送"] == 2 or annual.get("尚未报送") == 2
    credit = {f["label"]: f["value"] for f in panels["credit"].figures}
    assert credit["活动异常名录（已列入）"] == 1 and credit["严重违法失信名单（已列入）"] == 0
    assert "tab=missing" in page and reverse("supervision:credit_entries") in page
    assert reverse("supervision:inspection_plans") in page
    inspection = {f["label"]: f["value"] for f in panels["inspection"].figures}
    assert inspection["本级登记的组织"] == 3 and inspection["已抽取的组织"] == 0
    assert 'data-testid="not-started-grades"' in page or panels["grades"].started
    assert 'data-testid="not-started-zombies"' in page or panels["zombies"].started
    assert "vendor/echarts/echarts.min.js" in page


def test_the_picker_stays_inside_the_subtree(cast, client):
    client.force_login(cast["county"])
    assert client.get(URL, {"division": "450102001000"}).status_code == 200  # a street of the county
    assert client.get(URL, {"division": "440103000000"}).status_code == 404  # another province
    client.force_login(cast["organization"])
    assert client.get(URL).status_code in (403, 404)


@pytest.mark.django_db
def test_models_of_other_parts_are_read_only_when_they_exist(monkeypatch):
    monkeypatch.setattr(dashboard, "GRADE_MODEL", "NoSuchModel")
    assert not dashboard.grade_panel(None).started
    assert not dashboard.zombie_panel(None).started  # no zombie scan has run yet
    monkeypatch.setattr(dashboard, "GRADE_MODEL", "ListEntry")  # a stand-in with no grade field: a count
    panel = dashboard.grade_panel(None)
    assert panel.started and panel.figures[0]["label"] == "评估记录"


def test_the_number_of_queries_does_not_grow_with_the_registry(cast, client):
    _orgs(cast, 2)
    client.force_login(cast["county"])
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    _orgs(cast, 6, "B")
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    assert len(large) == len(small) <= 30
