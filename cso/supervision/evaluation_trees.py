"""Default indicator trees (RULES.md "What a real indicator tree looks like"). The top-level areas are those of
RULES.md; the split of points between them and the community-organization tree are 本平台建议 until a province
imports its own scheme."""

from __future__ import annotations

from django.db import transaction

from cso.supervision.models import Indicator, IndicatorTree, Track

NOTE = "一级指标来自 RULES.md（民政部令第39号及各地评估指标）；分值分配为本平台建议，各省可导入本地指标体系。"

DEFAULT_TREES = {
    "default-social-group": ("社会团体等级评估指标（默认）", Track.STANDARD, 1000, [
        ("1", "党的建设", 100), ("2", "基础条件", 150), ("3", "内部治理", 300), ("4", "工作绩效", 300),
        ("5", "社会评价", 150)]),
    "default-private-non-enterprise": ("民办非企业单位（社会服务机构）等级评估指标（默认）", Track.STANDARD, 1000, [
        ("1", "党的建设", 100), ("2", "基础条件", 150), ("3", "内部治理", 300), ("4", "业务活动和诚信建设", 300),
        ("5", "社会评价", 150)]),
    "default-community": ("社区社会组织规范化建设评估指标（本平台建议）", Track.COMMUNITY, 100, [
        ("1", "党的建设", 10), ("2", "备案与基础条件", 20), ("3", "内部管理", 30), ("4", "活动开展", 30),
        ("5", "群众评价", 10)]),
}


@transaction.atomic
def load_default_trees() -> list[IndicatorTree]:
    """Create (or leave as they are) the default trees; idempotent."""
    trees = []
    for code, (title, track, total, areas) in DEFAULT_TREES.items():
        tree, created = IndicatorTree.objects.get_or_create(
            code=code, defaults={"title": title, "track": track, "max_total": total, "note": NOTE})
        if created:
            for order, (number, name, points) in enumerate(areas):
                Indicator.objects.create(tree=tree, code=number, title=name, max_score=points, order=order)
        trees.append(tree)
    return trees
