"""Daily: grades whose notice period ended stand; expiry reminders for grades ending within 180 days."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cso.supervision import evaluation_services


class Command(BaseCommand):
    help = "等级评估：公示期满的结果生效，并发送评估等级到期提醒。"

    def handle(self, *args, **options):
        today = timezone.localdate()
        done = evaluation_services.finalise_due(today)
        sent = evaluation_services.remind_expiring(today)
        self.stdout.write(f"finalised {done}, reminded {sent}")
