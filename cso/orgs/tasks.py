"""Background tasks of the organization import: the dry run and the apply run in the task worker
(``cso.core.jobs``' backend), never in the web process. The ``ImportJob`` row is their progress
row: the import page polls it (``views_import.progress``)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django_tasks import TaskContext, task

from cso.core import jobs
from cso.core.models import ImportJob, ImportStatus

from . import importing

logger = logging.getLogger(__name__)
REFUSED = "确认导入未完成："  # how the job's message starts after a refused apply


@task(takes_context=True)
def validate_import(context: TaskContext, job_id: int) -> str:
    """The dry run of an uploaded file. In a worker process the rows are parsed in a second
    process beside the checks; run inline (tests) everything stays in this process."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportStatus.VALIDATING).select_related("user").first()
    if job is None:
        return "skipped"
    try:
        importing.validate_job(job, parallel=not jobs.runs_inline(context))
    except Exception:
        logger.exception("import %s: the dry run failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED,
                                                   message="校验时出错，请稍后重新上传；如仍失败请联系系统管理员。")
        return "failed"
    return "validated"


@task()
def apply_import(job_id: int, user_id: int, exclude: list[int]) -> str:
    """Write the good rows of a validated job (``importing.apply_job``: one transaction, or
    nothing). A refusal puts the job back to "validated" with the reason on its page."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportStatus.APPLYING).first()
    if job is None:
        return "skipped"
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    try:
        if user is None:
            raise PermissionDenied("确认导入的账号已停用。")
        importing.apply_job(job, user, exclude=exclude)
    except (importing.ApplyRefused, PermissionDenied) as exc:
        reason = getattr(exc, "message", None) or str(exc)
        ImportJob.objects.filter(pk=job_id, status=ImportStatus.APPLYING).update(
            status=ImportStatus.VALIDATED, message=f"{REFUSED}{reason}")
        return "refused"
    except Exception:
        logger.exception("import %s: the apply failed", job_id)
        ImportJob.objects.filter(pk=job_id, status=ImportStatus.APPLYING).update(
            status=ImportStatus.VALIDATED, message=f"{REFUSED}写入时出错，没有写入任何数据；请稍后重试。")
        return "failed"
    ImportJob.objects.filter(pk=job_id, message__startswith=REFUSED).update(message="")  # an earlier refusal
    return "applied"


@task()
def merge_search_entries() -> str:
    """After a large import: merge the search indexes' pending entries (``importing._defer_search_entries``)."""
    try:
        return f"merged {importing.merge_search_entries()} pages"
    except Exception:  # e.g. a role that does not own the indexes: autovacuum does it instead
        logger.exception("merging the search indexes' pending entries failed")
        return "failed"
