"""Activity records (活动记录): what an organization did, when and where, with how many people and an optional photo.

Recorded by the organization's own account or by the street / community (the responsibilities table,
``supervision.activity_record``); the zombie scan reads the latest date (no record for N months is a signal).
The photo (``ActivityPhoto``) is checked by content (JPEG / PNG / HEIC, metadata stripped) and stored outside the web
root through ``cso.core.attachments``; only the photo view, after checking who asks, streams it.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from cso.accounts.responsibilities import require
from cso.core import attachments

from .models.zombie import ActivityPhoto, ActivityRecord

PHOTO_TYPES = ("jpeg", "png", "heic")


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

    def create(**file_fields) -> ActivityRecord:
        record = ActivityRecord.objects.create(
            organization=organization, date=on, what=what[:300], place=(place or "").strip()[:200],
            participants=participants, recorded_by=user)
        if file_fields:
            ActivityPhoto.objects.create(record=record, **file_fields)
        return record

    if not photo:
        with transaction.atomic():
            return create()
    try:
        return attachments.store(ActivityPhoto, photo, what="照片", allowed=PHOTO_TYPES, create=create, user=user)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from exc
