"""Import 城乡分类代码 of village-level units: see ``cso.regions.importer``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cso.regions.importer import ProgressPrinter, emit_report, failed, find_user, import_urban_rural


class Command(BaseCommand):
    help = (
        "导入村级单位的城乡分类代码（CSV 或 .csv.gz，列：code,urban_rural_code）。"
        "不会用较旧年度的代码替换较新年度的代码；区划库中没有的代码列出并跳过。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="城乡分类代码文件（.csv 或 .csv.gz）")
        parser.add_argument(
            "--edition", type=int, required=True,
            help="代码所属的区划代码表年度（例如 2016 年版代用数据填 2016）",
        )  # fmt: skip
        parser.add_argument("--report", metavar="FILE", help="把全部被拒绝或跳过的行写入此 CSV 文件")
        parser.add_argument("--user", metavar="USERNAME", help="记录为操作人的用户名")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        progress = ProgressPrinter(self.stderr) if options["verbosity"] > 0 else None
        try:
            result = import_urban_rural(
                path, edition=options["edition"], user=find_user(options["user"]), progress=progress
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        emit_report(result, self.stdout, options["report"])
        if failed(result):
            raise CommandError(f"有 {result.rejected_rows:,} 行被拒绝，未写入任何数据。")
