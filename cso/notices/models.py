"""Notifications an account receives inside the platform (the bell), and how else it wants them delivered.

A ``Notification`` is always written (the in-app channel); the background task ``tasks.deliver`` then sends
it by SMS and/or e-mail as the recipient's ``Preference`` says. Each account reads its own notifications
only (responsibilities table: ``notices.view``, reach: the account itself).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField("类别", max_length=40, blank=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=500, blank=True)
    related_type = models.CharField("相关对象类型", max_length=60, blank=True)  # "applications.Application"
    related_id = models.CharField("相关对象", max_length=40, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    delivered_at = models.DateTimeField("短信、邮件发送时间", null=True, blank=True)
    channels = models.CharField("已发送渠道", max_length=40, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            # the bell: one count of an account's unread rows
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notices_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notices_list"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    def responsibility_facts(self):
        from cso.accounts.responsibilities import Facts

        recipient_id = self.recipient_id
        return Facts(division=None, linked=lambda user: user.pk == recipient_id)


class Preference(models.Model):
    """How an account wants its notifications beyond the platform (本平台建议：短信默认开启，邮件默认关闭)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE,
                                related_name="notice_preference")
    sms = models.BooleanField("短信通知", default=True, help_text="发送到账号登记的手机号码")
    email = models.BooleanField("电子邮件通知", default=False, help_text="发送到账号登记的电子邮箱")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "通知设置"
        verbose_name_plural = "通知设置"

    def __str__(self):
        return f"{self.user} 通知设置"


def preference_of(user) -> Preference:
    """The account's preference (the defaults while it has saved none; not written)."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)
