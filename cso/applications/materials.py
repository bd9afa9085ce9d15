"""The materials of an application: the files each kind declares (``Kind.materials``), uploaded by the applicant
while the case is a draft or sent back for 补正, read by those the responsibilities table lets handle the case.

- ``add(application, user, material_code, uploaded_file)``: checks the table (``applications.upload``), the
  state and the file (``cso.core.filetypes``: by content, size, zip bombs; EXIF stripped) before anything is
  stored, then writes the file atomically outside the web root (``cso.core.privatefiles``) and records an
  ``Attachment``; if recording fails the file is removed again.
- ``remove(application, user, attachment)``: the row goes at once, the file once the transaction commits.
- ``open_for(user, attachment)``: the stored file opened for reading, for an account that sees the case and
  may ``applications.download`` it; the path comes from the random stored name only.
- ``missing_required(application)``: the required materials without a file (``services.submit`` refuses).

Which materials a case asks comes from ONE place, ``Kind.materials_of(application)`` (the kind's
``materials_for`` hook, which e.g. asks fewer for 简易注销); ``Kind.required_materials`` derives from it.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta

from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.db import transaction

from cso.accounts.responsibilities import can, require
from cso.core import filetypes, privatefiles

from .models import Application, Attachment, State

log = logging.getLogger(__name__)
EDITABLE_STATES = (State.DRAFT, State.NEEDS_CORRECTION)
MAX_FILES_PER_MATERIAL = 20  # 本平台建议: a roster photographed page by page


def _material(application: Application, code: str):
    """One of the materials asked in this case (``Kind.materials_of``); another is refused."""
    material = next((m for m in application.kind_spec.materials_of(application) if m.code == (code or "")), None)
    if material is None:
        known = application.kind_spec.material(code or "")
        if known is not None:
            raise ValidationError(f"{known.label}：本申请不需要这项材料。")
        raise ValidationError("本申请事项没有这项材料。")
    return material


def _editable(application: Application, what: str) -> None:
    if application.state not in EDITABLE_STATES:
        raise ValidationError(f"{what}：申请当前为“{application.get_state_display()}”，不能再更改材料。")


def _read(uploaded_file, material) -> bytes:
    """The upload's bytes, refusing an oversized one before it is read into memory."""
    limit = filetypes.max_bytes()
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(f"{material.label}：文件过大（{size / 1024 / 1024:.1f} MB），"
                              f"单个文件不能超过 {limit / 1024 / 1024:.0f} MB。")
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    return data


def add(application: Application, user, material_code: str, uploaded_file) -> Attachment:
    require(user, "applications.upload", application)
    material = _material(application, material_code)
    _editable(application, material.label)
    if uploaded_file is None:
        raise ValidationError(f"{material.label}：请选择要上传的文件。")
    data = _read(uploaded_file, material)
    try:
        checked = filetypes.check_file(uploaded_file.name, data, allowed=material.types, what=material.label)
    except filetypes.UploadRefused as exc:
        raise ValidationError(exc.message) from exc
    stored = privatefiles.write(Attachment.AREA, checked.extension, checked.data)
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            _editable(locked, material.label)
            if locked.attachments.filter(material=material.code).count() >= MAX_FILES_PER_MATERIAL:
                raise ValidationError(f"{material.label}：最多上传 {MAX_FILES_PER_MATERIAL} 个文件（本平台建议），"
                                      "请先删除不需要的文件。")
            attachment = Attachment.objects.create(
                application=locked, material=material.code, original_name=checked.name[:255], stored_name=stored,
                content_type=checked.content_type, size=len(checked.data),
                sha256=hashlib.sha256(checked.data).hexdigest(), uploaded_by=user)
    except BaseException:
        privatefiles.delete(Attachment.AREA, stored)
        raise
    return attachment


def remove(application: Application, user, attachment: Attachment) -> None:
    require(user, "applications.upload", application)
    if attachment.application_id != application.pk:
        raise Attachment.DoesNotExist
    material = application.kind_spec.material(attachment.material)
    _editable(application, material.label if material else "材料")
    stored = attachment.stored_name
    with transaction.atomic():
        Attachment.objects.filter(pk=attachment.pk).delete()
        transaction.on_commit(lambda: privatefiles.delete(Attachment.AREA, stored))


def may_download(user, application: Application) -> bool:
    return (Application.objects.visible_to(user).filter(pk=application.pk).exists()
            and can(user, "applications.download", application))


def open_for(user, attachment: Attachment):
    """The stored file, opened for reading, if ``user`` may read the case's materials; else
    ``Attachment.DoesNotExist`` (the case is out of sight) or ``PermissionDenied``."""
    application = attachment.application
    if not Application.objects.visible_to(user).filter(pk=application.pk).exists():
        raise Attachment.DoesNotExist
    if not can(user, "applications.download", application):
        raise PermissionDenied("您的账号无权查看本申请的材料。")
    try:
        return privatefiles.open_file(Attachment.AREA, attachment.stored_name)
    except SuspiciousFileOperation as exc:
        log.error("attachment %s: stored name %r refused", attachment.pk, attachment.stored_name)
        raise Attachment.DoesNotExist from exc
    except FileNotFoundError as exc:
        log.error("attachment %s: stored file %s is missing", attachment.pk, attachment.stored_name)
        raise Attachment.DoesNotExist from exc


def missing_required(application: Application) -> list:
    present = set(application.attachments.values_list("material", flat=True))
    return [m for m in application.kind_spec.required_materials(application) if m.code not in present]


def require_complete(application: Application) -> None:
    """Refuse a submission lacking a required material, naming it."""
    missing = missing_required(application)
    if missing:
        names = "、".join(f"“{m.label}”" for m in missing)
        raise ValidationError({"materials": f"还缺少必须上传的材料：{names}，请先上传后再提交。"})


def by_material(application: Application) -> list[tuple]:
    """(material, required, files) for each material asked in this case (``Kind.materials_of``), then any other
    material of the kind that still has files (the answers changed since, e.g. 简易注销 no longer chosen) with
    ``required`` None: shown so that it can be removed, not asked."""
    kind = application.kind_spec
    asked = kind.materials_of(application)
    required = {m.code for m in kind.required_materials(application)}
    files: dict[str, list[Attachment]] = {}
    for attachment in application.attachments.all():
        files.setdefault(attachment.material, []).append(attachment)
    rows = [(m, m.code in required, files.get(m.code, [])) for m in asked]
    asked_codes = {m.code for m in asked}
    rows += [(m, None, files[m.code]) for m in kind.materials if m.code not in asked_codes and m.code in files]
    return rows


def sweep_orphans(older_than: timedelta = timedelta(hours=1)) -> int:
    """Remove stored files no row refers to (an upload whose surrounding transaction rolled back after the
    file was written). Returns how many were removed."""
    area = privatefiles.root() / Attachment.AREA
    if not area.exists():
        return 0
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    for path in area.glob("*/*"):
        if path.stat().st_mtime > cutoff:
            continue
        name = path.name
        if name.startswith(".tmp-") or not Attachment.objects.filter(stored_name=name).exists():
            path.unlink(missing_ok=True)
            removed += 1
    return removed

