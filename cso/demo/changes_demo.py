"""Demo cases of the kinds about an existing organization: from the demo organization account (xn_zuzhi), a
pending 变更 of an association registered by 兴宁区 (in the queue of the registering body, xn_dengji) and a pending
备案注销 of a group filed with 民生街道 (in the street's queue, minsheng_jd). Idempotent."""

from __future__ import annotations

from django.db import transaction

from cso.accounts.models import User
from cso.applications import services
from cso.applications.existing import open_case
from cso.applications.kinds.change import current_facts
from cso.orgs.choices import LIVE_STATUSES, Track
from cso.orgs.models import AccountLink, Organization

from .sample_materials import attach_required

COMMUNITY, COUNTY, STREET = "450102001003", "450102000000", "450102001000"


def _pick(track: str, body: str) -> Organization | None:
    live = Organization.objects.filter(status__in=LIVE_STATUSES, track=track, registration_authority_division_id=body)
    return (live.filter(division_id=COMMUNITY).order_by("id").first()
            or live.within(body[:9 if track == Track.FILED else 6]).order_by("id").first())


def _linked(user, org) -> None:
    if not AccountLink.objects.filter(user=user, organization=org).exists():
        AccountLink.objects.create(user=user, organization=org, role=AccountLink.LinkRole.LIAISON,
                                   division_id=org.division_id)


@transaction.atomic
def load(stdout) -> None:
    user = User.objects.filter(username="xn_zuzhi").first()
    association, group = _pick(Track.REGISTERED, COUNTY), _pick(Track.FILED, STREET)
    if user is None or association is None or group is None:
        stdout.write("演示变更、备案注销申请：缺少演示账号或组织，跳过。")
        return
    made = []
    _linked(user, association)
    if open_case(association) is None:
        facts = current_facts(association)
        cleaned = {**facts, "address": f"{association.address or '兴宁路'}（新址：兴宁路88号）",
                   "member_count": (facts.get("member_count") or 50) + 12, "reason": "经2026年会员大会表决通过（演示）"}
        draft = services.save_draft(user, "change", cleaned, organization=association)
        attach_required(draft, user)
        made.append(services.submit(draft, user).number)
    _linked(user, group)
    if open_case(group) is None:
        cleaned = {"cause": "stopped", "reason": "队员多已迁居外地，团队停止活动（演示）", "stopped_on": None}
        draft = services.save_draft(user, "filing_cancel", cleaned, organization=group)
        attach_required(draft, user)
        made.append(services.submit(draft, user).number)
    stdout.write(f"演示变更、备案注销申请：{'、'.join(made) or '已存在，跳过'}。")
