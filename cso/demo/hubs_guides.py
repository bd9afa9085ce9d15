"""Demo of hubs and guides: 民生街道社区社会组织联合会 with its own account (``ms_lianhehui``), a dozen member
organizations of 民生街道 (one of them already left), and one invitation waiting for the demo organization's account
(``xn_zuzhi``) on its 入会邀请 page; and 广西's own text of the filing guide (办事指南), edited by ``gx_minzheng``.

Called from ``load_demo``; safe to run again (skipped once the federation exists)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

HUB_NAME = "民生街道社区社会组织联合会"
HUB_ACCOUNT = ("ms_lianhehui", "农秀英", "450102001000", "民生街道社区社会组织联合会（负责人）")
HUB_DIVISION = "450102001003"  # its office in 兴宁社区
STREET_PREFIX = "450102001"
MEMBERS = 12


def _account(password: str):
    from cso.accounts.choices import Role
    from cso.accounts.models import User

    username, full_name, code, title = HUB_ACCOUNT
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, role=Role.ORGANIZATION, division_id=code, title=title)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
    return user


@transaction.atomic
def load(stdout=None, password: str = "Demo-2026") -> None:
    from cso.accounts.models import User
    from cso.orgs import services
    from cso.orgs.choices import LIVE_STATUSES
    from cso.orgs.models import AccountLink, HubMembership, MembershipInvitation, Organization
    from cso.regions.models import Division

    def say(text):
        if stdout is not None:
            stdout.write(text)

    if not Division.objects.filter(code=HUB_DIVISION).exists():
        return
    _load_guides()
    if Organization.objects.filter(name=HUB_NAME).exists():
        say("演示枢纽组织：已存在，跳过。")
        return
    account = _account(password)
    street = User.objects.filter(username="minsheng_jd").first() or User.objects.filter(is_superuser=True).first()
    hub = services.create_organization({
        "name": HUB_NAME, "track": "filed", "org_type": "activity_team", "tier": "street", "division": HUB_DIVISION,
        "filed_on": date.today() - timedelta(days=400), "is_hub": True, "member_count": MEMBERS,
        "business_scope": "联系、服务民生街道的社区社会组织，协调指导其规范开展活动"
                          "（种子文件000、001：街道枢纽型社会组织）",
        "address": "民生街道社区服务中心",
    }, street)
    AccountLink.objects.create(user=account, organization=hub, role="head", division_id=hub.division_id)
    # the demo organization's own group is invited, not made a member
    invited = (Organization.objects.filter(account_links__user__username="xn_zuzhi", status__in=LIVE_STATUSES)
               .order_by("id").first())
    candidates = (Organization.objects.filter(division__code__startswith=STREET_PREFIX, status__in=LIVE_STATUSES)
                  .exclude(pk=hub.pk).exclude(pk=getattr(invited, "pk", None)).order_by("id")[:MEMBERS])
    joined = date.today() - timedelta(days=300)
    for i, member in enumerate(candidates):
        link = HubMembership(hub=hub, member=member, joined_on=joined + timedelta(days=7 * i))
        link._history_user = street
        link._change_reason = "演示数据：街道记录的会员组织"
        link.save()
        if i == 0:  # one member left
            link.left_on = date.today() - timedelta(days=30)
            link._history_user = account
            link._change_reason = "会员组织账号办理退会（演示数据）"
            link.save(update_fields=["left_on"])
    if invited is not None:
        MembershipInvitation.objects.create(hub=hub, member=invited, invited_by=account,
                                            note="欢迎加入民生街道社区社会组织联合会，共同参与社区服务。")
    say(f"演示枢纽组织：{HUB_NAME}，会员 {hub.current_members().count()} 个"
        f"{'，向 xn_zuzhi 的组织发出入会邀请 1 份' if invited else ''}；账号 {HUB_ACCOUNT[0]}。")


def _load_guides() -> None:
    """广西's own filing guide: the platform's text plus who files in 广西 (the street, the province's rule)."""
    from cso.accounts.models import User
    from cso.applications.guides_default import DEFAULTS, FIELDS
    from cso.applications.models import Guide

    if Guide.objects.filter(kind="filing", province_id="450000000000").exists():
        return
    texts = {name: DEFAULTS["filing"][name] for name in FIELDS}
    texts["conditions"] += ("\n- 广西：未达到登记条件的社区社会组织向所在街道办事处（乡镇人民政府）备案"
                            "（本省登记规则；种子文件001）。")
    guide = Guide(kind="filing", province_id="450000000000", **texts,
                  updated_by=User.objects.filter(username="gx_minzheng").first())
    guide._history_user = guide.updated_by
    guide._change_reason = "演示数据：写明广西的备案机关"
    guide.save()
