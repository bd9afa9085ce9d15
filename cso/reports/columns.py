"""Which indicators the table shows, and how its two-row header groups them.

The seeds give no column layout for the 培育发展情况统计表: the default below is this product's proposed
layout (本平台建议的栏目), labelled so on every table. A province may choose its own columns from the
defined indicators (``ColumnLayout``); tables generated after the choice use it, frozen tables keep
the columns they were generated with.

Only the layout lives here: what each number means, its unit, its formula and whether it is a count
or a ratio come from ``cso.stats.indicators.INDICATORS`` — the one place indicators are defined.
"""

from __future__ import annotations

from dataclasses import dataclass

PROPOSED_LABEL = "栏目为本平台建议的布局（文件未规定统计表栏目）"
PROVINCE_LABEL = "栏目由本省从已定义的指标中选定"


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
    Group("本期变动", (("new_in_period", "新增"), ("deregistered_in_period", "注销、撤销"),
                       ("cleared_in_period", "清理"))),
    Group("每万人拥有社会组织数", (("per_10k", "每万人拥有社会组织数"),)),
    Group("平均每个社区拥有社区社会组织", (("avg_urban", "城市社区"), ("avg_rural", "农村社区"))),
    Group("服务设施与党建", (
        ("facility_share", "服务设施达标社区占比"),
        ("party_coverage", "党建覆盖率"),
    )),
)

COLUMN_KEYS: tuple[str, ...] = tuple(key for group in GROUPS for key, _ in group.columns)
SHORT_LABELS: dict[str, str] = {key: short for group in GROUPS for key, short in group.columns}
GROUP_OF: dict[str, str] = {key: group.label for group in GROUPS for key, _ in group.columns}


def choosable() -> list[tuple[str, str]]:
    """(key, label) of every defined indicator a province may choose, in the engine's order."""
    from cso.stats import indicators

    return [(key, ind.label) for key, ind in indicators.INDICATORS.items()]


def layout_for(province_code: str | None) -> tuple[tuple[str, ...], bool]:
    """(column keys, whether this is the proposed default layout) for tables generated now."""
    from cso.stats import indicators

    from .models import ColumnLayout

    if province_code:
        chosen = (ColumnLayout.objects.filter(province_id=province_code[:2].ljust(12, "0"))
                  .values_list("columns", flat=True).first())
        keys = tuple(k for k in (chosen or []) if k in indicators.INDICATORS)
        if keys:
            return keys, False
    return COLUMN_KEYS, True
