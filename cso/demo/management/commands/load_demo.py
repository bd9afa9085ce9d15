"""Demo data: real divisions of whole provinces, census figures, estimates, one account per role.

Safe to run again: imports are idempotent and accounts are created only when missing.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cso.accounts.choices import Role, role_label
from cso.accounts.models import User
from cso.demo import accounts_demo, changes_demo
from cso.regions.importer import (
    estimate_figures,
    import_divisions,
    import_population,
    import_urban_rural,
)
from cso.regions.models import Division

DATA = Path(settings.BASE_DIR) / "data" / "divisions"
DEMO_PASSWORD = "Demo-2026"
PROVINCE_FILES = ["divisions_2023_guangxi_45.csv", "divisions_2023_shanghai_31.csv"]
# Generated organizations (cso.demo.generator): prefixes and scale, applied in order; a community
# that already has organizations is skipped, so the dense districts keep their full density.
DEMO_ORGS = [(["450102", "450103", "310101"], 1.0), (["45", "31"], 0.1)]

# username, full name, role, division code, title
DEMO_ACCOUNTS = [
    ("admin", "系统管理员", Role.ADMIN, None, "平台运维"),
    ("gx_minzheng", "韦晓燕", Role.CIVIL_AFFAIRS, "450000000000", "广西壮族自治区民政厅社会组织管理局"),
    ("nn_minzheng", "黄志强", Role.CIVIL_AFFAIRS, "450100000000", "南宁市民政局社会组织管理科"),
    ("xn_minzheng", "陆海燕", Role.CIVIL_AFFAIRS, "450102000000", "兴宁区民政局"),
    ("xn_dengji", "韦国强", Role.REGISTRAR, "450102000000", "兴宁区社会组织登记管理机关"),
    ("qx_minzheng", "劳文杰", Role.CIVIL_AFFAIRS, "450103000000", "青秀区民政局"),
    # the second county accounts review and submit the tables their colleagues prepare (制表人 ≠ 审核人)
    ("xn_shenhe", "甘志明", Role.CIVIL_AFFAIRS, "450102000000", "兴宁区民政局（统计表审核人）"),
    ("qx_shenhe", "黎晓红", Role.CIVIL_AFFAIRS, "450103000000", "青秀区民政局（统计表审核人）"),
    ("minsheng_jd", "覃丽娟", Role.STREET, "450102001000", "民生街道办事处社会事务办"),
    ("xingning_sq", "莫春梅", Role.COMMUNITY, "450102001003", "兴宁社区居委会"),
    ("xn_fuhua", "梁建华", Role.OPERATOR, "450102000000", "兴宁区社会组织孵化基地"),
    ("xn_zuzhi", "蒙秀兰", Role.ORGANIZATION, "450102001003", "兴宁社区夕阳红文艺队"),
    ("sh_minzheng", "陈静", Role.CIVIL_AFFAIRS, "310000000000", "上海市民政局社会组织管理处"),
]


class Command(BaseCommand):
    help = "载入演示数据：广西、上海的真实区划，人口户数（普查+估算），每个角色一个演示账号。"

    def handle(self, *args, **options):
        def progress(done, total, phase):
            pass

        for name in PROVINCE_FILES:
            result = import_divisions(DATA / name, edition=2023, progress=progress)
            self.stdout.write(f"区划 {name}：{result.summary()}")
        result = import_urban_rural(DATA / "urban_rural_2016_matched.csv.gz", edition=2016, progress=progress)
        self.stdout.write(f"城乡分类代码（2016年版代用）：{result.summary()}")
        result = import_population(DATA / "population_2020_county.csv", year=2020, progress=progress)
        self.stdout.write(f"县级人口户数（七普）：{result.summary()}")
        for prefix in ("45", "31"):
            result = estimate_figures(prefix=prefix, progress=progress)
            self.stdout.write(f"估算 {prefix}：{result.summary()}")
        self._accounts()
        self._organizations()
        self._decisions()
        self._registry_settings()
        changes_demo.load(self.stdout)  # pending 变更 and 备案注销 from the demo organization account
        self._reports()
        from cso.demo import applications_demo; applications_demo.load(self.stdout)  # noqa: E702, I001
        __import__("cso.demo.hubs_guides", fromlist=["load"]).load(self.stdout, DEMO_PASSWORD)  # 联合会, 办事指南
        accounts_demo.load(self.stdout)
        __import__("cso.demo.supervision_annual", fromlist=["load"]).load(self.stdout)  # 年检年报
        __import__("cso.demo.supervision_credit", fromlist=["load"]).load(self.stdout)  # 信用名录、执法监察
        __import__("cso.demo.supervision_inspections", fromlist=["load"]).load(self.stdout)  # 随机抽查
        __import__("cso.demo.supervision_zombie", fromlist=["load"]).load(self.stdout)  # 清理整治
        __import__("cso.demo.supervision_evaluation", fromlist=["load"]).load(self.stdout)  # 等级评估
        __import__("cso.demo.support_demo", fromlist=["load"]).load(self.stdout)  # 培育扶持：载体、孵化、场地预约
        __import__("cso.demo.funding_demo", fromlist=["load"]).load(self.stdout)  # 资金扶持

    def _organizations(self):
        """Generated organizations: full density (10 per urban, 5 per rural community) in a few
        districts, a tenth of it elsewhere in both provinces; skipped once any exist there."""
        from cso.demo.generator import generate
        from cso.orgs.models import Organization

        if any(Organization.objects.within(prefix).exists() for prefix in ("45", "31")):
            self.stdout.write("演示社会组织：已存在，跳过。")
            return
        for prefixes, scale in DEMO_ORGS:
            # Organizations keep starting until last month, so recent quarters have new ones too.
            result = generate(prefixes, per_urban=10, per_rural=5, seed=1, scale=scale,
                              latest_start=timezone.localdate())
            self.stdout.write(f"演示社会组织（{'、'.join(prefixes)}，比例 {scale:g}）：{result.summary()}")

    def _decisions(self):
        """The registry decisions behind the generated organizations of the full-density districts
        (registration or filing, and each later status change), so that the audit log of every
        division above lists them (审计日志 → 登记决定) as it lists decisions made on the pages."""
        from cso.orgs.choices import Track
        from cso.orgs.models import Organization, RegistryDecision, StatusChange

        if RegistryDecision.objects.exists():
            return
        kinds = RegistryDecision.Kind
        rows = []
        for prefix in DEMO_ORGS[0][0]:
            orgs = Organization.objects.within(prefix).only(
                "id", "name", "track", "division_id", "registration_authority_division_id", "registered_on",
                "filed_on")
            authority = {}
            for org in orgs.iterator(chunk_size=2000):
                authority[org.pk] = (org.division_id, org.registration_authority_division_id)
                registered = org.track == Track.REGISTERED
                rows.append(RegistryDecision(
                    organization_id=org.pk, kind=kinds.REGISTER if registered else kinds.FILE,
                    summary=f"{'登记成立' if registered else '备案'}：{org.name}（演示数据）"[:300],
                    effective_date=org.started_on, division_id=org.division_id,
                    authority_division_id=org.registration_authority_division_id))
            changes = StatusChange.objects.filter(organization__in=orgs, from_status__gt="").order_by("id")
            for change in changes.iterator(chunk_size=2000):
                division, body = authority[change.organization_id]
                rows.append(RegistryDecision(
                    organization_id=change.organization_id, kind=kinds.STATUS,
                    summary=f"{change.get_from_status_display()} → {change.get_to_status_display()}（演示数据）",
                    reason=change.reason, effective_date=change.effective_date, division_id=division,
                    authority_division_id=body))
        RegistryDecision.objects.bulk_create(rows, batch_size=2000)
        self.stdout.write(f"演示登记决定（审计日志）：{len(rows):,} 条。")

    def _registry_settings(self):
        """Registry rules per province (广西: seed 001's 2000-yuan floor and 30-member federations, groups filed with
        the street; 上海: filed with the street) and the demo organization's and operator's account links."""
        from cso.orgs.models import AccountLink, IncubationBase, Organization, RegistryRules
        from cso.regions import codes

        RegistryRules.objects.get_or_create(province_id="450000000000", defaults={
            "min_registered_capital": 2000, "federation_min_members": 30, "filing_level": codes.STREET})
        RegistryRules.objects.get_or_create(province_id="310000000000", defaults={"filing_level": codes.STREET})
        links = [("xn_zuzhi", Organization.objects.filter(division_id="450102001003").order_by("id").first(), None),
                 ("xn_fuhua", None, IncubationBase.objects.filter(division_id="450102000000").order_by("id").first())]
        for username, org, base in links:
            user = User.objects.filter(username=username).first()
            if user is None or (org is None and base is None) or AccountLink.objects.filter(user=user).exists():
                continue
            AccountLink.objects.create(user=user, organization=org, base=base, role="head",
                                       division_id=(org or base).division_id)
        self.stdout.write("登记规则（广西、上海）和演示账号关联：已设置。")

    def _reports(self):
        """Tables of 兴宁区 and 青秀区 for the last four rounds whose deadline has passed, through the approval
        chain: prepared by the county clerk, reviewed and submitted by the second county account three days
        before the deadline, accepted by 南宁市 — except the latest round, where 兴宁区's table awaits the
        city and 青秀区's was returned with a reason. The other counties of 南宁 have none (lateness, 催报)."""
        import datetime

        from cso.reports import rounds as report_rounds
        from cso.reports import services as reports
        from cso.reports.models import QuarterlyReport, ReportEvent

        if QuarterlyReport.objects.exists():
            self.stdout.write("演示统计表：已存在，跳过。")
            return
        today = timezone.localdate()
        due = [r for y in (today.year - 1, today.year) for r in report_rounds.rounds_of("450000000000", y)
               if r.deadline < today][-4:]
        city = User.objects.get(username="nn_minzheng")
        made = 0

        def moment(day, hour):
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))

        for preparer_name, reviewer_name in (("xn_minzheng", "xn_shenhe"), ("qx_minzheng", "qx_shenhe")):
            preparer = User.objects.get(username=preparer_name)
            reviewer = User.objects.get(username=reviewer_name)
            for index, rnd in enumerate(due):
                filed_on = rnd.deadline - datetime.timedelta(days=3)
                latest = index == len(due) - 1
                with transaction.atomic():
                    # Generated on the day it was filed: the table holds the registry as of the reference date.
                    report = reports.generate(preparer.division, rnd.reference, preparer, day=filed_on)
                    report = reports.submit(report, reviewer)
                    if not latest:
                        report = reports.accept(report, city)
                    elif preparer_name == "qx_minzheng":
                        report = reports.return_table(report, city, reason="新竹街道备案组织数与上一轮相比减少较多，"
                                                                           "请核对是否漏录后更正。")
                    QuarterlyReport.objects.filter(pk=report.pk).update(
                        generated_at=moment(filed_on, 9), reviewed_at=moment(filed_on, 15),
                        submitted_at=moment(filed_on, 15),
                        decided_at=None if report.decided_at is None
                        else moment(filed_on + datetime.timedelta(days=1), 10))
                    events = list(ReportEvent.objects.filter(report=report).order_by("id"))
                    for event, hour in zip(events, (9, 15, 10), strict=False):
                        day = filed_on + datetime.timedelta(days=1) if hour == 10 else filed_on
                        # submitted three days before the deadline: no lateness note from today's date
                        note = "" if event.kind == "submitted" else event.note
                        ReportEvent.objects.filter(pk=event.pk).update(created_at=moment(day, hour), note=note)
                made += 1
        self.stdout.write(f"演示统计表：兴宁区、青秀区各 {len(due)} 轮，共 {made} 份"
                          "（已通过、待审批、已退回各有示例）。")

    @transaction.atomic
    def _accounts(self):
        created = 0
        for username, full_name, role, code, title in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                continue
            user = User(
                username=username, full_name=full_name, role=role, division_id=code, title=title,
                is_superuser=role == Role.ADMIN, is_staff=role == Role.ADMIN,
            )
            user.set_password(DEMO_PASSWORD)
            user.full_clean(exclude=["password"])
            user.save()
            created += 1
        self.stdout.write(f"演示账号：新建 {created} 个。")
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        codes = [account[3] for account in DEMO_ACCOUNTS if account[3]]
        levels = dict(Division.objects.filter(code__in=codes).values_list("code", "level"))
        for username, _full_name, role, code, title in DEMO_ACCOUNTS:
            label = "超级管理员" if role == Role.ADMIN else role_label(role, levels.get(code))
            self.stdout.write(f"  {username:<14} {label:<14} {title}")
