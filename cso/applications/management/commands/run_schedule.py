"""A tiny scheduler beside the task worker: once a day, at ``CSO_OVERDUE_SCAN_TIME`` (local time, "HH:MM"),
it enqueues the overdue scan for the worker. It runs nothing itself; a missed time (the scheduler was down)
is made up as soon as it is back the same day; the scan's own per-day record keeps it to once a day."""

from __future__ import annotations

import time
from datetime import date, datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cso.applications.models import OverdueScan
from cso.applications.tasks import scan_overdue
from cso.core import jobs


def scan_time():
    value = getattr(settings, "CSO_OVERDUE_SCAN_TIME", "02:00") or "02:00"
    try:
        return datetime.strptime(value, "%H:%M").time()
    except ValueError as exc:
        raise CommandError(f"CSO_OVERDUE_SCAN_TIME 应为“时:分”，如 02:00，当前为“{value}”。") from exc


class Command(BaseCommand):
    help = "定时任务：每天在 CSO_OVERDUE_SCAN_TIME 把逾期扫描交给后台任务进程（与 db_worker 一起运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只检查一次（测试用）")
        parser.add_argument("--interval", type=int, default=60, help="检查间隔（秒）")

    def handle(self, *args, once=False, interval=60, **options):
        at = scan_time()
        self.last: date | None = None
        while True:
            self.tick(at)
            if once:
                return
            time.sleep(max(1, interval))

    def tick(self, at) -> bool:
        now = timezone.localtime()
        today = now.date()
        if now.time() < at or self.last == today:
            return False
        self.last = today
        if OverdueScan.objects.filter(day=today, finished_at__isnull=False).exists():
            return False
        jobs.enqueue(scan_overdue)
        self.stdout.write(f"{now:%Y-%m-%d %H:%M} 已提交逾期扫描。")
        return True
