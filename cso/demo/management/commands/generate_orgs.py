"""Generate plausible organizations on the imported divisions (demo and scale data).

    manage.py generate_orgs --scope 45 --per-urban 10 --per-rural 5 --seed 1 [--scale 0.1] [--national]
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from cso.demo.generator import generate, national_prefixes
from cso.regions import codes
from cso.regions.models import Division


class Command(BaseCommand):
    help = (
        "在已导入的区划上生成演示和规模测试用的社会组织（名称取自真实社区名和常见团队类型），"
        "按随机种子可重复；已有组织的区划跳过。生成的数据不写字段修改历史，其状态变更和状态区间即为历史。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--scope", action="append", default=[],
                            help="区划代码前缀，如 45（广西）、4501（南宁市）；可重复")
        parser.add_argument("--national", action="store_true", help="全国（所有省级区划）")
        parser.add_argument("--per-urban", type=float, default=10, help="每个城市社区（居委会）平均组织数，默认10")
        parser.add_argument("--per-rural", type=float, default=5, help="每个农村社区（村委会）平均组织数，默认5")
        parser.add_argument("--scale", type=float, default=1.0, help="按比例缩放组织数，如 0.1")
        parser.add_argument("--seed", type=int, default=1, help="随机种子，默认1")
        parser.add_argument("--spread", type=float, default=0.5,
                            help="每个社区组织数的上下浮动比例（0 表示每个社区恰好为平均数），默认0.5")
        parser.add_argument("--registered-share", type=float, default=0.2, help="登记类组织占比，默认0.2")
        parser.add_argument("--batch-size", type=int, default=50_000, help="每批写入的组织数，默认50000")
        parser.add_argument("--defer-indexes", action="store_true",
                            help="（PostgreSQL，大批量）先删除大表的非唯一索引，写完后一次重建；默认全国规模时开启")

    def handle(self, *args, **options):
        if options["national"]:
            prefixes = national_prefixes()
        else:
            prefixes = []
            for scope in options["scope"]:
                scope = scope.strip()
                if not scope.isdigit() or len(scope) not in (2, 4, 6, 9):
                    raise CommandError(f"区划代码前缀应为2、4、6或9位数字：{scope!r}")
                prefixes.append(scope)
        if not prefixes:
            raise CommandError("请用 --scope 指定区划代码前缀（可重复），或用 --national 生成全国数据。")
        for prefix in prefixes:
            low, high = codes.subtree_bounds(prefix)
            if not Division.objects.filter(code__gte=low, code__lte=high, level=codes.COMMUNITY).exists():
                raise CommandError(f"区划 {prefix} 下没有社区（村）级区划，请先导入区划代码。")
        started = time.perf_counter()
        err = self.stderr if self.stderr else sys.stderr

        def progress(info):
            elapsed = time.perf_counter() - started
            rate = info["organizations"] / elapsed if elapsed else 0
            if "index" in info:
                err.write(f"  重建索引 {info['index']}…")
                return
            err.write(f"  已生成 {info['organizations']:,} 个组织，处理社区（村）{info['communities']:,} 个，"
                      f"{elapsed:.0f} 秒，{rate:,.0f} 个/秒")

        self.stdout.write(f"生成社会组织：范围 {'、'.join(prefixes)}，城市社区平均 {options['per_urban']:g} 个、"
                          f"农村社区平均 {options['per_rural']:g} 个，"
                          f"比例 {options['scale']:g}，种子 {options['seed']}")
        result = generate(
            prefixes, per_urban=options["per_urban"], per_rural=options["per_rural"], seed=options["seed"],
            scale=options["scale"], spread=options["spread"], registered_share=options["registered_share"],
            batch_size=options["batch_size"], progress=progress,
            defer_indexes=options["defer_indexes"] or options["national"],
        )
        self.stdout.write(self.style.SUCCESS(result.summary()))
