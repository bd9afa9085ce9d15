from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from cso.accounts.models import PhoneCode


class Command(BaseCommand):
    help = "删除一天以前的短信验证码记录（过期的验证码和限频所需的记录都不超过一小时）。"

    def handle(self, *args, **options):
        deleted, _ = PhoneCode.objects.filter(created__lt=timezone.now() - timedelta(days=1)).delete()
        self.stdout.write(f"已删除短信验证码记录 {deleted} 条。")
