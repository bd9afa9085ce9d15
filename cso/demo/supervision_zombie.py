"""Demo of zombie detection and clean-up (清理整治, seed 002 第三条) in 兴宁区: a scan as of today, a campaign of the
county bureau (xn_minzheng) over the candidates (or the oldest filed groups when the scan finds none above the
threshold), and a few outcomes recorded by the street (minsheng_jd): 恢复活动, and 清理 of a filed group (made at once
or proposed for the bureau to confirm, as the responsibilities table says); one case still open is reassigned by the
bureau to another street of 兴宁区 (改派), with its reason. Before the scan, activity records: one by
the organization's own account (xn_zuzhi) and one by the street, so that those two are not flagged for inactivity.
Idempotent."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cso.accounts.models import User
from cso.orgs.choices import LIVE_STATUSES, Track
from cso.orgs.models import AccountLink, Organization
from cso.regions.models import Division
from cso.supervision import activities, campaigns, zombie
from cso.supervision.models import Campaign

COUNTY = "450102000000"
TITLE = "兴宁区“僵尸型”社区社会组织清理整治（演示）"


@transaction.atomic
def load(stdout) -> None:
    bureau = User.objects.filter(username="xn_minzheng").first()
    street = User.objects.filter(username="minsheng_jd").first()
    if bureau is None or street is None:
        stdout.write("演示清理整治：缺少民政局或街道账号，跳过。")
        return
    if Campaign.objects.filter(title=TITLE).exists():
        stdout.write("演示清理整治：已存在，跳过。")
        return
    today = timezone.localdate()
    _activities(street, today)
    run = zombie.scan(today, "450102")
    county = Division.objects.get(pk=COUNTY)
    ids = None
    if not zombie.candidates("450102").exists():
        ids = list(Organization.objects.within("450102001").filter(status__in=LIVE_STATUSES)
                   .order_by("filed_on", "id").values_list("pk", flat=True)[:5])
    try:
        campaign = campaigns.create_campaign(bureau, county, title=TITLE, basis="种子文件002第三条", started_on=today,
                                             organization_ids=ids)
    except ValidationError:
        stdout.write("演示清理整治：没有可列入的组织，跳过。")
        return
    cases = list(campaign.cases.filter(street_id="450102001000").select_related("organization", "campaign"))
    resumed = next((c for c in cases if c.organization.track == Track.REGISTERED), None)
    cleared = next((c for c in cases if c.organization.track == Track.FILED and c is not resumed), None)
    plan = ((resumed, "resumed", "已恢复活动，补充了活动记录"), (cleared, "cleared", "长期不开展活动，经核实予以清理"))
    for case, outcome, note in plan:
        if case is None:
            continue
        try:
            with transaction.atomic():
                campaigns.record_outcome(case, street, outcome, today, note)
        except (ValidationError, PermissionDenied):
            continue
    _reassign_one(campaign, bureau)
    stdout.write(f"演示清理整治：扫描 {run.organizations} 个组织（{run.flagged} 个有信号），"
                 f"行动 {campaign.cases.count()} 个对象。")


def _reassign_one(campaign, bureau) -> None:
    """The bureau moves one open case of 民生街道 to another street of 兴宁区 (it was assigned to the wrong one)."""
    case = campaign.cases.filter(street_id="450102001000", state="open").select_related("campaign").first()
    other = campaigns.streets_for(campaign).exclude(code="450102001000").first()
    if case is None or other is None:
        return
    try:
        with transaction.atomic():
            campaigns.reassign(case, bureau, other.code,
                               f"经核实，该组织实际在{other.name}辖区内活动，改由{other.name}承办")
    except (ValidationError, PermissionDenied):
        pass


def _activities(street, today) -> None:
    from datetime import timedelta

    org_account = User.objects.filter(username="xn_zuzhi").first()
    own = (AccountLink.objects.filter(user=org_account, organization__status__in=LIVE_STATUSES)
           .select_related("organization").first() if org_account else None)
    visited = (Organization.objects.within("450102001").filter(status__in=LIVE_STATUSES, track=Track.FILED)
               .order_by("-filed_on", "id").first())
    rows = []
    if own is not None:
        rows.append((own.organization, org_account, "邻里互助议事会", "社区党群服务中心", 36))
    if visited is not None:
        rows.append((visited, street, "街道走访：重阳节敬老活动", "社区广场", 25))
    for org, user, what, place, people in rows:
        try:
            activities.add(org, user, on=today - timedelta(days=20), what=what, place=place, participants=people,
                           today=today)
        except (ValidationError, PermissionDenied):
            continue
