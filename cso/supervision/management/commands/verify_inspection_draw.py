"""Re-run the draw of random-inspection plans from their published seed and frozen lists, and compare."""

from django.core.management.base import BaseCommand, CommandError

from cso.supervision import inspections as services
from cso.supervision.models import InspectionPlan


class Command(BaseCommand):
    help = ("核对随机抽查：公开的种子与制定计划时公开的承诺值相符（SHA-256），并重新计算抽取结果与记录比对"
            "（不带参数时核对全部已抽取的计划）。")

    def add_arguments(self, parser):
        parser.add_argument("plans", nargs="*", type=int, help="抽查计划编号")

    def handle(self, *args, **options):
        plans = InspectionPlan.objects.exclude(state=InspectionPlan.State.DRAFT)
        if options["plans"]:
            plans = plans.filter(pk__in=options["plans"])
        failed = 0
        for plan in plans.order_by("pk"):
            problems = services.verify(plan)
            if problems:
                failed += 1
                self.stdout.write(f"{plan.pk} {plan.title}: 不一致 — {' '.join(problems)}")
            else:
                self.stdout.write(f"{plan.pk} {plan.title}: 一致（种子 {plan.seed}，"
                                  f"SHA-256 与承诺值 {plan.seed_commitment} 相符，抽中 {plan.targets.count()} 个）")
        if failed:
            raise CommandError(f"{failed}个计划的抽取结果与重新计算不一致。")
