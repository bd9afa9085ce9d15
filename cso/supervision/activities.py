"""Activity records (活动记录): what an organization did, when and where, with how many people and an optional photo.

Recorded by the organization's own account or by the street / community (the responsibilities table,
``supervision.activity_record``); the zombie scan reads the latest date (no record for N months is a signal).
The photo is checked by content (``cso.core.filetypes``: JPEG / PNG / HEIC, metadata stripped) and stored outside
the web root (``cso.core.privatefiles``); only the photo view, after checking who asks, streams it.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from cso.accounts.responsibilities import require
from cso.core import filetypes, privatefiles

from .models.zombie import ActivityRecord

PHOTO_TYPES = ("jpeg", "png", "heic")


def _photo(uploaded_file) -> filetypes.Checked:
    limit = filetypes.max_bytes()
    if getattr(uploaded_file, "size", 0) > limit:
        raise ValidationError({"photo": f"照片过大，不能超过 {limit // (1024 * 1024)} MB。"})
    uploaded_file.seek(0)
    try:
        return filetypes.check_file(uploaded_file.name, uploaded_file.read(limit + 1), allowed=PHOTO_TYPES,
                                    what="照片")
    except filetypes.UploadRefused as exc:
        raise ValidationError({"photo": exc.message}) from exc


def add(organization, user, *, on: date, what: str, place: str = "", participants: int | None = None,
        photo=None, today: date | None = None) -> ActivityRecord:
    require(user, "supervision.activity_record", organization)
    if not organization.is_live:
        raise ValidationError({"date": "该组织已注销、撤销或清理，不能再记录活动。"})
    what = (what or "").strip()
    if not what:
        raise ValidationError({"what": "请填写活动名称。"})
    if today is not None and on > today:
        raise ValidationError({"date": "活动日期不能晚于今天。"})
    checked = _photo(photo) if photo else None
    stored = privatefiles.write(ActivityRecord.AREA, checked.extension, checked.data) if checked else ""
    try:
        with transaction.atomic():
            return ActivityRecord.objects.create(
                organization=organization, date=on, what=what[:300], place=(place or "").strip()[:200],
                participants=participants, recorded_by=user,
                photo_name=checked.name[:255] if checked else "", photo_stored=stored,
                photo_type=checked.content_type if checked else "")
    except BaseException:
        if stored:
            privatefiles.delete(ActivityRecord.AREA, stored)
        raise


def open_photo(record: ActivityRecord):
    return privatefiles.open_file(ActivityRecord.AREA, record.photo_stored)
