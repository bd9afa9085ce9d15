"""The daily cron commands of supervision: each hands one task to the worker, for today or ``--day``."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cso.core import jobs


class DailyTaskCommand(BaseCommand):
    task = None  # the background task, called with the day ("" = today)
    done = ""  # what was handed over, in the message

    def add_arguments(self, parser):
        parser.add_argument("--day", default="", help="按该日期计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, day="", **options):
        if day:
            try:
                date.fromisoformat(day)
            except ValueError as exc:
                raise CommandError(f"--day 应为 YYYY-MM-DD，当前为“{day}”。") from exc
        jobs.enqueue(type(self).task, day)
        self.stdout.write(f"已提交{self.done}任务（{day or '今天'}）。")
