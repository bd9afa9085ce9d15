from django.db import models


class ReportStatus(models.TextChoices):
    """Where one version of a table stands in the upward approval chain."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"  # reviewed by the division's 审核人 and sent up, awaiting the level above
    RETURNED = "returned", "已退回"  # sent back by the level above; the division corrects it as a new version
    ACCEPTED = "accepted", "已通过"  # accepted by the level above: locked
    SUPERSEDED = "superseded", "已被更正版本替代"  # tables corrected before the approval chain existed


STATUS_BADGES = {
    ReportStatus.DRAFT: "text-bg-secondary",
    ReportStatus.SUBMITTED: "text-bg-primary",
    ReportStatus.RETURNED: "text-bg-warning",
    ReportStatus.ACCEPTED: "text-bg-success",
    ReportStatus.SUPERSEDED: "text-bg-light border",
}


class EventKind(models.TextChoices):
    GENERATED = "generated", "制表（生成草稿）"
    REGENERATED = "regenerated", "重新生成"
    REVIEWED = "reviewed", "审核通过"  # kept for tables reviewed before the approval chain existed
    SUBMITTED = "submitted", "审核并报送"
    RETURNED = "returned", "退回"
    ACCEPTED = "accepted", "通过"
    CORRECTED = "corrected", "更正（新版本）"


class RoundState(models.TextChoices):
    """A division's table of one round, as the level above sees it."""

    NOT_STARTED = "not_started", "未开始"
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已通过"


ROUND_STATE_BADGES = {
    RoundState.NOT_STARTED: "text-bg-light border",
    RoundState.DRAFT: "text-bg-secondary",
    RoundState.SUBMITTED: "text-bg-primary",
    RoundState.RETURNED: "text-bg-warning",
    RoundState.ACCEPTED: "text-bg-success",
}


class Timeliness(models.TextChoices):
    """Where a division's round stands against its deadline."""

    NOT_DUE = "not_due", "未到报送期限"
    ON_TIME = "on_time", "按时报送"
    SUBMITTED_LATE = "submitted_late", "逾期报送"
    OVERDUE = "overdue", "逾期未报"
