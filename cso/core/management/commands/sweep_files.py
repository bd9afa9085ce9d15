"""Remove stored private files no row refers to (an upload whose transaction rolled back after the file was written,
or a deleted case), older than an hour by default — for every kind of attached file (``cso.core.attachments``)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from cso.core import attachments


class Command(BaseCommand):
    help = "删除没有对应记录的附件文件（上传未完成或所属事项已删除时留下的），默认只删一小时前的。"

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=60, help="只删除早于这么多分钟的文件（默认 60）")

    def handle(self, *args, minutes=60, **options):
        removed = attachments.sweep_orphans(timedelta(minutes=minutes))
        self.stdout.write(f"已删除 {removed} 个无对应记录的附件文件。")
