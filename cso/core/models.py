"""Shared models of the ``core`` app: the generic import job.

An ``ImportJob`` records one uploaded file from the dry run to the apply: who uploaded it, where in
the hierarchy it belongs (so it is scoped like every other row), the file itself, the progress of
the validation, the counts and the report (every rejected row and every duplicate warning).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cso.core.scoping import ScopedModel


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", "校验中"
    VALIDATED = "validated", "已校验，待确认"
    APPLYING = "applying", "导入中"
    APPLIED = "applied", "已导入"
    FAILED = "failed", "失败"


class ImportJob(ScopedModel):
    """One uploaded file: dry run, report, confirmation and apply."""

    kind = models.CharField("导入类型", max_length=40, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    division = models.ForeignKey(
        "regions.Division", verbose_name="所属区划", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="上传人账号所属区划；全国账号为空。",
    )
    file_name = models.CharField("文件名", max_length=255)
    file_size = models.PositiveBigIntegerField("文件大小（字节）", default=0)
    content = models.BinaryField("文件内容", editable=False)
    payload = models.BinaryField(
        "校验通过的数据", null=True, editable=False,
        help_text="校验通过的各行（压缩的 JSON），确认导入时使用，不再重新读取文件。",
    )
    status = models.CharField("状态", max_length=12, choices=ImportStatus.choices, default=ImportStatus.VALIDATING)
    message = models.TextField("说明", blank=True)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    valid_rows = models.PositiveIntegerField("可导入行数", default=0)
    error_rows = models.PositiveIntegerField("有错误的行数", default=0)
    warning_rows = models.PositiveIntegerField("疑似重复的行数", default=0)
    excluded_rows = models.PositiveIntegerField("确认时排除的行数", default=0)
    created_rows = models.PositiveIntegerField("已导入行数", default=0)
    updated_rows = models.PositiveIntegerField(
        "更新已有组织的行数", default=0, help_text="校验后：将更新已有组织的行数；导入后：已更新的组织数。",
    )
    unchanged_rows = models.PositiveIntegerField("与已有组织一致的行数", default=0)
    report = models.JSONField("校验报告", default=list, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    validated_at = models.DateTimeField("校验完成时间", null=True, blank=True)
    applied_at = models.DateTimeField("导入时间", null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认导入人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_field = "division"

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "division", "created_at"], name="core_importjob_kind_div")]

    def __str__(self):
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.VALIDATING, ImportStatus.APPLYING)

    @property
    def can_apply(self) -> bool:
        return self.status == ImportStatus.VALIDATED and self.valid_rows > 0

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.VALIDATED, ImportStatus.APPLIED):
            return 100
        if not self.total_rows:
            return 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))

    @property
    def errors(self) -> list[dict]:
        return [r for r in self.report if r.get("level") == "error"]

    @property
    def warnings(self) -> list[dict]:
        return [r for r in self.report if r.get("level") == "warning"]

    @property
    def changes(self) -> list[dict]:
        """Field-by-field differences of the rows that update existing organizations."""
        return [r for r in self.report if r.get("level") == "change"]

    @property
    def new_rows(self) -> int:
        """New organizations: to create (validated) or created (applied)."""
        if self.status == ImportStatus.APPLIED:
            return self.created_rows
        return max(self.valid_rows - self.updated_rows, 0)

class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(ScopedModel):
    """One piece of background work a user asked for (an export, a roll-up): its progress, and the
    file it produced. The work itself runs in the task worker (``cso.core.jobs``); the job page polls
    this row. The file is kept in the row (the web and the worker processes may sit on different
    machines) and is offered only to the user who asked for it."""

    kind = models.CharField("任务类型", max_length=60, db_index=True)
    title = models.CharField("任务", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.CASCADE, related_name="+"
    )
    division = models.ForeignKey(
        "regions.Division", verbose_name="所属区划", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="发起人账号所属区划；全国账号为空。",
    )
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    message = models.TextField("说明", blank=True)
    step = models.CharField("当前步骤", max_length=100, blank=True)
    total = models.PositiveIntegerField("总数", default=0)
    processed = models.PositiveIntegerField("已处理", default=0)
    task_id = models.CharField("后台任务编号", max_length=64, blank=True, editable=False)
    back_url = models.CharField("返回地址", max_length=2000, blank=True)
    result = models.BinaryField("结果文件", null=True, editable=False)
    result_name = models.CharField("结果文件名", max_length=255, blank=True)
    result_type = models.CharField("结果文件类型", max_length=120, blank=True)
    result_size = models.PositiveBigIntegerField("结果文件大小（字节）", default=0)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    scope_field = "division"

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"], name="core_job_user_created")]

    def __str__(self):
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def is_running(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def has_result(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.result_name)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.processed * 100 / self.total))
