"""Demo of cultivation's support side (issue 12) in 兴宁区: places for the registry's bases and venues, bases at the
three levels (the county's, 民生街道's, 兴宁社区's), 民生街道's social-organization service centre, idle premises lent
free, 兴宁社区's 党群服务中心 with two rooms; intakes in several states at the county base run by the operator
xn_fuhua — one applied for by the group account xn_zuzhi, one incubating with a plan and services, one declined, and
one graduated through a 备案 approved by 民生街道 (minsheng_jd), so the registry records its base; bookings of the
rooms by xn_zuzhi's organization (booked, cancelled, and used — recorded as activity evidence by xingning_sq).
Idempotent."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from cso.accounts.models import User
from cso.applications import services as engine
from cso.demo.sample_materials import attach_required
from cso.orgs.models import AccountLink, Organization
from cso.regions.models import Division
from cso.support import services
from cso.support.models import Booking, Intake, Place, Room

COUNTY, STREET, COMMUNITY = "450102000000", "450102001000", "450102001003"
STREET_BASE = "民生街道社会组织孵化基地"


def _user(name):
    return User.objects.filter(username=name).first()


def _place(admin, **fields) -> Place:
    existing = Place.objects.filter(name=fields["name"], division_id=fields["division_id"]).first()
    return existing or services.save_place(admin, Place(**fields), is_new=True)


def load(stdout) -> None:
    adopted = services.adopt_registry()
    bureau, street, community = _user("xn_minzheng"), _user("minsheng_jd"), _user("xingning_sq")
    operator, group = _user("xn_fuhua"), _user("xn_zuzhi")
    admin = _user("admin")
    if not all((bureau, street, community, operator, group, admin)):
        stdout.write("演示培育扶持：缺少演示账号，跳过。")
        return
    if Place.objects.filter(name=STREET_BASE).exists():
        stdout.write(f"演示培育扶持：已存在，跳过（新纳入名录载体 {adopted} 处）。")
        return
    today = timezone.localdate()
    link = AccountLink.objects.filter(user=operator, base__isnull=False).select_related("base").first()
    county_base = link.base.place if link else _place(
        bureau, kind="base", level=3, name="兴宁区社会组织孵化基地", division_id=COUNTY)
    county_base.address = county_base.address or "南宁市兴宁区民生路88号"
    county_base.area, county_base.capacity, county_base.opening_hours = 1200, 20, "周一至周五 8:30–17:30"
    county_base.offers = ",office,activity,custody,capacity,party,incubation,project,"
    services.save_place(bureau, county_base, is_new=False)
    if not link:
        AccountLink.objects.create(user=operator, base=county_base.base, division_id=COUNTY, role="head")
    _place(street, kind="base", level=4, name=STREET_BASE, division_id=STREET, address="民生街道办事处二楼",
           area=300, capacity=8, opening_hours="工作日 9:00–17:00", offers=",office,capacity,incubation,")
    _place(street, kind="base", level=5, name="兴宁社区社会组织孵化点", division_id=COMMUNITY,
           address="兴宁社区党群服务中心内", area=60, capacity=3, offers=",office,incubation,")
    _place(street, kind="centre", name="民生街道社会组织服务中心", division_id=STREET, address="民生街道办事处一楼",
           opening_hours="工作日 9:00–17:00", offers=",custody,capacity,party,legal,",
           notes="为备案的群众活动团队提供财务代管（种子文件002）")
    _place(street, kind="idle", name="原民生粮站闲置用房", division_id=STREET, address="民生路12号", area=180,
           free_of_charge=True, offers=",office,activity,",
           notes="国有闲置用房，无偿提供给社区社会组织使用（种子文件000）")
    facility = Place.objects.filter(division_id=COMMUNITY, kind="facility").order_by("id").first() or _place(
        street, kind="facility", facility_type="party", name="兴宁社区党群服务中心", division_id=COMMUNITY)
    facility.opening_hours, facility.offers = "每天 8:00–21:00", ",activity,party,"
    services.save_place(street, facility, is_new=False)
    hall = Room.objects.create(place=facility, name="多功能活动室", capacity=60, opens_at=time(8), closes_at=time(21))
    Room.objects.create(place=facility, name="舞蹈排练室", capacity=25, opens_at=time(8), closes_at=time(21))

    community_division = Division.objects.get(pk=COMMUNITY)
    common = {"division": community_division, "contact_name": "黄秀英", "contact_phone": "13800000021",
              "planned_track": "filed", "member_count": 12}
    # a group's account sees the places of its own community: it applies without a base, the street chooses one
    services.apply_for_intake(group, {**common, "base": None, "group_name": "兴宁社区银发手机互助队",
                                      "activity": "教老人用智能手机"})
    incubating = services.place_intake(operator, {**common, "base": county_base, "group_name": "兴宁社区四点半课堂",
                                                  "activity": "放学后看护和作业辅导"})
    services.add_milestone(incubating, operator, "制定活动章程和安全制度", today + timedelta(days=30))
    done = services.add_milestone(incubating, operator, "招募志愿者10人", today - timedelta(days=5))
    services.complete_milestone(done, operator, today - timedelta(days=2))
    services.record_service(incubating, operator, kind="training", date=today - timedelta(days=20),
                            description="志愿者管理培训", hours=3)
    services.record_service(incubating, operator, kind="space", date=today - timedelta(days=20),
                            description="提供基地办公工位一个")
    # the street places a group of its own street into the county's base (seed 003: application or placement)
    placed = services.place_intake(street, {**common, "base": county_base, "group_name": "兴宁社区书法兴趣队",
                                            "activity": "书法练习、春节义写春联"})
    services.record_service(placed, operator, kind="mentoring", date=today - timedelta(days=1),
                            description="导师指导制定团队章程", hours=2)
    _photos(county_base, bureau)
    declined = services.apply_for_intake(group, {**common, "base": None, "group_name": "兴宁社区广场舞队",
                                                 "activity": "广场舞"})
    services.decide_intake(declined, street, accept=False, reason="已是成熟团队，建议直接备案")
    _graduate(stdout, operator, street, group, county_base, common)

    org = Organization.objects.filter(account_links__user=group).live().order_by("id").first()
    if org is not None:
        services.book(group, hall, org, today + timedelta(days=2), time(9), time(11), "合唱排练")
        cancelled = services.book(group, hall, org, today + timedelta(days=3), time(14), time(16), "节目彩排")
        services.cancel_booking(cancelled, group, "改期")
        past = Booking.objects.create(room=hall, division_id=COMMUNITY, organization=org, booked_by=group,
                                      date=today - timedelta(days=3), start=time(15), end=time(17),
                                      purpose="重阳节敬老演出")
        services.mark_used(past, community, attendance=35)
    stdout.write(f"演示培育扶持：载体 {Place.objects.within('450102').count()} 处（新纳入名录 {adopted} 处），"
                 f"入驻孵化 {Intake.objects.within('450102').count()} 条，场地预约 {Booking.objects.count()} 条。")


def _picture(wall, roof, width=480, height=300) -> bytes:
    """A drawn picture of a building as a PNG (the demo has no real photographs)."""
    import struct
    import zlib

    def colour(x, y):
        if y > height * 0.82:
            return (120, 170, 110)  # lawn
        if width * 0.2 <= x <= width * 0.8 and height * 0.38 <= y <= height * 0.82:
            door = width * 0.46 <= x <= width * 0.54 and y >= height * 0.64
            window = any(wx <= x <= wx + width * 0.08 for wx in (width * 0.26, width * 0.36, width * 0.58,
                                                                  width * 0.68)) and height * 0.46 <= y <= height * 0.58
            return (120, 80, 50) if door else (150, 190, 230) if window else wall
        roof_top = height * 0.15 + abs(x - width / 2) * 0.8
        if width * 0.15 <= x <= width * 0.85 and roof_top <= y < height * 0.38:
            return roof
        return (200, 225, 245)  # sky

    raw = b"".join(b"\x00" + bytes(c for x in range(width) for c in colour(x, y)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _photos(place, user) -> None:
    """Two pictures of the base, stored as any uploaded photo is (checked by content, kept privately)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    for caption, wall, roof in (("基地外景", (222, 226, 230), (176, 58, 46)),
                                ("共享办公区", (240, 236, 224), (52, 101, 164))):
        services.add_photo(place, user, SimpleUploadedFile(f"{caption}.png", _picture(wall, roof),
                                                           content_type="image/png"), caption)


def _graduate(stdout, operator, street, group, base, common) -> None:
    """A group the operator took in half a year ago graduates: its account files through the engine and the street
    approves."""
    intake = services.place_intake(operator, {**common, "base": base, "group_name": "兴宁社区邻里守望队",
                                            "activity": "邻里互助、独居老人探访", "account": group})
    Intake.objects.filter(pk=intake.pk).update(started_on=timezone.localdate() - timedelta(days=180))
    application = services.start_graduation(intake, group)
    payload = {**application.payload, "division": common["division"].code, "schedule": "每周六上午",
               "place": "兴宁社区党群服务中心", "party_reported": "yes", "category": ""}
    application = engine.save_draft(group, "filing", payload, application)
    attach_required(application, group)
    engine.submit(application, group)
    engine.act(application, street, "accept")
    application = engine.act(application, street, "approve", reason="孵化期满，材料齐全")
    intake.refresh_from_db()
    if intake.state != "graduated":  # the receiver runs when the approval commits; inside a transaction, do it now
        services.graduated(application, street)
