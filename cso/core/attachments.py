"""Files attached to a case (an application's materials, an annual report's statements, a funding plan …): the
one way every app receives, stores and serves them.

- ``PrivateFile``: the abstract model of such a file (original name, random stored name, sniffed type, size,
  SHA-256, who uploaded it and when). A concrete model adds the case it belongs to and its ``AREA`` (the folder
  under ``CSO_PRIVATE_MEDIA_ROOT``, ``cso.core.privatefiles``).
- ``store(model, uploaded_file, what=…, allowed=…, create=…)``: refuses an oversized file before reading it
  whole, checks it by content (``cso.core.filetypes``: magic bytes, zip bombs, EXIF stripped), writes it
  atomically outside the web root, then calls ``create(**fields)`` (which locks the case, re-checks its state
  and creates the row); if that fails the file is removed again — nothing is half-written.
- ``discard(attachment)``: the row goes now, the file once the transaction commits.
- ``sweep_orphans()``: removes stored files no row refers to (``manage.py sweep_files``).
- ``response(attachment)``: the download, as an attachment with headers that keep a browser from running it.
  The view that calls it has found the case among those the account sees and the file among the case's own.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import models, transaction
from django.http import FileResponse, Http404

from . import filetypes, privatefiles

log = logging.getLogger(__name__)


class PrivateFile(models.Model):
    AREA = ""

    original_name = models.CharField("原文件名", max_length=255)
    stored_name = models.CharField("存储文件名", max_length=64, unique=True, editable=False)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    def open(self):
        """The stored file opened for reading; ``FileNotFoundError`` if it is missing or its name is not ours."""
        try:
            return privatefiles.open_file(self.AREA, self.stored_name)
        except SuspiciousFileOperation as exc:
            log.error("%s %s: stored name %r refused", type(self).__name__, self.pk, self.stored_name)
            raise FileNotFoundError(self.stored_name) from exc
        except FileNotFoundError:
            log.error("%s %s: stored file %s is missing", type(self).__name__, self.pk, self.stored_name)
            raise


class SizeLimit(FileUploadHandler):
    """Stops reading an uploaded file as soon as it passes ``CSO_UPLOAD_MAX_BYTES`` (nothing more is written to
    the temporary file) and notes its name in ``request.too_large``, so that the view names the file as too large.
    Insert it first (``request.upload_handlers.insert(0, SizeLimit(request))``) in a csrf_exempt view that then
    calls a csrf_protect one: the handler must be in place before the CSRF check reads the body."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = filetypes.max_bytes()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.request.too_large = [*getattr(self.request, "too_large", []), self.file_name]
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


def read_limited(uploaded_file, what: str) -> bytes:
    """The upload's bytes, refusing an oversized one (naming ``what``) before it is read into memory."""
    if uploaded_file is None:
        raise ValidationError(f"{what}：请选择要上传的文件。")
    limit = filetypes.max_bytes()
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(f"{what}：文件过大（{size / 1024 / 1024:.1f} MB），"
                              f"单个文件不能超过 {limit / 1024 / 1024:.0f} MB。")
    uploaded_file.seek(0)
    return uploaded_file.read(limit + 1)


def store(model: type[PrivateFile], uploaded_file, *, what: str, allowed, create: Callable[..., PrivateFile],
          user=None) -> PrivateFile:
    """Check, write and record one uploaded file (see the module's text). ``create(**fields)`` gets the file's
    fields and returns the saved row; it runs in a transaction, and a ValidationError it raises reaches the caller
    with the stored file removed."""
    data = read_limited(uploaded_file, what)
    try:
        checked = filetypes.check_file(uploaded_file.name, data, allowed=allowed, what=what)
    except filetypes.UploadRefused as exc:
        raise ValidationError(exc.message) from exc
    stored = privatefiles.write(model.AREA, checked.extension, checked.data)
    try:
        with transaction.atomic():
            return create(original_name=checked.name[:255], stored_name=stored, content_type=checked.content_type,
                          size=len(checked.data), sha256=hashlib.sha256(checked.data).hexdigest(), uploaded_by=user)
    except BaseException:
        privatefiles.delete(model.AREA, stored)
        raise


def discard(attachment: PrivateFile) -> None:
    """Delete the row now and the file once the surrounding transaction commits."""
    area, stored = attachment.AREA, attachment.stored_name
    with transaction.atomic():
        type(attachment).objects.filter(pk=attachment.pk).delete()
        transaction.on_commit(lambda: privatefiles.delete(area, stored))


def response(attachment: PrivateFile, missing: str = "找不到该文件。") -> FileResponse:
    try:
        handle = attachment.open()
    except FileNotFoundError as exc:
        raise Http404(missing) from exc
    return file_response(handle, attachment.original_name, attachment.content_type)


def file_response(handle, filename: str, content_type: str) -> FileResponse:
    """A private file's download: never rendered inline, never sniffed, never cached, sandboxed."""
    result = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    result["X-Content-Type-Options"] = "nosniff"
    result["Cache-Control"] = "private, no-store"
    result["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return result


def file_models() -> list[type[PrivateFile]]:
    """Every installed concrete model of private files (core names none of them)."""
    return [model for model in apps.get_models() if issubclass(model, PrivateFile)]


def sweep_orphans(older_than: timedelta = timedelta(hours=1)) -> int:
    """Remove stored files no row refers to (an upload whose transaction rolled back after the file was written,
    a deleted case), older than ``older_than``. Returns how many were removed."""
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    for model in file_models():
        area = privatefiles.root() / model.AREA
        if not model.AREA or not area.exists():
            continue
        for path in area.glob("*/*"):
            if path.stat().st_mtime > cutoff:
                continue
            name = path.name
            if name.startswith(".tmp-") or not model.objects.filter(stored_name=name).exists():
                path.unlink(missing_ok=True)
                removed += 1
    return removed
