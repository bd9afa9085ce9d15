"""Delete finished background jobs (and their result files) older than CSO_JOB_KEEP_DAYS days, and
the task backend's own finished results of the same age (database backend)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from cso.core import jobs


class Command(BaseCommand):
    help = "删除超过保留期（CSO_JOB_KEEP_DAYS 天）的已完成后台任务及其结果文件。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="保留天数（默认 CSO_JOB_KEEP_DAYS）")

    def handle(self, *args, days=None, **options):
        days = settings.CSO_JOB_KEEP_DAYS if days is None else days
        removed = jobs.prune(days)
        from django_tasks_db.models import DBTaskResult

        finished, _ = DBTaskResult.objects.filter(
            finished_at__lt=timezone.now() - timedelta(days=days)).delete()
        self.stdout.write(f"已删除 {removed} 个后台任务、{finished} 条任务队列记录（早于 {days} 天）。")
