from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cso.core import jobs
from cso.supervision.annual_tasks import remind_annual_reports


class Command(BaseCommand):
    help = ("提醒未报送年度报告的组织（每天一次，由 cron 运行；在截止日期前 CSO_ANNUAL_REPORT_RULES 的"
            " remind_days 天提醒；同一天再次运行不会重复提醒）。交给后台任务进程执行。")

    def add_arguments(self, parser):
        parser.add_argument("--day", default="", help="按该日期计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, day="", **options):
        if day:
            try:
                date.fromisoformat(day)
            except ValueError as exc:
                raise CommandError(f"--day 应为 YYYY-MM-DD，当前为“{day}”。") from exc
        jobs.enqueue(remind_annual_reports, day)
        self.stdout.write(f"已提交年报提醒任务（{day or '今天'}）。")
