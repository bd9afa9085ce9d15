"""Demo annual reports (年检年报) of 兴宁区's registered organizations, so that the county bureau (xn_minzheng) finds
a review queue and a list of missing reports, and the organization's account (xn_zuzhi) a report to fill in:

- last report year: three submitted (one late) waiting for review, one returned for correction, one reviewed 合格;
  the rest of 兴宁区's organizations owing a report are missing;
- the year before: the demo organization's report reviewed 基本合格, so its next report needs a remediation report.

Skipped once any annual report exists."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

COUNTY = "450102000000"  # 兴宁区
CONTENT = {
    "work_compliance": "遵守法律法规和国家政策，未受到行政处罚。", "work_changes": "无",
    "work_activities": "按照章程开展邻里互助、为老服务活动24次，服务居民800余人次。",
    "work_personnel": "理事会换届，新增理事1名。", "work_funds": "收入来源为会费和政府购买服务，支出用于活动开展。",
    "work_awards": "", "work_public_benefit": "重阳节慰问高龄老人。",
    "total_income": Decimal("86000"), "total_expense": Decimal("79000"), "donation_income": Decimal("6000"),
    "government_grants": Decimal("50000"), "year_end_assets": Decimal("42000"), "liabilities": Decimal("3000"),
    "net_assets": Decimal("39000"), "party_members": 4, "party_organization": False,
    "party_activities": "社区党委派驻党建指导员，组织党员参加社区党日活动。",
}


def load(stdout=None) -> int:
    from django.db import transaction
    from django.utils import timezone

    from cso.accounts.models import User
    from cso.orgs.models import AccountLink, Organization
    from cso.supervision import annual
    from cso.supervision.models import AnnualReport, AnnualReportEvent

    if AnnualReport.objects.exists():
        if stdout:
            stdout.write("演示年度报告：已存在，跳过。")
        return 0
    year = timezone.localdate().year - 1
    bureau = User.objects.filter(username="xn_minzheng").first()
    owing = annual.owing(Organization.objects.filter(registration_authority_division_id=COUNTY, track="registered"),
                         year)
    demo_org = (AccountLink.objects.filter(user__username="xn_zuzhi", organization__track="registered")
                .values_list("organization_id", flat=True).first())
    others = list(owing.exclude(pk=demo_org).order_by("id")[:5])
    if len(others) < 5:
        if stdout:
            stdout.write("演示年度报告：兴宁区没有足够的登记组织，跳过。")
        return 0
    now = timezone.now()

    def report(org, report_year, state, *, late=False, result="", reason="", days_ago=10):
        at = now - timedelta(days=days_ago)
        due = annual.deadline(org, report_year)
        submitted = (timezone.make_aware(datetime.combine(due + timedelta(days=3), datetime.min.time()))
                     if late else at)
        row = AnnualReport.objects.create(
            organization=org, year=report_year, state=state, **CONTENT, submitted_at=submitted,
            resubmitted_at=submitted, due_on=due, late=late, result=result, reason=reason,
            reviewer=bureau if result else None, reviewed_at=at if result else None)
        AnnualReportEvent.objects.create(report=row, verb="submit", from_state="draft", to_state="submitted")
        if state == "returned":
            AnnualReportEvent.objects.create(report=row, actor=bureau, verb="return", from_state="submitted",
                                             to_state="returned", reason="请补充理事会换届的决议和新任理事名单。")
        if result:
            AnnualReportEvent.objects.create(report=row, actor=bureau, verb="review", from_state="submitted",
                                             to_state="reviewed", result=result, reason=reason)
        return row

    with transaction.atomic():
        made = [
            report(others[0], year, "submitted", days_ago=20),
            report(others[1], year, "submitted", days_ago=5),
            report(others[2], year, "submitted", late=True),
            report(others[3], year, "returned", days_ago=12),
            report(others[4], year, "reviewed", result="pass", days_ago=30),
        ]
        if demo_org:
            org = Organization.objects.get(pk=demo_org)
            if annual.owes_report(org, year - 1):
                made.append(report(org, year - 1, "reviewed", result="basic", days_ago=300,
                                   reason="财务管理制度不健全，未按民间非营利组织会计制度建账。"))
    if stdout:
        stdout.write(f"演示年度报告：{len(made)} 份（{year}年度待审查3份、退回修改1份、合格1份）。")
    return len(made)
