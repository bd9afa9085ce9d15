"""Who may do what: the one responsibilities table, read by one predicate layer.

Every action a page, an API endpoint, an import or an export performs is named here
(``"<app>.<verb>"``) and granted by rows of one table: role × division level of the account ×
which objects it reaches × track. Nothing else decides: views, the API, imports and exports call
``can`` / ``require`` (or ``user.has_perm(action, obj)``, the same predicates registered with the
``rules`` package), administrators read the table on a page, and the permission test is generated
from it, so a new action without rows fails CI.

Objects tell the predicates where they stand through ``responsibility_facts()`` returning
``Facts``; an action checked without an object (``obj=None``) asks "may this account do this
anywhere?" — what menus and buttons need.

Sections of ``TABLE`` belong to the domains (regions, accounts, orgs, reports, …); each domain
edits its own section only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import rules
from django.core.exceptions import PermissionDenied

from cso.regions import codes

from .choices import Role

# --- which objects a row reaches, relative to the account's division ---------------------------
SUBTREE = "subtree"  # the object lies in the account's subtree (its own division or below)
OWN_DIVISION = "own_division"  # the object belongs to the account's own division exactly
CHILDREN = "children"  # the object belongs to a direct child of the account's division
REGISTERED_HERE = "registered_here"  # the body that registered / files the object sits in the account's division
LINKED = "linked"  # the account is linked to the object (an organization's or a base's own account)
SERVES = "serves"  # the object serves an area the account's division lies in (a county's incubation base)

REACHES = {
    SUBTREE: "本辖区内（含下级）",
    OWN_DIVISION: "本级",
    CHILDREN: "直接下级",
    REGISTERED_HERE: "本机关登记（备案）的",
    LINKED: "本账号关联的",
    SERVES: "服务本辖区的（如所在县（区）的孵化基地）",
}


@dataclass(frozen=True)
class Duty:
    """One row of the table: ``role`` at ``levels`` may do ``action`` on the objects of ``reach``."""

    action: str
    role: str
    levels: tuple[int, ...]
    reach: str
    track: str | None = None  # "registered" / "filed"; None: both (or not an organization)
    note: str = ""  # Chinese, shown to administrators; names its source (seed 000, RULES.md …)


@dataclass(frozen=True)
class Facts:
    """Where an object stands, for the predicates."""

    division: str | None  # the 12-digit code placing the object
    authority_division: str | None = None  # where the body that registered / files it sits
    track: str | None = None
    linked: Callable[[object], bool] | None = field(default=None, compare=False)  # user -> linked?
    serves: str | None = None  # the 12-digit code of the area the object serves (its subtree), if any


@dataclass(frozen=True)
class Prospect:
    """An object about to be made (a registration, a filing): the predicates read its facts."""

    facts: Facts

    def responsibility_facts(self) -> Facts:
        return self.facts


@dataclass(frozen=True)
class Action:
    code: str
    label: str  # Chinese: "登记成立", "注销登记" …
    model: str = ""  # "orgs.Organization": what the action is done to ("" for none)


# --- tracks an organization's facts carry ---------------------------------------------------------
REGISTERED = "registered"  # 依法登记的社会团体、社会服务机构、基金会
FILED = "filed"  # 备案的（规模较大、由街道管理的）社区社会组织
COMMUNITY_GROUP = "community"  # 规模较小、较为松散、由居（村）委会指导并纳入基础数据的团体

TRACKS = {
    REGISTERED: "依法登记",
    FILED: "备案",
    COMMUNITY_GROUP: "社区指导的小型团体",
}

P, C, CO, S, CM = codes.PROVINCE, codes.CITY, codes.COUNTY, codes.STREET, codes.COMMUNITY
ABOVE_STREET = (P, C, CO)
ALL_LEVELS = (P, C, CO, S, CM)
LINKED_LEVELS = (CO, S, CM)

# Sources the notes cite (shown to administrators beside each row).
SEED_000 = "种子文件000（县级行政审批服务管理局登记，民政局事中事后监管）"
SEED_001 = "种子文件001（登记管理机关和街道双重负责；小型松散团体由居（村）委会指导管理）"
RULES_REG = "RULES.md（变更由原登记机关核准；注销、撤销登记由登记管理机关决定）"
RULES_FILE = "RULES.md（备案机关为设置：上海为街道，其他地方多为县级民政局）"
PROPOSAL = "本平台建议"


def _rows(action: str, role: str, levels, reach: str, tracks=(None,), note: str = "") -> list[Duty]:
    return [Duty(action, role, tuple(levels), reach, track, note) for track in tracks]


def _staff_see(action: str, note: str) -> list[Duty]:
    """Every staff account reads (or exports) its subtree; organization and operator accounts what is linked."""
    return [
        *_rows(action, Role.ADMIN, ABOVE_STREET, SUBTREE, note=note),
        *_rows(action, Role.CIVIL_AFFAIRS, ABOVE_STREET, SUBTREE, note=note),
        *_rows(action, Role.REGISTRAR, ABOVE_STREET, SUBTREE, note=note),
        *_rows(action, Role.STREET, (S,), SUBTREE, note=note),
        *_rows(action, Role.COMMUNITY, (CM,), SUBTREE, note=note),
        *_rows(action, Role.OPERATOR, LINKED_LEVELS, LINKED, note="只读本账号关联的组织（由工作人员设置关联）"),
        *_rows(action, Role.ORGANIZATION, LINKED_LEVELS, LINKED, note="只读本账号关联的组织（由工作人员设置关联）"),
    ]


def _deciders(action: str, *, registered=True, filed=True, community=True, note_reg=RULES_REG) -> list[Duty]:
    """Who decides on an organization: the body that registered it, the body that files it, and for the small
    groups of a community its committee."""
    rows: list[Duty] = []
    if registered:
        rows += _rows(action, Role.REGISTRAR, ABOVE_STREET, REGISTERED_HERE, (REGISTERED,),
                      note=f"{note_reg}；上级机关只办理本机关登记的组织")
    if filed:
        rows += _rows(action, Role.CIVIL_AFFAIRS, (CO,), REGISTERED_HERE, (FILED, COMMUNITY_GROUP),
                      note=f"{RULES_FILE}：备案机关为县级民政局时")
        rows += _rows(action, Role.STREET, (S,), REGISTERED_HERE, (FILED, COMMUNITY_GROUP),
                      note=f"{RULES_FILE}：备案机关为街道时；{SEED_001}")
    if community:
        rows += _rows(action, Role.COMMUNITY, (CM,), OWN_DIVISION, (COMMUNITY_GROUP,),
                      note=f"{SEED_001}；种子文件000（纳入基础数据）")
    return rows


# --- the actions ---------------------------------------------------------------------------------
# Each domain lists its actions here; ``ACTIONS`` and ``TABLE`` are the concatenation.
REGION_ACTIONS: list[Action] = [
    Action("regions.view", "查看行政区划", "regions.Division"),
    Action("regions.edit_figures", "填报人口、户数和设施面积", "regions.Division"),
]
ACCOUNT_ACTIONS: list[Action] = [
    Action("accounts.manage", "管理账号", "accounts.User"),
    Action("accounts.link", "关联组织（基地）账号", "orgs.Organization"),
    Action("accounts.audit", "查看审计日志"),
    Action("accounts.responsibilities", "查看职责表"),
    # Public: done by someone without an account (no row grants it to a signed-in account).
    Action("accounts.signup", "用手机号码注册社会组织账号（公开，无须登录）"),
    Action("accounts.invite", "邀请组织负责人、联络员使用平台账号", "orgs.Organization"),
    Action("accounts.revoke_invitation", "撤销账号邀请", "orgs.AccountInvitation"),
    Action("accounts.accept_invitation", "接受账号邀请（关联本组织）", "orgs.AccountInvitation"),
]
ORG_ACTIONS: list[Action] = [
    Action("orgs.view", "查看社会组织", "orgs.Organization"),
    Action("orgs.export", "导出社会组织名录"),
    Action("orgs.import", "批量导入社会组织"),
    Action("orgs.register", "登记成立（含备案组织转登记）", "orgs.Organization"),
    Action("orgs.file", "备案（或纳入社区基础数据）", "orgs.Organization"),
    Action("orgs.change", "变更登记（备案）事项", "orgs.Organization"),
    Action("orgs.set_status", "标记活动异常、停止活动或恢复正常", "orgs.Organization"),
    Action("orgs.deregister", "注销", "orgs.Organization"),
    Action("orgs.revoke", "撤销登记", "orgs.Organization"),
    Action("orgs.clear", "清理", "orgs.Organization"),
    Action("orgs.correct", "更正错误的登记决定", "orgs.Organization"),
    Action("orgs.advise", "提出指导意见", "orgs.Organization"),
    Action("orgs.rules", "设置本省登记规则", "regions.Division"),
    Action("orgs.categorise", "备案后分类（设置备案组织的类别）", "orgs.Organization"),
    Action("orgs.invite_member", "邀请组织加入枢纽组织（入会邀请）", "orgs.Organization"),
    Action("orgs.answer_invitation", "接受或谢绝入会邀请", "orgs.MembershipInvitation"),
    Action("orgs.leave_hub", "退出枢纽组织（结束会员关系）", "orgs.HubMembership"),
    Action("orgs.edit_contact", "修改本组织的联系方式和活动信息", "orgs.Organization"),
]
REPORT_ACTIONS: list[Action] = [
    Action("reports.view", "查看统计报表", "reports.QuarterlyReport"),
    Action("reports.view_own_rows", "查看统计表中本街道（社区）所在的行", "reports.QuarterlyReport"),
    Action("reports.prepare", "制表（生成、重新生成、更正统计表）", "reports.QuarterlyReport"),
    Action("reports.submit", "审核并报送统计表", "reports.QuarterlyReport"),
    Action("reports.accept", "通过下级报送的统计表", "reports.QuarterlyReport"),
    Action("reports.return", "退回下级报送的统计表", "reports.QuarterlyReport"),
    Action("reports.chase", "催报", "reports.Overdue"),
    Action("reports.rounds", "设置本省报送轮次", "reports.ReportingRound"),
    Action("reports.columns", "选择本省统计表栏目", "reports.ColumnLayout"),
]
STATS_ACTIONS: list[Action] = [
    Action("stats.settings", "设置本省统计口径（城市社区、孵化基地层级）", "stats.ProvinceSetting"),
]
APPLICATION_ACTIONS: list[Action] = [
    Action("applications.apply", "填写、提交和补正本账号的申请", "applications.Application"),
    Action("applications.accept", "受理申请", "applications.Application"),
    Action("applications.return", "退回申请人补正", "applications.Application"),
    Action("applications.approve", "批准申请（写入名录）", "applications.Application"),
    Action("applications.reject", "不予批准", "applications.Application"),
    Action("applications.opinion", "提出社区（街道）意见（供登记管理机关参考，不作决定）", "applications.Application"),
    Action("applications.name_check", "填写申请时查询名称是否已被使用"),
    Action("applications.upload", "上传、删除本账号申请的材料", "applications.Application"),
    Action("applications.download", "查看、下载申请的材料", "applications.Application"),
    Action("applications.guide_edit", "修改本省办事指南", "regions.Division"),
]
NOTICE_ACTIONS: list[Action] = [
    Action("notices.view", "查看和处理本账号的通知", "notices.Notification"),
]


# --- the table -----------------------------------------------------------------------------------
_STAFF = (Role.ADMIN, Role.CIVIL_AFFAIRS, Role.REGISTRAR, Role.STREET, Role.COMMUNITY)
_STAFF_LEVELS = {Role.ADMIN: ABOVE_STREET, Role.CIVIL_AFFAIRS: ABOVE_STREET, Role.REGISTRAR: ABOVE_STREET,
                 Role.STREET: (S,), Role.COMMUNITY: (CM,)}

REGION_DUTIES: list[Duty] = [
    *[d for role in (*_STAFF, Role.OPERATOR, Role.ORGANIZATION)
      for d in _rows("regions.view", role, _STAFF_LEVELS.get(role, LINKED_LEVELS), SUBTREE,
                     note="本辖区的区划和人口户数，人人可查")],
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS, Role.STREET, Role.COMMUNITY)
      for d in _rows("regions.edit_figures", role, _STAFF_LEVELS[role], SUBTREE,
                     note=f"{PROPOSAL}：民政部门、街道和社区填报本辖区的基础数据（种子文件000：纳入基础数据）")],
]
ACCOUNT_DUTIES: list[Duty] = [
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS, Role.STREET)
      for d in _rows("accounts.manage", role, _STAFF_LEVELS[role], SUBTREE,
                     note=f"{PROPOSAL}：在本辖区内建立和管理不高于本账号的账号")],
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS, Role.STREET)
      for d in _rows("accounts.link", role, _STAFF_LEVELS[role], SUBTREE,
                     note=f"{PROPOSAL}：工作人员把组织账号、运营方账号关联到本辖区的组织或孵化基地")],
    *[d for role in _STAFF
      for d in _rows("accounts.audit", role, _STAFF_LEVELS[role], SUBTREE,
                     note="本辖区的登录记录、账号和区划变更、登记决定")],
    *_rows("accounts.responsibilities", Role.ADMIN, ABOVE_STREET, SUBTREE, note="系统管理员查看本表"),
]
_HUBS = "种子文件000、001（在街道（乡镇）成立联合会、促进会等枢纽型社会组织；联合会会员数量不低于30个）"
ORG_DUTIES: list[Duty] = [
    *_staff_see("orgs.view", f"{SEED_001}：街道、社区可查看并指导辖区内的组织；上级查看下级"),
    *_staff_see("orgs.export", "导出可查看的组织"),
    *_rows("orgs.import", Role.REGISTRAR, ABOVE_STREET, SUBTREE, note="逐行按“登记成立”“备案”的职责核对"),
    *_rows("orgs.import", Role.CIVIL_AFFAIRS, (CO,), SUBTREE, note="逐行按“备案”的职责核对"),
    *_rows("orgs.import", Role.STREET, (S,), SUBTREE, note="逐行按“备案”的职责核对"),
    *_rows("orgs.import", Role.COMMUNITY, (CM,), SUBTREE, note="逐行按“备案”的职责核对（只能录入本社区的小型团体）"),
    *_deciders("orgs.register", filed=False, community=False,
               note_reg=f"{SEED_000}；{SEED_001}（向所在地县级登记管理机关申请登记）"),
    *_deciders("orgs.file", registered=False),
    *_deciders("orgs.change"),
    *_deciders("orgs.set_status"),
    *_deciders("orgs.deregister"),
    *_deciders("orgs.revoke", filed=False, community=False),
    *_deciders("orgs.clear"),
    *_deciders("orgs.correct"),
    *_rows("orgs.advise", Role.CIVIL_AFFAIRS, ABOVE_STREET, SUBTREE,
           note=f"{SEED_000}：民政局对已登记组织事中事后监管"),
    *_rows("orgs.advise", Role.STREET, (S,), SUBTREE, note=f"{SEED_001}：街道指导辖区内组织、提出意见，不作决定"),
    *_rows("orgs.advise", Role.COMMUNITY, (CM,), SUBTREE, note=f"{SEED_001}：居（村）委会指导本社区组织的活动"),
    *_rows("orgs.rules", Role.ADMIN, (P,), OWN_DIVISION, note="RULES.md：各地不同的规则为省级设置"),
    *_rows("orgs.rules", Role.CIVIL_AFFAIRS, (P,), OWN_DIVISION, note="RULES.md：各地不同的规则为省级设置"),
    *_deciders("orgs.categorise", registered=False, community=False),  # 种子文件002：已备案的及时分类
    *_rows("orgs.invite_member", Role.ORGANIZATION, LINKED_LEVELS, LINKED,
           note=f"{_HUBS}；{PROPOSAL}：枢纽组织的负责人、联络员账号邀请本县（区）的组织入会"),
    *_deciders("orgs.invite_member", note_reg=f"{_HUBS}；{PROPOSAL}：枢纽组织的登记机关代为邀请"),
    *_rows("orgs.answer_invitation", Role.ORGANIZATION, LINKED_LEVELS, LINKED,
           note=f"{PROPOSAL}：只有受邀组织自己的账号能接受或谢绝，接受之日起为会员"),
    *_rows("orgs.leave_hub", Role.ORGANIZATION, LINKED_LEVELS, LINKED,
           note=f"{PROPOSAL}：会员组织或枢纽组织的账号办理退会，记录退出日期（工作人员在“会员组织”页办理）"),
]
_SEED000_TABLE = "文件000：各县（市、区）于6月20日、9月20日、12月20日前报送培育发展情况统计表"
_CHAIN = "本平台建议的逐级审核：县级制表、县级另一账号审核报送，市级通过或退回；市级汇总表同样报省级"
REPORT_DUTIES: list[Duty] = [
    *[Duty("reports.view", role, (codes.PROVINCE, codes.CITY, codes.COUNTY), SUBTREE,
           note="本级及下级的统计表（下级的草稿除外）")
      for role in (Role.CIVIL_AFFAIRS, Role.ADMIN)],
    Duty("reports.view_own_rows", Role.STREET, (codes.STREET,), LINKED,
         note="由本街道（乡镇）数据生成的县级统计表中本街道的行（报送后）"),
    Duty("reports.view_own_rows", Role.COMMUNITY, (codes.COMMUNITY,), LINKED,
         note="由本社区所在街道数据生成的县级统计表中该街道的行（报送后）"),
    Duty("reports.prepare", Role.CIVIL_AFFAIRS, (codes.COUNTY,), OWN_DIVISION, note=_SEED000_TABLE + "；制表人"),
    Duty("reports.prepare", Role.CIVIL_AFFAIRS, (codes.CITY,), OWN_DIVISION, note="市级汇总表；" + _CHAIN),
    Duty("reports.submit", Role.CIVIL_AFFAIRS, (codes.COUNTY,), OWN_DIVISION,
         note="审核人，须为制表人以外的本级账号；" + _CHAIN),
    Duty("reports.submit", Role.CIVIL_AFFAIRS, (codes.CITY,), OWN_DIVISION,
         note="市级汇总表的审核人，须为制表人以外的本级账号"),
    Duty("reports.accept", Role.CIVIL_AFFAIRS, (codes.CITY,), CHILDREN,
         note="市级通过所辖县（市、区）的统计表；" + _CHAIN),
    Duty("reports.accept", Role.CIVIL_AFFAIRS, (codes.PROVINCE,), CHILDREN, note="省级通过所辖市的汇总表"),
    Duty("reports.return", Role.CIVIL_AFFAIRS, (codes.CITY,), CHILDREN,
         note="市级退回所辖县（市、区）的统计表，须写明原因"),
    Duty("reports.return", Role.CIVIL_AFFAIRS, (codes.PROVINCE,), CHILDREN, note="省级退回所辖市的汇总表，须写明原因"),
    Duty("reports.chase", Role.CIVIL_AFFAIRS, (codes.CITY,), CHILDREN, note="市级催报逾期的县（市、区）"),
    Duty("reports.chase", Role.CIVIL_AFFAIRS, (codes.PROVINCE,), CHILDREN, note="省级催报逾期的市"),
    Duty("reports.rounds", Role.CIVIL_AFFAIRS, (codes.PROVINCE,), OWN_DIVISION,
         note="报送轮次按省设置（默认为文件000的三轮）"),
    Duty("reports.columns", Role.CIVIL_AFFAIRS, (codes.PROVINCE,), OWN_DIVISION,
         note="统计表栏目按省从已定义的指标中选择（默认为本平台建议的栏目）"),
]
STATS_DUTIES: list[Duty] = [
    *[Duty("stats.settings", role, (codes.PROVINCE,), OWN_DIVISION, note="城市社区口径、孵化基地计数层级按省设置")
      for role in (Role.CIVIL_AFFAIRS, Role.ADMIN)],
]
_APPLY = "种子文件002（群众活动团队网上备案）；本平台建议：组织账号只办理本账号填写的申请"
_FILED_BY = f"{RULES_FILE}；种子文件002（备案）"


def _filing_deciders(action: str, what: str) -> list[Duty]:
    """The body that files a group acts on its filing application (the province's filing level)."""
    return [
        *_rows(action, Role.STREET, (S,), REGISTERED_HERE, (FILED,), note=f"{_FILED_BY}：备案机关为街道时，{what}"),
        *_rows(action, Role.CIVIL_AFFAIRS, (CO,), REGISTERED_HERE, (FILED,),
               note=f"{_FILED_BY}：备案机关为县级民政局时，{what}"),
    ]


def _registering_deciders(action: str, what: str) -> list[Duty]:
    """The registering body decides on registered-track applications placed with it: a new 筹备 / 成立登记 goes to
    the county's registering body (not the street, not the community, not the city); a 变更 or 注销 goes to the
    body that registered the organization, at whatever level (RULES.md)."""
    return _rows(action, Role.REGISTRAR, ABOVE_STREET, REGISTERED_HERE, (REGISTERED,),
                 note=f"{SEED_000}；{SEED_001}（向所在地县级登记管理机关申请登记）；{RULES_REG}：{what}")


APPLICATION_DUTIES: list[Duty] = [
    *_rows("applications.apply", Role.ORGANIZATION, LINKED_LEVELS, LINKED, note=_APPLY),
    *_filing_deciders("applications.accept", "受理（本平台建议的步骤：提交→受理→审查决定）"),
    *_filing_deciders("applications.return", "要求申请人补正并写明所缺事项"),
    *_filing_deciders("applications.approve", "批准备案，组织写入名录"),
    *_filing_deciders("applications.reject", "不予批准并写明理由"),
    *_registering_deciders("applications.accept", "受理筹备、成立登记申请，以及本机关登记的组织的变更、注销申请"),
    *_registering_deciders("applications.return", "要求申请人补正并写明所缺事项"),
    *_registering_deciders("applications.approve", "批准筹备、成立登记（写入名录）、变更（写入名录）或注销"),
    *_registering_deciders("applications.reject", "不予批准并写明理由"),
    *_rows("applications.opinion", Role.STREET, (S,), SUBTREE, (REGISTERED,),
           note=f"{SEED_001}：登记管理机关和街道双重负责，街道对辖区内的筹备、成立登记申请提出意见，不作决定"),
    *_rows("applications.opinion", Role.COMMUNITY, (CM,), OWN_DIVISION, (REGISTERED,),
           note=f"{PROPOSAL}：居（村）委会对本社区的筹备、成立登记申请提出意见，不作决定（{SEED_001}）"),
    *_rows("applications.name_check", Role.ORGANIZATION, LINKED_LEVELS, SUBTREE,
           note=f"{PROPOSAL}：申请人填写拟定名称时提示本县（区）已有的相近名称；以提交时的核对为准"),
    *_rows("applications.upload", Role.ORGANIZATION, LINKED_LEVELS, LINKED,
           note=f"{_APPLY}；草稿和待补正时上传材料（文件按内容核对类型和大小）"),
    *_rows("applications.download", Role.ORGANIZATION, LINKED_LEVELS, LINKED, note="申请人查看本账号上传的材料"),
    *_filing_deciders("applications.download", "查看申请材料（本平台建议：材料只给办理本案的机关，不给其他人）"),
    *_registering_deciders("applications.download", "查看申请材料（本平台建议：材料只给办理本案的机关，不给其他人）"),
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS)
      for d in _rows("applications.guide_edit", role, (P,), OWN_DIVISION,
                     note=f"RULES.md：各地不同的规则为省级设置；{PROPOSAL}：省级修改本省办事指南，留存修改记录")],
]
def _every_account(action: str, note: str) -> list[Duty]:
    """Every role at every level it may be bound to, on what is linked to the account itself."""
    from .choices import ROLE_LEVELS

    return [d for role, levels in ROLE_LEVELS.items() for d in _rows(action, role, levels, LINKED, note=note)]


NOTICE_DUTIES: list[Duty] = _every_account("notices.view", f"{PROPOSAL}：每个账号只看、只处理本账号收到的通知")

PORTAL_ACTIONS: list[Action] = [
    Action("portal.mine", "查看“我的组织”（本账号关联的组织和申请）"),
    Action("portal.linked", "查看本基地孵化的组织和本枢纽组织的会员组织"),
]
_PORTAL = f"{PROPOSAL}：组织账号、运营方账号的门户只列本账号关联的组织"
PORTAL_DUTIES: list[Duty] = [
    *_rows("portal.mine", Role.ORGANIZATION, LINKED_LEVELS, LINKED, note=_PORTAL),
    *_rows("portal.mine", Role.OPERATOR, LINKED_LEVELS, LINKED, note=_PORTAL),
    *_rows("portal.linked", Role.OPERATOR, LINKED_LEVELS, LINKED,
           note=f"{PROPOSAL}：运营方查看本基地孵化的组织、本枢纽组织的会员组织（不含其他组织）"),
]
_INVITE = f"{SEED_001}；{PROPOSAL}：街道，或登记（备案）该组织的机关，按手机号码邀请组织的负责人、联络员"


def _inviters(action: str) -> list[Duty]:
    return [
        *_rows(action, Role.STREET, (S,), SUBTREE, note=f"{_INVITE}（街道：辖区内的组织）"),
        *_rows(action, Role.REGISTRAR, ABOVE_STREET, REGISTERED_HERE, (REGISTERED,),
               note=f"{_INVITE}（登记管理机关：本机关登记的组织）"),
        *_rows(action, Role.CIVIL_AFFAIRS, (CO,), REGISTERED_HERE, (FILED, COMMUNITY_GROUP),
               note=f"{_INVITE}（备案机关为县级民政局时：本机关备案的组织）"),
        *_rows(action, Role.COMMUNITY, (CM,), OWN_DIVISION, (COMMUNITY_GROUP,),
               note=f"{_INVITE}（居（村）委会：本社区指导的小型团体；不含依法登记的组织）"),
    ]


ACCOUNT_DUTIES += [
    *_inviters("accounts.invite"),
    *_inviters("accounts.revoke_invitation"),
    *_rows("accounts.accept_invitation", Role.ORGANIZATION, LINKED_LEVELS, LINKED,
           note=f"{PROPOSAL}：以邀请短信所发手机号码注册（验证）的组织账号接受邀请，关联该组织"),
]
ORG_DUTIES += [
    *_rows("orgs.edit_contact", Role.ORGANIZATION, LINKED_LEVELS, LINKED,
           note=f"{PROPOSAL}：组织账号直接修改联系人、电话、地址和活动信息（留痕）；登记事项须办理变更申请"),
]

SUPERVISION_ACTIONS: list[Action] = [
    Action("supervision.annual_fill", "填写、提交和修改本组织的年度报告（年检年报）", "supervision.AnnualReport"),
    Action("supervision.annual_review", "审查年度报告（合格、基本合格、不合格或退回修改）", "supervision.AnnualReport"),
    Action("supervision.annual_list", "查看年度报告审查情况及未报、逾期名单"),
    Action("supervision.annual_export", "导出未报、逾期年度报告名单"),
]
_ANNUAL = "RULES.md（年检年报）；种子文件000：各县（市、区）民政局对已登记社区社会组织事中事后监管（年检年报）"
SUPERVISION_DUTIES: list[Duty] = [
    *_rows("supervision.annual_fill", Role.ORGANIZATION, LINKED_LEVELS, LINKED, (REGISTERED,),
           note=f"{_ANNUAL}；{PROPOSAL}：组织账号网上填报本组织的年度报告，提交后只能经退回修改"),
    # The bureau that supervises, not the registering body: where a county's 行政审批服务管理局 registers, its
    # 民政局 reviews (seed 000); where the 民政局 registers it does both. Placed by the registering body's division.
    *_rows("supervision.annual_review", Role.CIVIL_AFFAIRS, ABOVE_STREET, REGISTERED_HERE, (REGISTERED,),
           note=f"{_ANNUAL}：登记机关所在地的民政部门审查本级登记的组织的年度报告（登记机关为行政审批服务管理局的，"
                "由同级民政局审查）；结论为合格、基本合格、不合格"),
    *[d for role in (Role.CIVIL_AFFAIRS, Role.ADMIN)
      for d in _rows("supervision.annual_list", role, ABOVE_STREET, SUBTREE,
                     note=f"{_ANNUAL}；{PROPOSAL}：本辖区（含下级）的审查情况和未报、逾期名单")],
    *[d for role in (Role.CIVIL_AFFAIRS, Role.ADMIN)
      for d in _rows("supervision.annual_export", role, ABOVE_STREET, SUBTREE,
                     note=f"{PROPOSAL}：导出本辖区的未报、逾期名单（CSV 或 Excel）")],
]

ACTIONS: dict[str, Action] = {
    a.code: a for a in (*REGION_ACTIONS, *ACCOUNT_ACTIONS, *ORG_ACTIONS, *REPORT_ACTIONS, *STATS_ACTIONS,
                    *APPLICATION_ACTIONS, *NOTICE_ACTIONS, *PORTAL_ACTIONS, *SUPERVISION_ACTIONS)
}
TABLE: tuple[Duty, ...] = (*REGION_DUTIES, *ACCOUNT_DUTIES, *ORG_DUTIES, *REPORT_DUTIES, *STATS_DUTIES,
                           *APPLICATION_DUTIES, *NOTICE_DUTIES, *PORTAL_DUTIES, *SUPERVISION_DUTIES)

# --- supervision: random inspections (双随机一公开) ---------------------------------------------------------
INSPECTION_ACTIONS: list[Action] = [
    Action("supervision.plan", "制定、公开和结束本级的随机抽查计划", "supervision.InspectionPlan"),
    Action("supervision.draw", "随机抽取抽查对象和检查人员", "supervision.InspectionPlan"),
    Action("supervision.inspect_record", "安排实地检查、记录抽查结果和整改情况", "supervision.InspectionTarget"),
    Action("supervision.inspectors", "管理本机关的检查人员名录", "supervision.Inspector"),
    Action("supervision.declare_conflict", "检查人员申报回避", "supervision.Inspector"),
]
_SPOT = "RULES.md（社会组织抽查暂行办法，民发〔2017〕45号：双随机一公开）"
INSPECTION_DUTIES: list[Duty] = [
    *_rows("supervision.plan", Role.CIVIL_AFFAIRS, ABOVE_STREET, OWN_DIVISION,
           note=f"{_SPOT}；{SEED_000}：本级民政部门对本级登记的组织随机抽查"),
    *_rows("supervision.draw", Role.CIVIL_AFFAIRS, ABOVE_STREET, OWN_DIVISION,
           note=f"{_SPOT}；{PROPOSAL}：以公开的随机种子抽取，任何人可重新计算核对"),
    *_rows("supervision.inspect_record", Role.CIVIL_AFFAIRS, ABOVE_STREET, OWN_DIVISION,
           note=f"{_SPOT}：本级民政部门记录检查结果、跟进整改"),
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS, Role.REGISTRAR)
      for d in _rows("supervision.inspect_record", role, ABOVE_STREET, LINKED,
                     note=f"{_SPOT}；{PROPOSAL}：被选派的检查人员记录本次检查的结果")],
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS)
      for d in _rows("supervision.inspectors", role, ABOVE_STREET, OWN_DIVISION,
                     note=f"{_SPOT}：建立本机关的检查人员名录")],
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS, Role.REGISTRAR)
      for d in _rows("supervision.declare_conflict", role, ABOVE_STREET, LINKED,
                     note=f"{_SPOT}：检查人员与检查对象有利害关系的应当回避；本人申报")],
]
ACTIONS.update({a.code: a for a in INSPECTION_ACTIONS})
TABLE += tuple(INSPECTION_DUTIES)


# --- the predicate layer -------------------------------------------------------------------------
def _prefix(code: str) -> str:
    return code[: codes.PREFIX_LENGTH[codes.level_of(code)]]


def _parent(code: str) -> str | None:
    """The code of the unit one level up, by the code's shape (a town of 东莞 hangs under the city)."""
    level = codes.level_of(code)
    for parent_level in codes.expected_parent_levels(level):
        parent = codes.pad_code(codes.prefix_of(code, parent_level))
        if parent != code and codes.level_of(parent) == parent_level:
            return parent
    return None


def reaches(user, reach: str, facts: Facts) -> bool:
    """Whether an account bound to ``user.division`` reaches an object with ``facts``."""
    own = user.division_id
    if own is None:
        return False
    if reach == LINKED:
        return bool(facts.linked and facts.linked(user))
    if reach == REGISTERED_HERE:
        return facts.authority_division == own
    if reach == SERVES:
        return bool(facts.serves) and own.startswith(_prefix(facts.serves))
    if facts.division is None:
        return False
    if reach == SUBTREE:
        return facts.division.startswith(_prefix(own))
    if reach == OWN_DIVISION:
        return facts.division == own
    if reach == CHILDREN:
        return facts.division != own and _parent(facts.division) == own
    raise ValueError(f"unknown reach {reach!r}")


def duties_for(user, action: str) -> list[Duty]:
    """The rows granting ``action`` to this account's role and level."""
    if action not in ACTIONS:
        raise KeyError(f"action {action!r} is not in the responsibilities table")
    level = user.division.level if getattr(user, "division_id", None) else None
    return [d for d in TABLE if d.action == action and d.role == user.role and level in d.levels]


def facts_of(obj) -> Facts:
    """The object's facts: its ``responsibility_facts()``; a division and an account stand at their division
    (those lower apps do not import this one)."""
    method = getattr(obj, "responsibility_facts", None)
    if method is not None:
        return method()
    from django.contrib.auth import get_user_model

    from cso.regions.models import Division

    if isinstance(obj, Division):
        return Facts(division=obj.code)
    if isinstance(obj, get_user_model()):
        return Facts(division=obj.division_id)
    raise TypeError(f"{type(obj).__name__} does not tell its responsibility facts")


def can(user, action: str, obj=None) -> bool:
    """May ``user`` do ``action`` (to ``obj``; without it: anywhere)?"""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return action in ACTIONS
    rows = duties_for(user, action)
    if obj is None or not rows:
        return bool(rows)
    facts = facts_of(obj)
    return any((d.track is None or d.track == facts.track) and reaches(user, d.reach, facts) for d in rows)


def require(user, action: str, obj=None) -> None:
    """``can`` or PermissionDenied (views turn an object outside the scope into a 404 before)."""
    if not can(user, action, obj):
        label = ACTIONS[action].label if action in ACTIONS else action
        raise PermissionDenied(f"您的账号无权{label}。")


def permitted(user, actions: Iterable[str], obj=None) -> set[str]:
    """The subset of ``actions`` this account may do (to ``obj``): for menus and buttons."""
    return {a for a in actions if can(user, a, obj)}


def level_label(level: int) -> str:
    return codes.LEVEL_SHORT_NAMES.get(level, str(level))


_TRACKED_MODELS = ("orgs.Organization", "applications.Application", "orgs.MembershipInvitation",
                   "orgs.HubMembership", "supervision.AnnualReport")


def table_rows() -> list[dict]:
    """The table for the administrators' page, in Chinese, grouped by action."""
    out = []
    for duty in TABLE:
        action = ACTIONS[duty.action]
        out.append({
            "action": action.code, "action_label": action.label, "role": Role(duty.role).label,
            "levels": "、".join(level_label(lv) for lv in duty.levels), "reach": REACHES[duty.reach],
            "track": TRACKS.get(duty.track, "全部") if action.model in _TRACKED_MODELS else "—",
            "note": duty.note,
        })
    return out


def rows_for_action(action: str) -> list[Duty]:
    return [d for d in TABLE if d.action == action]


def roles_and_levels() -> Iterable[tuple[str, int]]:
    """Every (role, level) an account can have, for the table page and the generated test."""
    from .choices import ROLE_LEVELS

    for role in Role.values:
        for level in ROLE_LEVELS.get(role, ()):
            yield role, level


def register_with_rules() -> None:
    """Each action becomes a ``rules`` permission, so ``user.has_perm(action, obj)`` answers the same."""
    for code in ACTIONS:
        if not rules.perm_exists(code):
            rules.add_perm(code, rules.predicate(_predicate_for(code), name=code))


def _predicate_for(code: str) -> Callable:
    def predicate(user, obj=None):
        return can(user, code, obj)

    return predicate



# --- supervision: credit lists (民政部令第60号) and enforcement (执法监察), issue 11 --------------------------------
_CREDIT = "RULES.md（《社会组织信用信息管理办法》，民政部令第60号）"
CREDIT_ACTIONS: list[Action] = [
    Action("supervision.credit_view", "查看组织的信用记录和名录列入", "orgs.Organization"),
    Action("supervision.credit_decide", "记录信用信息、运行信用规则，确认或不予列入名录，答复异议",
           "supervision.ListEntry"),
    Action("supervision.credit_object", "对本组织的名录列入提出异议", "supervision.ListEntry"),
    Action("supervision.enforcement", "执法监察（立案、作出处理决定）", "orgs.Organization"),
]
CREDIT_DUTIES: list[Duty] = [
    *_staff_see("supervision.credit_view", f"{_CREDIT}：信用信息公开、可查询；工作人员查看本辖区组织的信用记录"),
    *_rows("supervision.credit_decide", Role.REGISTRAR, ABOVE_STREET, REGISTERED_HERE, (REGISTERED,),
           note=f"{_CREDIT}：登记管理机关决定列入、移出本机关登记的组织；{PROPOSAL}：由规则提出，登记管理机关确认或"
                "不予列入并写明理由（备案的组织不适用该办法）"),
    *_rows("supervision.credit_object", Role.ORGANIZATION, LINKED_LEVELS, LINKED,
           note=f"{_CREDIT}：社会组织对信用信息和列入有异议的，可以提出"),
    *_rows("supervision.enforcement", Role.REGISTRAR, ABOVE_STREET, REGISTERED_HERE, (REGISTERED,),
           note=f"{SEED_000}：执法监察；{RULES_REG}：登记管理机关对本机关登记的组织作出行政处罚"),
    *_rows("supervision.enforcement", Role.CIVIL_AFFAIRS, (CO,), REGISTERED_HERE, (REGISTERED,),
           note="种子文件000：各县（市、区）民政局通过执法监察等方式对已登记的组织事中事后监管"),
]
ACTIONS.update({a.code: a for a in CREDIT_ACTIONS})
TABLE = (*TABLE, *CREDIT_DUTIES)
_TRACKED_MODELS = (*_TRACKED_MODELS, "supervision.ListEntry")


# --- supervision: the supervision dashboard (监管看板), issue 11 part 7 -----------------------------------------
SUPERVISION_DASHBOARD_ACTIONS: list[Action] = [
    Action("supervision.dashboard", "查看本辖区的监管看板（年报报送率、抽查覆盖率、信用名录、等级评估、僵尸型组织）"),
]
_SV_DASHBOARD = f"{PROPOSAL}：工作人员查看本辖区（含下级）的监管情况汇总，点击数字查看名单"
SUPERVISION_DASHBOARD_DUTIES: list[Duty] = [
    *_rows("supervision.dashboard", Role.ADMIN, ABOVE_STREET, SUBTREE, note=_SV_DASHBOARD),
    *_rows("supervision.dashboard", Role.CIVIL_AFFAIRS, ABOVE_STREET, SUBTREE, note=_SV_DASHBOARD),
    *_rows("supervision.dashboard", Role.REGISTRAR, ABOVE_STREET, SUBTREE, note=_SV_DASHBOARD),
    *_rows("supervision.dashboard", Role.STREET, (S,), SUBTREE, note=_SV_DASHBOARD),
]
ACTIONS.update({a.code: a for a in SUPERVISION_DASHBOARD_ACTIONS})
TABLE = (*TABLE, *SUPERVISION_DASHBOARD_DUTIES)


# --- supervision: zombie detection and clean-up campaigns (清理整治, seed 002 第三条), issue 11 ----------------
_CLEANUP = "种子文件002第三条（常态化开展“僵尸型”社区社会组织清理整治；街(镇)定期对不开展活动的群众活动团队进行清理）"
ZOMBIE_ACTIONS: list[Action] = [
    Action("supervision.zombie_view", "查看疑似僵尸型组织名单及理由、导出、发起扫描"),
    Action("supervision.campaign_manage", "发起、结束清理整治行动，确认街道提出的处理结果", "supervision.Campaign"),
    Action("supervision.campaign_record", "记录清理整治对象的处理结果", "supervision.CampaignCase"),
    Action("supervision.campaign_reassign", "将清理整治对象改派到本行动区域内的另一个街道（乡镇）承办",
           "supervision.Campaign"),
]
ZOMBIE_DUTIES: list[Duty] = [
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS, Role.REGISTRAR)
      for d in _rows("supervision.zombie_view", role, ABOVE_STREET, SUBTREE,
                     note=f"{_CLEANUP}；{PROPOSAL}：按事实计算的疑似分值，逐条列出理由")],
    *_rows("supervision.zombie_view", Role.STREET, (S,), SUBTREE, note=f"{_CLEANUP}：街道查看本辖区名单"),
    *_rows("supervision.campaign_manage", Role.CIVIL_AFFAIRS, ABOVE_STREET, OWN_DIVISION,
           note=f"{_CLEANUP}：本级民政部门组织清理整治"),
    *_rows("supervision.campaign_record", Role.STREET, (S,), SUBTREE,
           note=f"{_CLEANUP}：街道记录本街道对象的处理结果；改变状态的结果由有权机关决定（否则提出、待机关确认）"),
    *_rows("supervision.campaign_record", Role.CIVIL_AFFAIRS, ABOVE_STREET, SUBTREE,
           note=f"{_CLEANUP}：民政部门记录本辖区对象的处理结果"),
    *_rows("supervision.campaign_reassign", Role.CIVIL_AFFAIRS, ABOVE_STREET, OWN_DIVISION,
           note=f"{_CLEANUP}：本级民政部门组织清理整治；{PROPOSAL}：发起行动的民政部门将分错街道、尚未办结的对象"
                "改派到行动区域内的另一个街道（乡镇），写明理由，改派留痕"),
]
ACTIONS.update({a.code: a for a in ZOMBIE_ACTIONS})
TABLE = (*TABLE, *ZOMBIE_DUTIES)


# --- supervision: activity records (活动记录; they feed the zombie score), issue 11 ----------------------------
ACTIVITY_ACTIONS: list[Action] = [
    Action("supervision.activity_view", "查看组织的活动记录", "orgs.Organization"),
    Action("supervision.activity_record", "记录组织开展的活动（日期、名称、地点、人数、照片）", "orgs.Organization"),
]
_ACTIVITY = f"{_CLEANUP}；{PROPOSAL}：活动记录是判断长期不开展活动的事实依据"
ACTIVITY_DUTIES: list[Duty] = [
    *_staff_see("supervision.activity_view", f"{_ACTIVITY}；工作人员查看本辖区组织的活动记录"),
    *_rows("supervision.activity_record", Role.ORGANIZATION, LINKED_LEVELS, LINKED,
           note=f"{_ACTIVITY}：组织账号记录本组织开展的活动"),
    *_rows("supervision.activity_record", Role.STREET, (S,), SUBTREE,
           note=f"{_ACTIVITY}；{SEED_001}：街道记录辖区内组织的活动"),
    *_rows("supervision.activity_record", Role.COMMUNITY, (CM,), SUBTREE,
           note=f"{_ACTIVITY}；{SEED_001}：居（村）委会记录本社区组织的活动"),
]
ACTIONS.update({a.code: a for a in ACTIVITY_ACTIONS})
TABLE = (*TABLE, *ACTIVITY_DUTIES)

# --- supervision: grade evaluation (等级评估, 民政部令第39号), issue 11 part 3 -----------------------------------
_EVAL = "RULES.md（《社会组织评估管理办法》，民政部令第39号）"
EVALUATION_ACTIONS: list[Action] = [
    Action("supervision.evaluation_apply", "申请等级评估（规范化建设评估）、填报和提交自评、在公示期内提出异议",
           "supervision.Evaluation"),
    Action("supervision.evaluation_score", "录入评估机构评分和评估委员会审定分", "supervision.Evaluation"),
    Action("supervision.evaluation_publish", "公示评估结果、答复异议、公示期满确定等级", "supervision.Evaluation"),
    Action("supervision.evaluation_list", "查看、检索和导出本辖区的等级评估名单"),
]
EVALUATION_DUTIES: list[Duty] = [
    *_rows("supervision.evaluation_apply", Role.ORGANIZATION, LINKED_LEVELS, LINKED, (REGISTERED,),
           note=f"{_EVAL}：社会组织自愿申请评估并自评；{PROPOSAL}：组织账号网上申请、自评，提交后不能修改；"
                "社区社会组织可选规范化建设评估（种子文件002第六条）"),
    *_rows("supervision.evaluation_score", Role.CIVIL_AFFAIRS, ABOVE_STREET, REGISTERED_HERE, (REGISTERED,),
           note=f"{_EVAL}：各级民政部门负责本级登记的组织的评估（评估机构评分、评估委员会审定）；"
                "与组织有利害关系并已申报回避的人员不得评分"),
    *_rows("supervision.evaluation_publish", Role.CIVIL_AFFAIRS, ABOVE_STREET, REGISTERED_HERE, (REGISTERED,),
           note=f"{_EVAL}：评估结果向社会公示，公示期满后确定等级（公示期为各省设置）；答复公示期内的异议"),
    *[d for role in (Role.CIVIL_AFFAIRS, Role.ADMIN, Role.REGISTRAR)
      for d in _rows("supervision.evaluation_list", role, ABOVE_STREET, SUBTREE,
                     note=f"{_EVAL}；{PROPOSAL}：本辖区（含下级）的评估名单，可导出（CSV 或 Excel）")],
]
ACTIONS.update({a.code: a for a in EVALUATION_ACTIONS})
TABLE = (*TABLE, *EVALUATION_DUTIES)
_TRACKED_MODELS = (*_TRACKED_MODELS, "supervision.Evaluation")

# --- cultivation: support places, incubation and venue sharing (培育扶持), issue 12 ---------------------------
_PLACES = ("种子文件000（每个县（市、区）建设1至2个孵化基地；闲置的国有、集体用房可无偿提供）；"
           "种子文件003（区、镇、村三级孵化基地）")
_INCUBATE = "种子文件003（孵化培育：场地、培训、资金、导师）；种子文件000"
_ROOMS = "种子文件002（党群服务中心、为老服务中心、文化活动中心、居委会活动室向社区社会组织开放）"
SUPPORT_ACTIONS: list[Action] = [
    Action("support.place_view", "查看培育扶持载体（孵化基地、服务中心、社区设施、闲置用房）", "support.Place"),
    Action("support.place_edit", "登记、修改载体信息、照片和活动室", "support.Place"),
    Action("support.place_export", "导出载体名录"),
    Action("support.targets", "查看县级孵化基地建设目标（每县1至2个）"),
    Action("support.intake_view", "查看入驻孵化记录（计划、服务、出壳）", "support.Intake"),
    Action("support.intake_apply", "申请入驻孵化基地（团队账号）"),
    Action("support.incubate", "安排入驻、制定孵化计划、记录服务、结束孵化", "support.Intake"),
    Action("support.place_into", "安排团队（组织）入驻该孵化基地", "support.Place"),
    Action("support.graduate", "办理出壳（以本团队账号提交备案或成立登记申请）", "support.Intake"),
    Action("support.book", "预约活动室", "support.Booking"),
    Action("support.booking_cancel", "取消场地预约", "support.Booking"),
    Action("support.booking_use", "确认场地已使用（记为组织的活动记录）", "support.Booking"),
]
_MANAGERS = ((Role.ADMIN, ABOVE_STREET), (Role.CIVIL_AFFAIRS, ABOVE_STREET), (Role.STREET, (S,)))
SUPPORT_DUTIES: list[Duty] = [
    *[d for role in _STAFF for d in _rows("support.place_view", role, _STAFF_LEVELS[role], SUBTREE,
                                          note=f"{_PLACES}：工作人员查看本辖区的载体")],
    *_rows("support.place_view", Role.STREET, (S,), SERVES,
           note=f"{_INCUBATE}；{PROPOSAL}：街道查看服务本街道的上级孵化基地（只读），以便安排团队入驻"),
    *_rows("support.place_view", Role.OPERATOR, LINKED_LEVELS, LINKED, note=f"{PROPOSAL}：运营方只看本账号关联的基地"),
    *_rows("support.place_view", Role.ORGANIZATION, LINKED_LEVELS, SUBTREE,
           note=f"{_ROOMS}；{PROPOSAL}：组织账号查看本辖区的载体以预约活动室"),
    *[d for role, levels in _MANAGERS for d in _rows("support.place_edit", role, levels, SUBTREE,
                                                     note=f"{_PLACES}：民政部门、街道登记和维护本辖区的载体")],
    *_rows("support.place_edit", Role.OPERATOR, LINKED_LEVELS, LINKED,
           note=f"{PROPOSAL}：运营方维护本基地的开放时间、服务、照片和活动室（不能新增载体）"),
    *[d for role in _STAFF for d in _rows("support.place_export", role, _STAFF_LEVELS[role], SUBTREE,
                                          note="导出可查看的载体")],
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS) for d in _rows(
        "support.targets", role, ABOVE_STREET, SUBTREE,
        note="种子文件000：每个县（市、区）建设1至2个孵化基地（按省设置）")],
    *[d for role in _STAFF for d in _rows("support.intake_view", role, _STAFF_LEVELS[role], SUBTREE,
                                          note=f"{_INCUBATE}：本辖区团队的孵化情况")],
    *_rows("support.intake_view", Role.OPERATOR, LINKED_LEVELS, LINKED, note=f"{PROPOSAL}：运营方查看本基地的入驻团队"),
    *_rows("support.intake_view", Role.ORGANIZATION, LINKED_LEVELS, LINKED,
           note=f"{PROPOSAL}：团队账号查看本团队的孵化"),
    *_rows("support.intake_apply", Role.ORGANIZATION, LINKED_LEVELS, SUBTREE,
           note=f"{_INCUBATE}；{PROPOSAL}：团队（或已成立的组织）以本账号申请入驻，由街道或基地安排"),
    *[d for role, levels in _MANAGERS for d in _rows("support.incubate", role, levels, SUBTREE,
                                                     note=f"{_INCUBATE}：街道安排入驻、记录孵化")],
    *_rows("support.incubate", Role.OPERATOR, LINKED_LEVELS, LINKED,
           note=f"{_INCUBATE}；{PROPOSAL}：运营方接收入驻、制定计划、记录本基地提供的服务"),
    *[d for role, levels in _MANAGERS for d in _rows("support.place_into", role, levels, SUBTREE,
                                                     note=f"{_INCUBATE}：安排本辖区的团队入驻本辖区的孵化基地")],
    *_rows("support.place_into", Role.STREET, (S,), SERVES,
           note=f"{_INCUBATE}：入驻由团队申请或街道安排；街道可安排本街道的团队入驻服务本街道的上级孵化基地"
                "（所在县（区）级基地）"),
    *_rows("support.place_into", Role.OPERATOR, LINKED_LEVELS, LINKED,
           note=f"{PROPOSAL}：运营方接收团队入驻本基地"),
    *_rows("support.graduate", Role.ORGANIZATION, LINKED_LEVELS, LINKED,
           note=f"{_INCUBATE}；{RULES_FILE}：出壳即以团队账号向登记（备案）机关提交申请，机关批准后名录记载孵化基地"),
    *_rows("support.book", Role.ORGANIZATION, LINKED_LEVELS, SUBTREE, note=f"{_ROOMS}：组织账号预约本辖区的活动室"),
    *_rows("support.booking_cancel", Role.ORGANIZATION, LINKED_LEVELS, LINKED, note="预约人取消本组织的预约"),
    *[d for role, levels in _MANAGERS for d in _rows("support.booking_cancel", role, levels, SUBTREE,
                                                     note=f"{PROPOSAL}：场地管理方取消本辖区的预约（须写明原因）")],
    *_rows("support.booking_cancel", Role.OPERATOR, LINKED_LEVELS, LINKED, note=f"{PROPOSAL}：运营方取消本基地的预约"),
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS, Role.STREET, Role.COMMUNITY)
      for d in _rows("support.booking_use", role, _STAFF_LEVELS[role], SUBTREE,
                     note=f"{_ROOMS}；{PROPOSAL}：场地管理方确认使用，记为组织的活动记录（清理整治时参考）")],
    *_rows("support.booking_use", Role.OPERATOR, LINKED_LEVELS, LINKED, note=f"{PROPOSAL}：运营方确认本基地的使用"),
]
ACTIONS.update({a.code: a for a in SUPPORT_ACTIONS})
TABLE = (*TABLE, *SUPPORT_DUTIES)


# --- funding: programmes, applications, awards and money (资金扶持), issue 12 -----------------------------------
_FUND = ("种子文件000–004（政府购买服务、公益创投、补贴、奖励、彩票公益金、孵化培育基金）；"
         "RULES.md（征集申报→初审→评审→立项→协议→分期拨款→中期、结项评估）")
FUNDING_ACTIONS: list[Action] = [
    Action("funding.view", "查看本辖区的资金扶持项目、申报和立项", "funding.Programme"),
    Action("funding.manage", "设立、发布资金扶持项目，选派评审人员，维护指导目录和项目清单", "funding.Programme"),
    Action("funding.apply", "以本组织名义申报资金扶持项目", "orgs.Organization"),
    Action("funding.review", "评审人员为申报评分或申报回避", "funding.Application"),
    Action("funding.decide", "立项（或不予立项）、签订协议、拨款、评估和归档", "funding.Application"),
    Action("funding.money", "查看本辖区资金扶持的资金情况（已立项、已拨付、结余）"),
    Action("funding.awards", "查看本辖区的立项清单（接口、立项明细导出）", "funding.Award"),
    Action("funding.qualifications", "记录组织的免税资格、公益事业捐赠票据、公益性捐赠税前扣除资格",
           "orgs.Organization"),
]
FUNDING_DUTIES: list[Duty] = [
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS)
      for d in _rows("funding.view", role, ABOVE_STREET, SUBTREE, note=f"{_FUND}：上级查看本级和下级的项目")],
    *_rows("funding.view", Role.STREET, (S,), SUBTREE, note=f"{_FUND}：街道（乡镇）查看本级的项目"),
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS)
      for d in _rows("funding.manage", role, ABOVE_STREET, OWN_DIVISION,
                     note=f"{_FUND}；种子文件001、003（政府购买服务指导目录、购买社区公共服务项目清单）：本级资助方设立本级项目")],
    *_rows("funding.manage", Role.STREET, (S,), OWN_DIVISION,
           note=f"{_FUND}；种子文件002（街(镇)向社区社会组织购买服务、出台激励扶持政策）"),
    *_rows("funding.apply", Role.ORGANIZATION, LINKED_LEVELS, LINKED,
           note=f"{_FUND}；{PROPOSAL}：组织账号为本账号关联的组织申报，提交时逐项审查资格并写明理由"),
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS)
      for d in _rows("funding.review", role, ABOVE_STREET, LINKED,
                     note=f"{_FUND}：被选派为本项目评审人员的账号评分；与申报组织有利害关系的应当回避（{PROPOSAL}）")],
    *_rows("funding.review", Role.STREET, (S,), LINKED, note=f"{_FUND}：被选派为本项目评审人员的账号评分或回避"),
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS)
      for d in _rows("funding.decide", role, ABOVE_STREET, OWN_DIVISION,
                     note=f"{_FUND}：本级资助方立项、签订协议、分期拨款、评估；预算不得超支")],
    *_rows("funding.decide", Role.STREET, (S,), OWN_DIVISION, note=f"{_FUND}：街道（乡镇）办理本级项目"),
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS)
      for d in _rows("funding.money", role, ABOVE_STREET, SUBTREE,
                     note="种子文件001、004（向农村社区社会组织倾斜）；本平台建议：按区划、年度汇总资金情况")],
    *_rows("funding.money", Role.STREET, (S,), SUBTREE, note="本平台建议：街道查看本辖区的资金情况"),
    *[d for role in (Role.ADMIN, Role.CIVIL_AFFAIRS)
      for d in _rows("funding.awards", role, ABOVE_STREET, SUBTREE,
                     note=f"{_FUND}；每笔立项均在公示栏公开；{PROPOSAL}：立项清单接口和立项明细导出按资助方所在区划限定")],
    *_rows("funding.awards", Role.STREET, (S,), SUBTREE,
           note=f"{PROPOSAL}：街道（乡镇）查看资助方在本辖区的立项（接口、导出）"),
    *_rows("funding.qualifications", Role.CIVIL_AFFAIRS, ABOVE_STREET, SUBTREE,
           note="种子文件002（民政局配合财税部门做好免税资格认定、公益事业捐赠票据申领和公益性捐赠税前扣除资格认定）"),
]
ACTIONS.update({a.code: a for a in FUNDING_ACTIONS})
TABLE = (*TABLE, *FUNDING_DUTIES)
