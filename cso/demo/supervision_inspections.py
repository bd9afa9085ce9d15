"""Demo of random inspections (双随机一公开): 兴宁区's pool of inspectors (xn_minzheng, xn_shenhe, xn_dengji), one
conflict declared, a yearly plan drawn and published with a few results recorded and published. Safe to run again.

The seed is made with ``secrets`` like any plan's; xn_dengji declares (before the draw) a conflict with an
organization the draw would send them to, so that the demo shows a recorded skip."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cso.accounts.models import User
from cso.orgs.models import Organization
from cso.supervision import draw as drawing
from cso.supervision import inspections as services
from cso.supervision.models import InspectionPlan, InspectionTarget, Inspector

COUNTY = "450102000000"
INSPECTORS = [("xn_minzheng", "GX-XN-0101"), ("xn_shenhe", "GX-XN-0102"), ("xn_dengji", "GX-XN-0201")]


def load(stdout) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=[name for name, _ in INSPECTORS])}
    if len(users) < len(INSPECTORS):
        return
    clerk = users["xn_minzheng"]
    for name, badge in INSPECTORS:
        Inspector.objects.get_or_create(user=users[name], defaults={"division_id": COUNTY, "badge": badge,
                                                                     "added_by": clerk})
    year = timezone.localdate().year
    if InspectionPlan.objects.filter(division_id=COUNTY, year=year, kind=InspectionPlan.Kind.YEARLY).exists():
        return
    plan = InspectionPlan(division_id=COUNTY, year=year, kind=InspectionPlan.Kind.YEARLY,
                          title=f"{year}年度兴宁区社会组织随机抽查", matter="年度报告、按章程开展活动、财务管理",
                          rate=max(plan_rate(), 5), created_by=clerk)
    plan.full_clean()
    plan.save()
    if not services.population(plan).exists():
        return
    _declare_a_conflict(plan)
    services.run_draw(plan, clerk)
    services.publish(plan, clerk)
    targets = list(plan.targets.select_related("organization").order_by("rank")[:3])
    today = timezone.localdate()
    outcomes = [("fix", "未按规定时间报送上一年度工作报告，理事会未按章程换届。"),
                ("ok", "按章程开展活动，财务收支有据可查。"), ("ok", "登记事项与实际一致，未发现问题。")]
    for target, (conclusion, findings) in zip(targets, outcomes, strict=False):
        visited = today - timedelta(days=20)
        if target.method == InspectionTarget.Method.SITE:
            services.schedule_visit(target, visited, clerk)
        result = services.record_result(target, {
            "method": target.method, "inspected_on": visited, "findings": findings, "conclusion": conclusion,
            "fix_by": today + timedelta(days=40) if conclusion == "fix" else None}, clerk)
        if conclusion == "fix":
            services.record_follow_up(result, "已补报年度工作报告，换届筹备中。", today - timedelta(days=2), clerk)
    services.publish_results(plan, clerk)
    stdout.write(f"随机抽查：{plan.title}，抽中 {plan.targets.count()} 个（种子 {plan.seed}），"
                 f"已记录 {len(targets)} 个结果")


def plan_rate():
    from cso.regions.models import Division
    from cso.supervision.models.inspections import min_rate

    return min_rate(Division.objects.get(pk=COUNTY).level)


def _declare_a_conflict(plan: InspectionPlan) -> None:
    """xn_dengji declares a conflict with a visited organization the draw would send them to (when there is one)."""
    result = services.compute(plan.seed, services.frozen_input(plan))
    visits = [t for t in result.targets if t.method == drawing.SITE]
    if not visits:
        return
    target = next((t for t in visits if "xn_dengji" in t.inspectors), visits[0])
    services.declare_conflict(Inspector.objects.get(user__username="xn_dengji"),
                              Organization.objects.get(uid=target.uid), "近亲属在该组织担任理事（演示数据）")
