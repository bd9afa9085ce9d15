"""Record graduations whose application was decided while the intake still says 出壳办理中 (daily, by cron)."""

from django.core.management.base import BaseCommand

from cso.support.services import record_pending_graduations


class Command(BaseCommand):
    help = "补记出壳结果：出壳申请已办结但入驻记录仍为“出壳办理中”的，按申请结果补记（可重复运行）。"

    def handle(self, *args, **options):
        done = record_pending_graduations()
        self.stdout.write(f"补记出壳结果 {len(done)} 条。")
