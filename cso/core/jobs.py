"""Background jobs: long work (large exports, roll-ups) off the request path.

A domain app registers a *runner* for a kind of job::

    @jobs.runner("orgs.export")
    def export(job: Job, progress: jobs.Progress) -> jobs.Output | None: ...

and a view submits it: ``jobs.submit(user, "orgs.export", "导出社会组织名录", params)`` records a
``Job`` row and enqueues the one task ``run_job(job_id)`` with django-tasks (``settings.TASKS``).
The worker (``manage.py db_worker``, or ``rqworker`` with the Redis backend) runs the runner; the
runner reports progress through ``progress(done, total)`` and returns the file it produced, which
is kept in the row and offered on the job page (``/jobs/<id>/``) to the user who asked, and to
nobody else. A runner that raises ``JobFailed`` fails the job with its (Chinese) message; any other
exception fails it with a generic message and is logged. An export view chooses between answering at
once and submitting a job with ``cso.core.exporting.now_or_submit``.

``core`` knows no domain: the runners live in their apps and are imported by the apps' ``ready()``,
so that the worker process knows them too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, task, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend

from .models import Job, JobStatus

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


@dataclass
class Output:
    """The file a job produced."""

    name: str
    content_type: str
    data: bytes


class JobFailed(Exception):
    """Ends a job as failed with a message the user can read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


RUNNERS: dict[str, Callable] = {}


def runner(kind: str):
    """Register the function that does the work of jobs of ``kind``."""

    def register(func):
        RUNNERS[kind] = func
        return func

    return register


class Progress:
    """What a runner calls to report progress: ``progress(done, total=None, step=None)``. Writes
    the row at most every ``every`` seconds (and always when a step changes or the work is done)."""

    def __init__(self, job: Job, *, inline: bool, every: float = 0.5):
        self.job = job
        self.inline = inline  # True: running inside the caller's process (immediate backend)
        self.every = every
        self._last = 0.0

    @property
    def may_fork(self) -> bool:
        """Whether the work may start processes: only in a worker, never in the web process."""
        return not self.inline

    def __call__(self, done: int, total: int | None = None, step: str | None = None) -> None:
        now = time.monotonic()
        changes: dict = {"processed": done}
        if total is not None:
            changes["total"] = total
            self.job.total = total
        if step is not None and step != self.job.step:
            changes["step"] = step
            self.job.step = step
        elif now - self._last < self.every and not (total and done >= total):
            return
        self._last = now
        self.job.processed = done
        Job.objects.filter(pk=self.job.pk).update(**changes)


def runs_inline(context: TaskContext | None) -> bool:
    """Whether the task of ``context`` runs inside the process that enqueued it (the immediate
    backend: tests, debugging) rather than in a worker process."""
    if context is None:
        return True
    return isinstance(task_backends[context.task_result.backend], ImmediateBackend)


def enqueue(the_task, *args, **kwargs) -> None:
    """Enqueue a task once the current transaction (if any) has committed its rows. The database
    backend writes its queue row in the same transaction and the immediate backend runs the task
    at once, so both are told now; any other backend (Redis) is told after the commit, so that its
    worker never looks for a row it cannot see yet."""
    backend = the_task.get_backend()
    if isinstance(backend, DatabaseBackend | ImmediateBackend):
        the_task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: the_task.enqueue(*args, **kwargs))


def submit(user, kind: str, title: str, params: dict | None = None, *, back_url: str = "") -> Job:
    """Record a job for ``user`` and hand it to the worker."""
    if kind not in RUNNERS:
        raise KeyError(f"no runner for job kind {kind!r}")
    job = Job.objects.create(
        kind=kind, title=title[:200], user=user, division_id=getattr(user, "division_id", None),
        params=params or {}, back_url=back_url[:2000],
    )
    enqueue(run_job, job.pk)
    return job


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> str:
    """The one task of every job: run its kind's runner and keep what it produced."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), task_id=str(context.task_result.id)[:64])
    if not claimed:
        return "skipped"  # gone, or already run (a task delivered twice)
    job = Job.objects.get(pk=job_id)
    progress = Progress(job, inline=runs_inline(context))
    try:
        output = RUNNERS[job.kind](job, progress)
    except JobFailed as exc:
        _finish(job, JobStatus.FAILED, message=exc.message)
        return "failed"
    except Exception:
        logger.exception("background job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobStatus.FAILED, message="后台任务执行出错，请稍后重试；如仍失败请联系系统管理员。")
        return "failed"
    _finish(job, JobStatus.DONE, output=output)
    return "done"


def _finish(job: Job, status: str, *, message: str = "", output: Output | None = None) -> None:
    changes = {"status": status, "finished_at": timezone.now(), "message": message}
    if output is not None:
        changes.update(result=output.data, result_name=output.name[:255], result_type=output.content_type[:120],
                       result_size=len(output.data))
    if status == JobStatus.DONE:
        changes["processed"] = max(job.processed, job.total)
    Job.objects.filter(pk=job.pk).update(**changes)


def prune(days: int) -> int:
    """Delete finished jobs (and their files) older than ``days`` days; returns how many."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = Job.objects.filter(created_at__lt=cutoff).exclude(
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).delete()
    return deleted
