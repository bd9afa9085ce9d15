"""Demo of funding (资金扶持) in 兴宁区: a 公益创投 call of the district bureau with applications in several states
(awarded with a contract and a first instalment, scored, rejected, waiting), a filed group of 民生街道 paid through
the financial custody of the street's social-organization service centre (seed 002), a purchase-of-services call of
民生街道 open to other districts, the published guidance lists, and a tax qualification. Idempotent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from cso.accounts.models import User
from cso.funding import services
from cso.funding.models import GuidanceItem, GuidanceList, Programme, Qualification
from cso.orgs import services as org_services
from cso.orgs.choices import LIVE_STATUSES, Track
from cso.orgs.models import Organization
from cso.regions.authorities import civil_affairs_body
from cso.regions.models import Division
from cso.support import services as support_services
from cso.support.choices import PlaceKind
from cso.support.models import Place

COUNTY, STREET = "450102000000", "450102001000"
TITLE = "兴宁区2026年度社区公益创投"


def _centre(admin) -> Organization:
    """民生街道社会组织服务中心: a registered organization that operates the street's service centre (a support place
    of kind "centre", recorded by the support demo or here), so it may hold a filed group's money (seed 002)."""
    existing = Organization.objects.filter(name="民生街道社会组织服务中心").first()
    if existing is None:
        partial = "52450102MJDEM0001"
        community = Division.objects.filter(code__startswith=STREET[:9], level=5).order_by("code").first()
        existing = org_services.create_organization({
            "name": "民生街道社会组织服务中心", "track": "registered", "org_type": "social_service",
            "credit_code": partial + uscc.calc_check_digit(partial), "division": community.code,
            "registration_authority": civil_affairs_body(Division.objects.get(code=COUNTY)),
            "registered_on": timezone.localdate() - timedelta(days=900), "registered_capital": Decimal("30000"),
            "tags": ["社会组织服务中心"]}, admin)
    place = Place.objects.filter(kind=PlaceKind.CENTRE, division_id=STREET).order_by("pk").first()
    if place is None:
        place = Place(kind=PlaceKind.CENTRE, name="民生街道社会组织服务中心", division_id=STREET,
                      address="民生街道办事处一楼", offers=",custody,capacity,party,legal,")
    if place.operator_id is None:
        place.operator = existing
        support_services.save_place(admin, place, is_new=place.pk is None)
    return place.operator


@transaction.atomic
def load(stdout) -> None:
    if Programme.objects.filter(title=TITLE).exists():
        stdout.write("演示资金扶持：已存在，跳过。")
        return
    officer, second, street = (User.objects.filter(username=u).first()
                               for u in ("xn_minzheng", "xn_shenhe", "minsheng_jd"))
    admin = User.objects.filter(username="admin").first()
    registered = list(Organization.objects.filter(status__in=LIVE_STATUSES, track=Track.REGISTERED,
                                                  division__code__startswith="450102").order_by("id")[:4])
    group = (Organization.objects.filter(status__in=LIVE_STATUSES, track=Track.FILED,
                                         division__code__startswith=STREET[:9])
             .exclude(account_links__isnull=False).order_by("id").first())
    if None in (officer, second, street, admin, group) or len(registered) < 4:
        stdout.write("演示资金扶持：缺少演示账号或组织，跳过。")
        return
    today = timezone.localdate()
    venture = Programme.objects.create(
        title=TITLE, kind="venture", division_id=COUNTY, funder="兴宁区民政局", year=today.year,
        budget=Decimal("500000"), max_award=Decimal("100000"), opens_on=today - timedelta(days=20),
        closes_on=today + timedelta(days=40), grade_rule="priority", track_rule="any", cross_district=True,
        description="面向兴宁区及其他区县的社区社会组织征集为老、助残、儿童关爱等公益项目；3A及以上等级优先。",
        state="open", created_by=officer, published_at=timezone.now())
    venture.reviewers.add(officer, second)
    made = []
    for org, title, amount in [(registered[0], "长者饭堂志愿服务", "60000"), (registered[1], "四点半课堂", "40000"),
                               (registered[2], "社区议事厅", "30000"), (registered[3], "邻里互助站", "20000"),
                               (group, "太极健身进村", "8000")]:
        made.append(services.apply(venture, org, officer if org is not group else street, title=title,
                                   plan=f"{title}：每月开展活动，服务社区居民。", requested=Decimal(amount),
                                   lines=[("活动物料", Decimal(amount) / 2), ("人员补贴", Decimal(amount) / 2)],
                                   on=today))
    for app, points in zip(made, (92, 85, 61, None, 80), strict=True):
        if points is not None:
            services.score(app, officer, Decimal(points), "计划具体、预算合理" if points > 70 else "成效不明确")
    award = services.award(made[0], Decimal("60000"), officer, "评审平均92分，名列第一")
    services.sign(award, officer, number=f"XNGY-{today.year}-001", signed_on=today, instalments=2)
    services.disburse(award, officer, amount=Decimal("30000"), paid_on=today, note="首期拨款（50%）")
    services.reject(made[2], officer, "评审61分，项目成效指标不明确")
    group_award = services.award(made[4], Decimal("8000"), officer, "村级文体团队，向农村倾斜")
    services.sign(group_award, officer, number=f"XNGY-{today.year}-002", signed_on=today, instalments=1,
                  custodian=_centre(admin))
    Programme.objects.create(
        title="民生街道购买社区养老服务", kind="purchase", division_id=STREET, funder="民生街道办事处",
        year=today.year, budget=Decimal("200000"), opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=25), grade_rule="priority", cross_district=True,
        description="种子文件002：鼓励跨区购买运作规范、公信力强、服务优质的社区社会组织服务。", state="open",
        created_by=street, published_at=timezone.now())
    for kind, title, items in [
        ("directory", "兴宁区承接社区服务的社会组织指导目录", ["社区养老服务｜助餐、助洁、探访", "儿童关爱服务",
                                                        "社区矫正和安置帮教"]),
        ("project_list", "兴宁区购买社区公共服务项目清单", ["社区文化活动", "社区教育", "社会救助协助"])]:
        g = GuidanceList.objects.create(division_id=COUNTY, kind=kind, year=today.year, title=title,
                                        published_on=today, updated_by=officer)
        for n, line in enumerate(items):
            name, _, description = line.partition("｜")
            GuidanceItem.objects.create(guidance=g, name=name, description=description, order=n)
    Qualification.objects.create(organization=registered[0], kind="tax_exempt", granted_on=today - timedelta(days=300),
                                 valid_until=today + timedelta(days=1500), basis="南财税〔2025〕12号",
                                 recorded_by=officer)
    stdout.write(f"演示资金扶持：{TITLE}（5个申报，2个立项，其中备案团队由民生街道社会组织服务中心财务代管）。")
