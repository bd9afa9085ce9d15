"""Demo of the credit lists (民政部令第60号) in 兴宁区: the association linked to the demo organization account
(xn_zuzhi) is on the abnormal list for a missing annual report (confirmed, with its two-year timer), a second
association has a decided 执法监察 fine of ¥80,000 (a proposed serious-list entry waiting for the registering body,
xn_dengji), a third a warning (abnormal, leaves after six months). Idempotent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cso.accounts.models import User
from cso.orgs.choices import LIVE_STATUSES, Track
from cso.orgs.models import AccountLink, Organization
from cso.supervision import credit, credit_runner, enforcement
from cso.supervision.models import CreditEvent, CreditRun, ListEntry

COUNTY = "450102000000"


@transaction.atomic
def load(stdout) -> None:
    registrar = User.objects.filter(username="xn_dengji").first()
    live = Organization.objects.filter(status__in=LIVE_STATUSES, track=Track.REGISTERED,
                                       registration_authority_division_id=COUNTY).order_by("id")
    if registrar is None or live.count() < 3:
        stdout.write("演示信用名录：缺少登记管理机关账号或本区登记的组织，跳过。")
        return
    if CreditEvent.objects.filter(organization__registration_authority_division_id=COUNTY).exists():
        stdout.write("演示信用名录：已存在，跳过。")
        return
    linked = live.filter(pk__in=AccountLink.objects.filter(user__username="xn_zuzhi").values("organization")).first()
    first = linked or live.first()
    second, third = live.exclude(pk=first.pk)[:2]
    today = timezone.localdate()
    credit.record_event(first, "annual_report_missing", today - timedelta(days=150), source="上一年度工作报告（演示）",
                        user=registrar)
    case = enforcement.open_case(second, registrar, facts="违反规定使用会费（演示）",
                                 opened_on=today - timedelta(days=40))
    enforcement.decide_case(case, registrar, decision="罚款8万元（演示）", basis="《社会团体登记管理条例》（演示）",
                            decided_on=today - timedelta(days=10), penalty_type="fine", fine_amount=Decimal("80000"))
    credit.record_event(third, "penalty", today - timedelta(days=60), penalty_type="warning",
                        source="行政处罚决定书（演示）", user=registrar)
    run = CreditRun.objects.create(as_of=today, division_prefix="450102", full=True, requested_by=registrar)
    credit_runner.execute(run)
    for entry in ListEntry.objects.filter(organization__in=[first, third], state="proposed"):
        credit.decide(entry, registrar, True, "经核实，符合列入条件（演示）")
    stdout.write(f"演示信用名录：{first.name}（活动异常，已公示）、{second.name}（严重违法失信，待确认）、{third.name}（警告）。")
