"""Long work off the request path: a large export and an import's dry run and apply run in the task
worker; the request only records the job and answers. The web process never forks."""

from __future__ import annotations

import io
import multiprocessing
import os
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cso.core.models import ImportJob, ImportStatus, Job, JobStatus
from cso.orgs import importing
from cso.orgs.models import Organization
from cso.orgs.tests.factories import FOREIGN_COMMUNITY, make_filed, make_registered
from cso.orgs.tests.test_import import row, xlsx

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.tasks]

EXPORT = reverse("orgs:export")


@pytest.fixture
def orgs(cast):
    return [
        make_registered(cast["registrar"], name="兴宁区老年协会"),
        make_filed(cast["street"], name="北宁社区广场舞队", division="450102001004"),
        make_filed(cast["street"], name="兴宁社区书画队"),
        make_filed(cast["superuser"], name="新竹社区老年协会", division=FOREIGN_COMMUNITY),
    ]


def download(client, job) -> bytes:
    response = client.get(reverse("core:job_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_large_export_runs_in_the_worker_and_gives_the_same_file_as_a_small_one(orgs, cast, login, settings,
                                                                                 task_worker, fmt):
    client = login(cast["county"])
    small = b"".join(client.get(EXPORT, {"format": fmt, "sort": "name"}).streaming_content)
    settings.CSO_EXPORT_SYNC_ROWS = 2
    response = client.get(EXPORT, {"format": fmt, "sort": "name"})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("core:job", args=[job.pk])
    assert job.status == JobStatus.QUEUED and job.params == {"query": "sort=name", "format": fmt}
    assert "导出社会组织名录" in client.get(response.url).content.decode()
    task_worker()
    job.refresh_from_db()
    assert (job.status, job.total, job.processed) == (JobStatus.DONE, 3, 3)
    data = download(client, job)
    if fmt == "csv":
        assert data == small  # the one CSV writer: the same cells, neutralised the same way
        assert job.result_name.endswith(".csv")
    else:
        rows = list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))
        assert rows == list(load_workbook(io.BytesIO(small), read_only=True).active.iter_rows(values_only=True))
        assert {r[1] for r in rows[1:]} == {"兴宁区老年协会", "北宁社区广场舞队", "兴宁社区书画队"}


def test_a_background_export_keeps_the_filters_and_the_scope_of_the_user_who_asked(orgs, cast, login, settings,
                                                                                   task_worker):
    settings.CSO_EXPORT_SYNC_ROWS = 0
    login(cast["county"]).get(EXPORT, {"format": "csv", "track": "filed"})
    login(cast["outsider_county"]).get(EXPORT, {"format": "csv"})
    task_worker()
    mine, theirs = Job.objects.order_by("pk")
    def names(job):
        return sorted(line.split(",")[1] for line in bytes(job.result).decode("utf-8-sig").splitlines()[1:])

    assert names(mine) == ["兴宁社区书画队", "北宁社区广场舞队"]
    assert names(theirs) == ["新竹社区老年协会"]
    assert login(cast["outsider_county"]).get(reverse("core:job_download", args=[mine.pk])).status_code == 404


def test_a_small_export_is_answered_in_the_request(orgs, cast, login):
    response = login(cast["county"]).get(EXPORT, {"format": "csv"})
    assert response.status_code == 200 and not Job.objects.exists()


def upload(client, rows):
    f = io.BytesIO(xlsx(rows))
    f.name = "orgs.xlsx"
    return client.post(reverse("orgs:import"), {"file": f})


def test_an_import_is_checked_and_applied_by_the_worker_while_its_page_polls(cast, login, task_worker):
    client = login(cast["registrar"])
    response = upload(client, [row(名称="兴宁社区书画协会"), row(名称="坏协会", 登记日期="昨天")])
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.VALIDATING  # the request only recorded the file
    page = client.get(response.url).content.decode()
    assert f'hx-get="{reverse("orgs:import_progress", args=[job.pk])}"' in page
    task_worker()
    job.refresh_from_db()
    assert (job.status, job.valid_rows, job.error_rows) == (ImportStatus.VALIDATED, 1, 1)
    response = client.post(reverse("orgs:import_apply", args=[job.pk]))
    assert response.url == reverse("orgs:import_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLYING and not Organization.objects.exists()
    assert "正在导入" in client.get(response.url).content.decode()
    again = client.post(reverse("orgs:import_apply", args=[job.pk]), follow=True)  # a second click
    assert "不能导入" in again.content.decode()
    task_worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED and job.applied_by == cast["registrar"]
    assert list(Organization.objects.values_list("name", flat=True)) == ["兴宁社区书画协会"]
    assert "查看本次导入的组织" in client.get(response.url).content.decode()


def test_an_apply_refused_in_the_worker_puts_the_job_back_with_the_reason(cast, login, task_worker):
    client = login(cast["registrar"])
    upload(client, [row(名称="兴宁社区书画协会")])
    task_worker()
    job = ImportJob.objects.get()
    taken = importing._unpack(job.payload)[0]["credit_code"]
    make_registered(cast["registrar"], name="占用代码的组织", credit_code=taken)  # taken since the dry run
    client.post(reverse("orgs:import_apply", args=[job.pk]))
    task_worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED and "确认导入未完成" in job.message
    assert not Organization.objects.filter(name="兴宁社区书画协会").exists()
    assert "确认导入未完成" in client.get(reverse("orgs:import_job", args=[job.pk])).content.decode()


@pytest.mark.django_db
def test_the_web_process_never_forks_for_an_import_or_an_export(cast, login, settings, monkeypatch):
    """With the tasks run in the request (the immediate backend), nothing starts a process."""

    def no_process(*args, **kwargs):
        raise AssertionError("the web process started a process")

    monkeypatch.setattr(os, "fork", no_process)
    monkeypatch.setattr(subprocess, "Popen", no_process)
    monkeypatch.setattr(multiprocessing.context.ForkContext.Process, "start", no_process)
    monkeypatch.setattr(importing.ParsedRows, "MIN_ROWS", 0)
    monkeypatch.setattr(importing.PinyinKeys, "BATCH", 1)
    settings.CSO_EXPORT_SYNC_ROWS = 0
    client = login(cast["superuser"])  # both tracks: the registering and the filing body's rows
    upload(client, [row(名称="兴宁社区书画协会"), row(名称="兴宁社区合唱团", 管理方式="备案")])
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.VALIDATED
    client.post(reverse("orgs:import_apply", args=[job.pk]))
    assert Organization.objects.count() == 2
    client.get(EXPORT, {"format": "xlsx"})
    assert Job.objects.get().status == JobStatus.DONE
