from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cso.core import jobs
from cso.supervision.feeds import feed_credit_from_annual_reports


class Command(BaseCommand):
    help = ("把逾期未报送年度报告的组织记入信用记录（未按规定报送年度工作报告；每天一次，由 cron 运行；"
            "每个组织每个年度只记一次）。交给后台任务进程执行。")

    def add_arguments(self, parser):
        parser.add_argument("--day", default="", help="按该日期计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, day="", **options):
        if day:
            try:
                date.fromisoformat(day)
            except ValueError as exc:
                raise CommandError(f"--day 应为 YYYY-MM-DD，当前为“{day}”。") from exc
        jobs.enqueue(feed_credit_from_annual_reports, day)
        self.stdout.write(f"已提交年报逾期信用记录任务（{day or '今天'}）。")
