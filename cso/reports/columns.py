"""Which indicators the quarterly table shows, and how its two-row header groups them.

Only the layout lives here: what each number means, its unit, its formula and whether it is a count
or a ratio come from ``cso.stats.indicators.INDICATORS`` — the one place indicators are defined.
Sixteen numeric columns keep the table legible on one A4 landscape page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    label: str  # the upper header cell, merged over the group's columns
    columns: tuple[tuple[str, str], ...]  # (indicator key, lower header cell); one column = merged down


GROUPS: tuple[Group, ...] = (
    Group("社区（村）数", (
        ("communities", "合计"), ("communities_urban", "城市社区"), ("communities_rural", "农村社区"),
    )),
    Group("常住人口", (("population", "常住人口"),)),
    Group("社会组织数（存续）", (
        ("orgs_live", "合计"), ("orgs_registered", "登记"), ("orgs_filed", "备案"), ("cso_live", "其中社区社会组织"),
    )),
    Group("本期变动", (("new_in_period", "新增"), ("ended_in_period", "注销撤销"))),
    Group("每万人拥有社会组织数", (("per_10k", "每万人拥有社会组织数"),)),
    Group("平均每个社区拥有社区社会组织", (("avg_urban", "城市社区"), ("avg_rural", "农村社区"))),
    Group("达标情况", (
        ("communities_at_target_share", "社区社会组织达标社区占比"),
        ("facility_share", "服务设施达标社区占比"),
        ("party_coverage", "党建覆盖率"),
    )),
)

COLUMN_KEYS: tuple[str, ...] = tuple(key for group in GROUPS for key, _ in group.columns)
SHORT_LABELS: dict[str, str] = {key: short for group in GROUPS for key, short in group.columns}
GROUP_OF: dict[str, str] = {key: group.label for group in GROUPS for key, _ in group.columns}
