from django.db import models


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEWED = "reviewed", "已审核"
    SUBMITTED = "submitted", "已报送"
    SUPERSEDED = "superseded", "已被更正版本替代"


STATUS_BADGES = {
    ReportStatus.DRAFT: "text-bg-secondary",
    ReportStatus.REVIEWED: "text-bg-info",
    ReportStatus.SUBMITTED: "text-bg-success",
    ReportStatus.SUPERSEDED: "text-bg-light border",
}


class EventKind(models.TextChoices):
    GENERATED = "generated", "生成草稿"
    REGENERATED = "regenerated", "重新生成"
    REVIEWED = "reviewed", "审核通过"
    RETURNED = "returned", "退回修改"
    SUBMITTED = "submitted", "报送"
    CORRECTED = "corrected", "发起更正"


class Timeliness(models.TextChoices):
    """Where a county's quarter stands against its deadline."""

    NOT_DUE = "not_due", "未到报送期限"
    ON_TIME = "on_time", "按时报送"
    SUBMITTED_LATE = "submitted_late", "逾期报送"
    OVERDUE = "overdue", "逾期未报"
