"""Hand a zombie scan (僵尸型社会组织疑似分值) to the background worker (cron: monthly)."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from cso.supervision import zombie


class Command(BaseCommand):
    help = "扫描疑似僵尸型社会组织（计算疑似分值及理由），在后台任务中执行。"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="扫描日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--division", default="", help="只扫描该区划代码前缀下的组织（默认全部）")

    def handle(self, *args, as_of=None, division="", **options):
        day = date.fromisoformat(as_of) if as_of else timezone.localdate()
        run = zombie.start(day, division)
        self.stdout.write(f"僵尸型组织扫描 {run.pk}（{day}）已交给后台任务：{run.status}。")
