"""Background jobs (cso.core.jobs): a job runs in a worker, reports progress to its page, and its
file goes to the user who asked for it and to nobody else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cso.core import jobs
from cso.core.models import Job, JobStatus

pytestmark = [pytest.mark.django_db, pytest.mark.tasks]


@jobs.runner("test.echo")
def echo(job, progress):
    progress(0, 3, "正在测试")
    for i in range(1, 4):
        progress(i)
    if job.params.get("fail"):
        raise jobs.JobFailed("测试失败的原因。")
    if job.params.get("crash"):
        raise RuntimeError("boom")
    return jobs.Output(f"结果_{job.params['text']}.csv", jobs.CSV, job.params["text"].encode())


def test_a_job_runs_inline_with_the_immediate_backend_and_keeps_its_file(cast):
    job = jobs.submit(cast["county"], "test.echo", "测试任务", {"text": "你好"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (bytes(job.result), job.result_name, job.processed, job.total) == ("你好".encode(), "结果_你好.csv", 3, 3)
    assert job.division_id == cast["county"].division_id and job.task_id


@pytest.mark.django_db(transaction=True)
def test_a_job_waits_in_the_queue_until_a_real_worker_runs_it(cast, login, task_worker):
    client = login(cast["county"])
    job = jobs.submit(cast["county"], "test.echo", "测试任务", {"text": "abc"})
    page = client.get(reverse("core:job", args=[job.pk]))
    assert page.status_code == 200 and "排队中" in page.content.decode()
    assert f'hx-get="{reverse("core:job_progress", args=[job.pk])}"' in page.content.decode()
    task_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.started_at and job.finished_at
    fragment = client.get(reverse("core:job_progress", args=[job.pk]), headers={"HX-Request": "true"})
    assert fragment["HX-Refresh"] == "true"  # done: the page reloads and offers the file
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert reverse("core:job_download", args=[job.pk]) in page
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert b"".join(download.streaming_content) == b"abc"
    assert download["Content-Disposition"] == "attachment; filename*=utf-8''%E7%BB%93%E6%9E%9C_abc.csv"


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_says_why_and_offers_no_file(cast, login, task_worker):
    failed = jobs.submit(cast["county"], "test.echo", "测试任务", {"text": "x", "fail": True})
    crashed = jobs.submit(cast["county"], "test.echo", "测试任务", {"text": "x", "crash": True})
    task_worker()
    client = login(cast["county"])
    page = client.get(reverse("core:job", args=[failed.pk])).content.decode()
    assert "测试失败的原因。" in page
    crashed.refresh_from_db()
    assert crashed.status == JobStatus.FAILED and "出错" in crashed.message and "boom" not in crashed.message
    assert client.get(reverse("core:job_download", args=[failed.pk])).status_code == 404


def test_only_the_user_who_asked_sees_a_job_and_downloads_its_file(cast, login, client):
    job = jobs.submit(cast["street"], "test.echo", "街道的导出", {"text": "秘密"})
    for other in ("county", "province", "superuser", "outsider_street", "community"):
        c = login(cast[other])
        for name in ("core:job", "core:job_progress", "core:job_download"):
            assert c.get(reverse(name, args=[job.pk])).status_code == 404, (other, name)
        assert "街道的导出" not in c.get(reverse("core:jobs")).content.decode()
    c = login(cast["street"])
    assert "街道的导出" in c.get(reverse("core:jobs")).content.decode()
    assert b"".join(c.get(reverse("core:job_download", args=[job.pk])).streaming_content) == "秘密".encode()


def test_a_user_moved_out_of_the_jobs_division_no_longer_reaches_its_file(cast, login):
    job = jobs.submit(cast["street"], "test.echo", "街道的导出", {"text": "秘密"})
    user = cast["street"]
    user.division_id = "450102002000"  # another street
    user.save()
    assert login(user).get(reverse("core:job_download", args=[job.pk])).status_code == 404


def test_a_job_is_run_once_even_when_its_task_is_delivered_twice(cast):
    job = jobs.submit(cast["county"], "test.echo", "测试任务", {"text": "a"})
    Job.objects.filter(pk=job.pk).update(result=b"first")
    jobs.run_job.enqueue(job.pk)  # a second delivery finds the job done
    job.refresh_from_db()
    assert bytes(job.result) == b"first"


def test_old_finished_jobs_are_pruned_with_their_files(cast):
    from datetime import timedelta

    from django.utils import timezone

    old = jobs.submit(cast["county"], "test.echo", "旧任务", {"text": "a"})
    new = jobs.submit(cast["county"], "test.echo", "新任务", {"text": "b"})
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    assert jobs.prune(7) == 1
    assert list(Job.objects.values_list("pk", flat=True)) == [new.pk]


def test_the_prune_command_deletes_old_jobs(cast):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    old = jobs.submit(cast["county"], "test.echo", "旧任务", {"text": "a"})
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    call_command("prune_jobs", verbosity=0)
    assert not Job.objects.filter(pk=old.pk).exists()


def test_every_signed_in_page_links_the_users_jobs(cast, login):
    body = login(cast["community"]).get(reverse("core:home")).content.decode()
    assert f'href="{reverse("core:jobs")}"' in body


def test_a_national_account_reaches_its_own_job(cast, login):
    job = jobs.submit(cast["superuser"], "test.echo", "全国导出", {"text": "全国"})
    assert job.division_id is None
    client = login(cast["superuser"])
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 200
    assert b"".join(client.get(reverse("core:job_download", args=[job.pk])).streaming_content) == "全国".encode()
