"""Hand a run of the credit rules to the background worker (cron: daily; the timers are days)."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from cso.supervision import credit_runner


class Command(BaseCommand):
    help = "运行信用规则（活动异常名录、严重违法失信名单），在后台任务中执行。"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="计算日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--division", default="", help="只计算该区划代码前缀下的组织（默认全部）")
        parser.add_argument("--full", action="store_true", help="全量：计算所有有信用记录的组织（默认只算有变化的）")

    def handle(self, *args, as_of=None, division="", full=False, **options):
        day = date.fromisoformat(as_of) if as_of else timezone.localdate()
        run = credit_runner.start(day, division, full=full)
        self.stdout.write(f"信用规则运行 {run.pk}（{day}）已交给后台任务：{run.status}。")
