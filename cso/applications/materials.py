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

import logging

from django.core.exceptions import PermissionDenied, ValidationError

from cso.accounts.responsibilities import can, require
from cso.core import attachments

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


def add(application: Application, user, material_code: str, uploaded_file) -> Attachment:
    require(user, "applications.upload", application)
    material = _material(application, material_code)
    _editable(application, material.label)

    def create(**fields) -> Attachment:
        locked = Application.objects.select_for_update().get(pk=application.pk)
        _editable(locked, material.label)
        if locked.attachments.filter(material=material.code).count() >= MAX_FILES_PER_MATERIAL:
            raise ValidationError(f"{material.label}：最多上传 {MAX_FILES_PER_MATERIAL} 个文件（本平台建议），"
                                  "请先删除不需要的文件。")
        return Attachment.objects.create(application=locked, material=material.code, **fields)

    return attachments.store(Attachment, uploaded_file, what=material.label, allowed=material.types, create=create,
                             user=user)


def remove(application: Application, user, attachment: Attachment) -> None:
    require(user, "applications.upload", application)
    if attachment.application_id != application.pk:
        raise Attachment.DoesNotExist
    material = application.kind_spec.material(attachment.material)
    _editable(application, material.label if material else "材料")
    attachments.discard(attachment)


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
        return attachment.open()
    except FileNotFoundError as exc:
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
