from django.core.management.base import BaseCommand

from cso.applications import overdue


class Command(BaseCommand):
    help = "扫描逾期的申请步骤并提醒办理人和申请人（每天一次；同一天再次运行不会重复提醒）。"

    def handle(self, *args, **options):
        run = overdue.scan()
        self.stdout.write(f"{run.day:%Y-%m-%d} 逾期扫描：提醒 {run.flagged} 件申请。")
