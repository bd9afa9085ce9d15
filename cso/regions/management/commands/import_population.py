"""Import 2020 census population and households of county-level units: see ``cso.regions.importer``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cso.regions.importer import (
    COUNTY_CODE_CHANGES,
    DATA_DIR,
    ProgressPrinter,
    emit_report,
    failed,
    find_user,
    import_population,
)


class Command(BaseCommand):
    help = (
        "导入县级单位的人口普查常住人口和家庭户数（列：code,name,population,households；6位县级代码），"
        "并汇总到地市和省。不覆盖工作人员填报的数据（除非 --force）；未匹配的代码列出并跳过。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(DATA_DIR / "population_2020_county.csv"),
            help="人口文件（默认 data/divisions/population_2020_county.csv）",
        )  # fmt: skip
        parser.add_argument("--year", type=int, default=2020, help="普查年度（默认 2020）")
        parser.add_argument("--force", action="store_true", help="也覆盖工作人员填报的数据")
        parser.add_argument(
            "--code-changes", metavar="FILE", default=str(COUNTY_CODE_CHANGES),
            help="普查后县级代码变更对照表（列：old_code,new_code,kind）",
        )  # fmt: skip
        parser.add_argument("--report", metavar="FILE", help="把全部被拒绝或跳过的行写入此 CSV 文件")
        parser.add_argument("--user", metavar="USERNAME", help="记录为操作人的用户名")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        progress = ProgressPrinter(self.stderr) if options["verbosity"] > 0 else None
        try:
            result = import_population(
                path,
                year=options["year"],
                force=options["force"],
                user=find_user(options["user"]),
                progress=progress,
                code_changes=options["code_changes"] or None,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        emit_report(result, self.stdout, options["report"])
        if failed(result):
            raise CommandError(f"有 {result.rejected_rows:,} 行被拒绝，未写入任何数据。")
