"""Pages of the organization import: upload, template, dry-run report with progress, apply.

Jobs are found through ``ImportJob.objects.visible_to(user, action)``: another county's job is a 404.
The dry run and the apply are background tasks (``cso.orgs.tasks``) run by the task worker: the
request records the job, enqueues the task and answers at once; the report page polls the
progress fragment until the job is done. (With the immediate task backend of the tests the task
has already run when the request answers.)
"""

from __future__ import annotations

import contextlib
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from cso.accounts.responsibilities import can
from cso.core import jobs
from cso.core.models import ImportJob, ImportStatus
from cso.core.scoping import CHANGE, VIEW
from cso.core.uploads import max_bytes, max_rows

from . import importing, tasks
from .choices import LeaderRole, OrgType, PartyBuilding
from .forms import authority_queryset
from .forms_import import ImportApplyForm, ImportUploadForm
from .models import Category, ServiceTarget

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_SHOWN = 1000


def _can_import(user) -> bool:
    return can(user, "orgs.import") and (user.is_superuser or user.division_id is not None)


def _job(request, batch: int, action: str = VIEW) -> ImportJob:
    qs = ImportJob.objects.visible_to(request.user, action).filter(kind=importing.KIND).select_related("user")
    return get_object_or_404(qs.defer("content", "payload"), pk=batch)


def _crumbs(tail: str | None = None, job: ImportJob | None = None) -> list[dict]:
    crumbs = []
    with contextlib.suppress(NoReverseMatch):
        crumbs.append({"label": "社会组织", "url": reverse("orgs:list")})
    crumbs.append({"label": "批量导入", "url": reverse("orgs:import") if tail else None})
    if tail:
        crumbs.append({"label": tail, "url": None})
    return crumbs


@require_http_methods(["GET", "POST"])
def upload(request):
    if not _can_import(request.user):
        raise PermissionDenied("您没有批量导入社会组织的权限。")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        job = importing.start_job(request.user, f.name, f.read())
        if job.status == ImportStatus.VALIDATING:
            jobs.enqueue(tasks.validate_import, job.pk)
        return redirect("orgs:import_job", batch=job.pk)
    recent = ImportJob.objects.visible_to(request.user).filter(kind=importing.KIND).defer("content", "payload")[:10]
    return render(request, "orgs/import.html", {
        "form": form, "columns": importing.COLUMNS, "recent": recent, "breadcrumbs": _crumbs(),
        "max_mb": max_bytes() // 1024 // 1024, "max_rows": max_rows(),
    })


def job(request, batch: int):
    job = _job(request, batch)
    errors = job.errors
    warnings = job.warnings
    warned = importing.warned_rows(job)
    return render(request, "orgs/import_job.html", {
        "job": job, "errors": errors[:REPORT_SHOWN], "errors_hidden": max(len(errors) - REPORT_SHOWN, 0),
        "warnings": warnings[:REPORT_SHOWN], "notices": [r for r in job.report if r.get("level") == "notice"],
        "apply_form": ImportApplyForm(rows=warned), "warned": warned,
        "breadcrumbs": _crumbs(job.file_name, job), "list_url": _list_url(),
    })


def progress(request, batch: int):
    job = _job(request, batch)
    response = render(request, "orgs/import_progress.html", {"job": job})
    if not job.is_running and request.htmx:
        # Done: reload the whole report page.
        response["HX-Refresh"] = "true"
    return response


def _list_url() -> str | None:
    try:
        return reverse("orgs:list")
    except NoReverseMatch:
        return None


@require_POST
def apply(request, batch: int):
    job = _job(request, batch, CHANGE)
    form = ImportApplyForm(request.POST, rows=importing.warned_rows(job))
    if not form.is_valid():
        messages.error(request, "提交的排除行不正确，请重新选择。")
        return redirect("orgs:import_job", batch=job.pk)
    if job.status == ImportStatus.APPLIED:
        messages.error(request, "该文件已经导入过，不能重复导入。")
        return redirect("orgs:import_job", batch=job.pk)
    # hand the job to the worker once: a second click (or a second tab) finds it "applying"
    handed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATED, valid_rows__gt=0).update(
        status=ImportStatus.APPLYING)
    if not handed:
        messages.error(request, f"该导入任务当前状态为“{job.get_status_display()}”，不能导入。")
        return redirect("orgs:import_job", batch=job.pk)
    jobs.enqueue(tasks.apply_import, job.pk, request.user.pk, sorted(form.cleaned_data["exclude"]))
    done = ImportJob.objects.defer("content", "payload").get(pk=job.pk)
    if done.status == ImportStatus.APPLIED:  # already done (the immediate backend runs it in the request)
        updated = f"，更新 {done.updated_rows} 个已有组织" if done.updated_rows else ""
        messages.success(request, f"已导入 {done.created_rows} 个组织{updated}（文件“{done.file_name}”）。")
        url = _list_url()
        if url:
            return redirect(f"{url}?import={done.pk}")
    elif done.status == ImportStatus.VALIDATED and done.message.startswith(tasks.REFUSED):
        messages.error(request, done.message)
    return redirect("orgs:import_job", batch=done.pk)


def template(request):
    """The .xlsx template: the header row, one example row, the column notes and the allowed values."""
    import xlsxwriter

    if not _can_import(request.user):
        raise PermissionDenied("您没有批量导入社会组织的权限。")

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    head_required = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "font_color": "#C00000"})
    text = wb.add_format({"num_format": "@"})
    ws = wb.add_worksheet("组织")
    for i, column in enumerate(importing.COLUMNS):
        ws.write_string(0, i, column.header, head_required if column.required else head)
        ws.set_column(i, i, max(12, len(column.header) * 2 + 2), text)
        if column.note:
            ws.write_comment(0, i, column.note)
        example = column.example
        if isinstance(example, int | float):
            ws.write_number(1, i, example)
        elif example:
            ws.write_string(1, i, str(example), text)
    ws.freeze_panes(1, 0)
    notes = wb.add_worksheet("填写说明")
    notes.set_column(0, 0, 20)
    notes.set_column(1, 1, 8)
    notes.set_column(2, 2, 90)
    for i, title in enumerate(("列", "必填", "说明")):
        notes.write_string(0, i, title, head)
    for r, column in enumerate(importing.COLUMNS, start=1):
        notes.write_string(r, 0, column.header)
        notes.write_string(r, 1, "是" if column.required else "")
        notes.write_string(r, 2, column.note)
    extra = len(importing.COLUMNS) + 2
    notes.write_string(extra, 0, "说明", head)
    notes.write_string(extra, 2, "“组织”工作表的第1行是列标题，请勿修改；第2行是示例，导入前请删除或改成真实数据。"
                                 "红色标题为必填列。先校验、后确认：有错误的行会连同行号、列和原因列出，不会写入。")
    values = wb.add_worksheet("可选值")
    lists = [
        ("管理方式", ["登记", "备案"]),
        ("组织类型", [str(t.label) for t in OrgType]),
        ("管理层级", ["依法登记", "街道（乡镇）管理", "社区指导"]),
        ("党建情况", [str(p.label) for p in PartyBuilding]),
        ("类别", list(Category.objects.filter(is_active=True).values_list("name", flat=True))),
        ("服务对象", list(ServiceTarget.objects.filter(is_active=True).values_list("name", flat=True))),
        ("登记管理机关", list(authority_queryset(request.user).values_list("name", flat=True))),
        ("负责人职务", [str(r.label) for r in LeaderRole]),
    ]
    for c, (title, items) in enumerate(lists):
        values.write_string(0, c, title, head)
        values.set_column(c, c, 24)
        for r, item in enumerate(items, start=1):
            values.write_string(r, c, item)
    wb.close()
    return HttpResponse(buffer.getvalue(), content_type=XLSX,
                        headers={"Content-Disposition": content_disposition_header(True, "社会组织导入模板.xlsx")})


