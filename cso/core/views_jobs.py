"""Pages of background jobs: the user's own jobs, one job's progress (polled with htmx) and its
result file. A job is shown only to the user who asked for it, inside their scope: anyone else
gets a 404, and a file is never served from anywhere but its own job's row."""

from __future__ import annotations

import io

from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Job, JobStatus

LISTED = 30


def _mine(request):
    return Job.objects.visible_to(request.user).filter(user=request.user).defer("result")


@require_GET
def job_list(request):
    return render(request, "core/jobs.html", {
        "jobs": _mine(request)[:LISTED],
        "breadcrumbs": [{"label": "后台任务", "url": None}],
    })


@require_GET
def job_detail(request, job: int):
    obj = get_object_or_404(_mine(request), pk=job)
    return render(request, "core/job.html", {
        "job": obj,
        "breadcrumbs": [{"label": "后台任务", "url": "/jobs/"}, {"label": obj.title, "url": None}],
    })


@require_GET
def job_progress(request, job: int):
    obj = get_object_or_404(_mine(request), pk=job)
    response = render(request, "core/job_progress.html", {"job": obj})
    if not obj.is_running and request.htmx:
        response["HX-Refresh"] = "true"  # done: reload the page, which then offers the file
    return response


@require_GET
def job_download(request, job: int):
    obj = get_object_or_404(
        Job.objects.visible_to(request.user).filter(user=request.user, status=JobStatus.DONE)
        .exclude(result_name=""), pk=job)
    # FileResponse sets Content-Disposition with django.utils.http.content_disposition_header
    return FileResponse(io.BytesIO(bytes(obj.result)), as_attachment=True, filename=obj.result_name,
                        content_type=obj.result_type or "application/octet-stream")
