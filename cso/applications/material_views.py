"""Pages of the materials of an application: upload, remove, download. The case is found among those the account
sees (else 404), the file among the case's own (else 404); the responsibilities table decides the rest (403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from cso.accounts.responsibilities import require
from cso.core import attachments
from cso.core.filetypes import max_bytes

from . import materials
from .models import Attachment
from .views import _errors, _get


def _back(request, application):
    if request.POST.get("back") == "edit":
        return redirect("applications:edit", application.ref)
    return redirect("applications:detail", application.ref)


def _attachment(application, pk: int) -> Attachment:
    attachment = application.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404("找不到该材料。")
    attachment.application = application
    return attachment


@csrf_exempt  # the handler must be in place before the CSRF check reads the body; checked below
@require_POST
def upload(request, number):
    request.upload_handlers.insert(0, attachments.SizeLimit(request))
    return _upload(request, number)


@csrf_protect
def _upload(request, number):
    application = _get(request, number)
    require(request.user, "applications.upload", application)
    code = request.POST.get("material", "")
    files = request.FILES.getlist("file")
    material = application.kind_spec.material(code)
    for name in getattr(request, "too_large", []):
        label = material.label if material else "材料"
        limit = max_bytes() // (1024 * 1024)
        messages.error(request, f"上传失败：{label}：文件“{name}”过大，单个文件不能超过 {limit} MB。")
    if not files and getattr(request, "too_large", None):
        return _back(request, application)
    if not files:
        label = material.label if material else "材料"
        messages.error(request, f"{label}：请选择要上传的文件（或拍照）。")
        return _back(request, application)
    done = []
    for uploaded in files:
        try:
            done.append(materials.add(application, request.user, code, uploaded))
        except ValidationError as exc:
            messages.error(request, "上传失败：" + "；".join(_errors(exc)))
    if done:
        names = "、".join(a.original_name for a in done)
        messages.success(request, f"已上传{material.label}：{names}。")
    return _back(request, application)


@require_POST
def remove(request, number, pk):
    application = _get(request, number)
    require(request.user, "applications.upload", application)
    attachment = _attachment(application, pk)
    try:
        materials.remove(application, request.user, attachment)
        messages.success(request, f"已删除“{attachment.original_name}”。")
    except ValidationError as exc:
        messages.error(request, "不能删除：" + "；".join(_errors(exc)))
    return _back(request, application)


@require_GET
def download(request, number, pk):
    application = _get(request, number)
    attachment = _attachment(application, pk)
    require(request.user, "applications.download", application)
    return attachments.response(attachment, "找不到该材料。")
