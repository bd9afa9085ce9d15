"""Estimate missing community and street figures, marked as estimates: see ``cso.regions.importer``."""

from django.core.management.base import BaseCommand, CommandError

from cso.regions.importer import ProgressPrinter, emit_report, estimate_figures, find_user


class Command(BaseCommand):
    help = (
        "为没有人口户数的社区（村）和街道（乡镇）按所属县级单位的普查数据估算人口、户数和设施面积，"
        "全部标记为“估算”；普查和工作人员填报的数据不会被改动。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default=None, help="只估算该代码前缀之下的单位（默认全国）")
        parser.add_argument("--user", metavar="USERNAME", help="记录为操作人的用户名")

    def handle(self, *args, **options):
        progress = ProgressPrinter(self.stderr) if options["verbosity"] > 0 else None
        try:
            result = estimate_figures(prefix=options["prefix"], user=find_user(options["user"]), progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        emit_report(result, self.stdout)
