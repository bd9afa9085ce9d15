"""Funding exports: the money view, the awards list and a programme's applications in ranking order. Small ones are
answered at once; above ``CSO_EXPORT_SYNC_ROWS`` the worker writes them (the job page offers the file to the account
that asked). No cell runs as a formula. Another county's account gets nothing."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from cso.core.models import Job, JobStatus
from cso.funding import services

from .helpers import linked_org, programme, submitted

pytestmark = pytest.mark.django_db


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def _funded(cast):
    prog = programme(cast["county"], title="=HYPERLINK(\"http://x\")创投")
    prog.reviewers.add(cast["county"])
    apps = []
    for name, amount in (("=1+1协会", "30000"), ("兴宁社区协会", "20000")):
        org = linked_org(cast["organization"], cast["registrar"], name=name)
        app = submitted(prog, org, cast["organization"], amount)
        services.score(app, cast["county"], Decimal("80"))
        apps.append(app)
    services.award(apps[0], Decimal("30000"), cast["county"], "评审第一")
    return prog, apps


def _job_text(kind="funding.export") -> str:
    job = Job.objects.get(kind=kind)
    assert job.status == JobStatus.DONE, job.message
    return bytes(job.result).decode("utf-8")


def test_small_exports_are_answered_at_once_with_formulas_neutralised(cast, client):
    prog, _apps = _funded(cast)
    client.force_login(cast["county"])
    response = client.get(reverse("funding:awards_export"), {"year": prog.year})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _rows(b"".join(response.streaming_content).decode("utf-8"))
    assert rows[0][0] == "立项日期" and len(rows) == 2
    assert rows[1][3].startswith("'=HYPERLINK") and rows[1][5] == "'=1+1协会" and rows[1][8] == "30000.00"
    ranking = client.get(reverse("funding:applications_export", args=[prog.pk]))
    rows = _rows(b"".join(ranking.streaming_content).decode("utf-8"))
    assert [r[1] for r in rows[1:]] == ["'=1+1协会", "兴宁社区协会"] and rows[1][0] == "1"
    assert not Job.objects.exists()


def test_large_exports_go_to_the_worker(cast, client, settings):
    settings.CSO_EXPORT_SYNC_ROWS = 1
    prog, _apps = _funded(cast)
    services.award(_apps[1], Decimal("20000"), cast["county"], "评审第二")
    client.force_login(cast["county"])
    response = client.get(reverse("funding:awards_export"), {"year": prog.year})
    assert response.status_code == 302
    rows = _rows(_job_text())
    assert len(rows) == 3 and {r[5] for r in rows[1:]} == {"'=1+1协会", "兴宁社区协会"}
    job = Job.objects.get()
    assert job.user == cast["county"] and response["Location"] == reverse("core:job", args=[job.pk])
    Job.objects.all().delete()
    assert client.get(reverse("funding:money_export"), {"year": prog.year}).status_code == 302
    rows = _rows(_job_text())
    total = next(r for r in rows if r[0] == "合计")
    assert Decimal(total[2]) == 50000 and total[6] == "2"
    Job.objects.all().delete()
    assert client.get(reverse("funding:applications_export", args=[prog.pk])).status_code == 302
    assert len(_rows(_job_text())) == 3


def test_another_countys_account_exports_nothing_of_this_county(cast, client, settings):
    prog, _apps = _funded(cast)
    client.force_login(cast["outsider_county"])
    assert client.get(reverse("funding:applications_export", args=[prog.pk])).status_code == 404
    assert client.get(reverse("funding:money_export"), {"division": "450102000000"}).status_code == 404
    response = client.get(reverse("funding:awards_export"), {"year": prog.year})
    rows = _rows(b"".join(response.streaming_content).decode("utf-8"))
    assert len(rows) == 1  # the header only
    settings.CSO_EXPORT_SYNC_ROWS = 0  # the worker re-checks who asked
    from cso.funding import exports

    job = exports.submit(exports.Export.from_params(cast["outsider_county"], "applications",
                                                   {"programme": prog.pk}))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "无权" in job.message
