"""Import a statistical division code table (统计用区划代码表): see ``cso.regions.importer``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cso.regions.importer import ProgressPrinter, emit_report, failed, find_user, import_divisions


class Command(BaseCommand):
    help = (
        "导入统计用区划代码表（CSV 或 .csv.gz，列：code,name,level,parent_code,urban_rural_code）。"
        "先校验全部行，默认有任何一行被拒绝就不写入；重复导入同一文件不会产生任何改动。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="区划文件（.csv 或 .csv.gz）")
        parser.add_argument("--edition", type=int, default=2023, help="区划代码表的年度（默认 2023）")
        parser.add_argument("--scope", default=None, help="只导入该代码前缀之下的区划（2、4、6、9或12位）")
        parser.add_argument(
            "--complete",
            action="store_true",
            help="文件是范围内的完整名录：库中有而文件中没有的现行区划标记为本年度撤销（不删除）",
        )
        parser.add_argument("--successors", metavar="FILE", help="承继关系文件（列：code,successor_code）")
        parser.add_argument("--allow-rejects", action="store_true", help="有被拒绝的行时仍导入其余有效行")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告，不写入")
        parser.add_argument("--report", metavar="FILE", help="把全部被拒绝的行写入此 CSV 文件")
        parser.add_argument("--user", metavar="USERNAME", help="记录为操作人的用户名")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        if options["successors"] and not Path(options["successors"]).is_file():
            raise CommandError(f"承继关系文件不存在：{options['successors']}")
        progress = ProgressPrinter(self.stderr) if options["verbosity"] > 0 else None
        try:
            user = find_user(options["user"])
            result = import_divisions(
                path,
                edition=options["edition"],
                scope_prefix=options["scope"],
                complete=options["complete"],
                successors=options["successors"],
                allow_rejects=options["allow_rejects"],
                dry_run=options["dry_run"],
                user=user,
                progress=progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        emit_report(result, self.stdout, options["report"])
        if failed(result):
            raise CommandError(f"有 {result.rejected_rows:,} 行被拒绝，未写入任何数据。")
