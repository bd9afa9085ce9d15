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

REACHES = {
    SUBTREE: "本辖区内（含下级）",
    OWN_DIVISION: "本级",
    CHILDREN: "直接下级",
    REGISTERED_HERE: "本机关登记（备案）的",
    LINKED: "本账号关联的",
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


@dataclass(frozen=True)
class Action:
    code: str
    label: str  # Chinese: "登记成立", "注销登记" …
    model: str = ""  # "orgs.Organization": what the action is done to ("" for none)


# --- the actions ---------------------------------------------------------------------------------
# Each domain lists its actions here; ``ACTIONS`` and ``TABLE`` are the concatenation.
REGION_ACTIONS: list[Action] = []
ACCOUNT_ACTIONS: list[Action] = []
ORG_ACTIONS: list[Action] = []
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

# --- the table -----------------------------------------------------------------------------------
REGION_DUTIES: list[Duty] = []
ACCOUNT_DUTIES: list[Duty] = []
ORG_DUTIES: list[Duty] = []
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

ACTIONS: dict[str, Action] = {
    a.code: a for a in (*REGION_ACTIONS, *ACCOUNT_ACTIONS, *ORG_ACTIONS, *REPORT_ACTIONS, *STATS_ACTIONS)
}
TABLE: tuple[Duty, ...] = (*REGION_DUTIES, *ACCOUNT_DUTIES, *ORG_DUTIES, *REPORT_DUTIES, *STATS_DUTIES)


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


def can(user, action: str, obj=None) -> bool:
    """May ``user`` do ``action`` (to ``obj``; without it: anywhere)?"""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return action in ACTIONS
    rows = duties_for(user, action)
    if obj is None or not rows:
        return bool(rows)
    facts: Facts = obj.responsibility_facts()
    return any((d.track is None or d.track == facts.track) and reaches(user, d.reach, facts) for d in rows)


def require(user, action: str, obj=None) -> None:
    """``can`` or PermissionDenied (views turn an object outside the scope into a 404 before)."""
    if not can(user, action, obj):
        label = ACTIONS[action].label if action in ACTIONS else action
        raise PermissionDenied(f"您的账号无权{label}。")


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
    def predicate_for(code: str):
        def check(user, obj=None):
            return can(user, code, obj)

        return rules.predicate(check, name=code)

    for code in ACTIONS:
        if not rules.perm_exists(code):
            rules.add_perm(code, predicate_for(code))

