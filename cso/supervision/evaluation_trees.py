"""Default indicator trees (RULES.md "Grade evaluation" and "What a real indicator tree looks like").

The top-level areas are RULES.md's (社会团体: 基础条件、内部治理、工作绩效、社会评价; 民非: 基础条件、内部治理、
业务活动和诚信建设、社会评价; recent schemes add 党的建设), the second and third levels follow the public schemes
RULES.md quotes (Suzhou's 基础条件 → 法人资格 / 章程规范 / 登记备案程序合法 / 遵纪守法; Jiangsu's option scores for
the party organization). The split of points and the wording of the leaves are 本平台建议 until a province imports
its own scheme. The community track (规范化建设评估, seed 002 第六条) is a lighter tree of 100 points whose areas
follow seed 002's own articles (第一条 党建引领, 第二条 准入, 第四条 内部治理, 第五条 人才队伍, 第六条 综合能力,
第十条 宣传引导).

A node is ``(code, title, points, rule, children)``; the points of a node's children add up to its own.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from cso.supervision.models import Evaluation, Indicator, IndicatorTree, Track

NOTE = ("本平台建议：一级指标来自 RULES.md（民政部令第39号及各地评估指标），二、三级指标和分值分配为本平台建议，"
        "各省可导入本地指标体系。")
COMMUNITY_NOTE = ("本平台建议：依据种子文件002（上海市民政局关于持续推进社区社会组织高质量发展的若干举措）"
                  "“持续推动社区社会组织规范化建设评估”拟定，各条目对应其第一、二、四、五、六、八、十条。")

PARTY = ("1", "党的建设", 100, "", [
    ("1.1", "党组织建设", 50, "", [
        ("1.1.1", "党组织设置", 30, "建立党组织的得30分；未建立但选派党建指导员或联络员的得20分；均无的得0分", []),
        ("1.1.2", "党建工作写入章程", 20, "章程载明党的建设内容的得满分，否则得0分", []),
    ]),
    ("1.2", "党的工作开展", 50, "", [
        ("1.2.1", "组织生活和党员教育管理", 25, "按规定开展组织生活、教育管理党员的得满分，部分开展的酌情扣分", []),
        ("1.2.2", "党建引领业务发展", 25, "党组织参与重大事项讨论、发挥作用的得满分", []),
    ]),
])


def _basics(funds: str, elected: str) -> tuple:
    return ("2", "基础条件", 100, "", [
        ("2.1", "法人资格", 30, "", [
            ("2.1.1", "法定代表人", 15, f"{elected}，未兼任其他组织法定代表人，年龄符合章程规定；每项不符扣5分", []),
            ("2.1.2", funds, 15, "不低于登记时的数额得满分，低于的得0分", []),
        ]),
        ("2.2", "章程规范", 20, "", [
            ("2.2.1", "章程制定和核准", 20, "按示范文本制定、经法定程序通过并经登记管理机关核准的得满分", []),
        ]),
        ("2.3", "登记备案程序合法", 25, "", [
            ("2.3.1", "变更登记和备案", 15, "登记事项变更按规定办理的得满分，每发现一项未办理扣5分", []),
            ("2.3.2", "印章和银行账户备案", 10, "按规定备案的得满分", []),
        ]),
        ("2.4", "遵纪守法", 25, "", [
            ("2.4.1", "年度检查（年报）", 15, "近两年年检合格的得满分；基本合格的每年扣5分", []),
            ("2.4.2", "无违法违规记录", 10, "近两年未受行政处罚、未列入信用名录的得满分", []),
        ]),
    ])


def _governance(bodies: list) -> tuple:
    return ("3", "内部治理", 350, "", [
        ("3.1", "组织机构", 80, "", bodies),
        ("3.2", "人力资源", 60, "", [
            ("3.2.1", "专职工作人员和劳动合同", 30, "有专职工作人员并依法签订劳动合同、缴纳社会保险的得满分", []),
            ("3.2.2", "负责人和工作人员培训", 30, "负责人和工作人员参加培训的得满分，部分参加的酌情给分", []),
        ]),
        ("3.3", "财务管理", 120, "", [
            ("3.3.1", "执行《民间非营利组织会计制度》", 40, "会计核算规范、账簿齐全的得满分", []),
            ("3.3.2", "收入和票据管理", 30, "会费、捐赠和服务收入使用合法票据的得满分", []),
            ("3.3.3", "财务审计", 30, "按规定进行年度审计和换届、离任审计的得满分", []),
            ("3.3.4", "资产管理", 20, "资产登记、使用和处置规范的得满分", []),
        ]),
        ("3.4", "档案、证书和印章管理", 40, "", [
            ("3.4.1", "档案管理", 20, "文书、会计档案完整、分类归档的得满分", []),
            ("3.4.2", "证书和印章管理", 20, "有管理制度并有使用登记的得满分", []),
        ]),
        ("3.5", "信息公开", 50, "", [
            ("3.5.1", "年度报告和重大事项公开", 30, "按规定公开年度报告和重大事项的得满分", []),
            ("3.5.2", "网站或公众平台", 20, "有网站或公众号并及时更新的得满分", []),
        ]),
    ])


SOCIAL_GROUP = [
    PARTY,
    _basics("活动资金", "法定代表人经会员（代表）大会或理事会依章程选举产生"),
    _governance([
        ("3.1.1", "会员（代表）大会", 30, "按章程按期召开、决定重大事项的得满分", []),
        ("3.1.2", "理事会和换届", 30, "理事会按章程召开、按期换届的得满分；未按期换届的得0分", []),
        ("3.1.3", "监事（会）", 20, "设立监事（会）并履行职责的得满分", []),
    ]),
    ("4", "工作绩效", 300, "", [
        ("4.1", "提供服务", 120, "", [
            ("4.1.1", "为会员服务", 60, "按章程为会员提供服务、会员满意的得满分", []),
            ("4.1.2", "为社会和社区服务", 60, "开展公益和社区服务活动的得满分", []),
        ]),
        ("4.2", "反映诉求和参与治理", 60, "", [
            ("4.2.1", "反映会员诉求、参与社区协商", 60, "有反映诉求和参与协商记录的得满分", []),
        ]),
        ("4.3", "承接政府职能和购买服务", 60, "", [
            ("4.3.1", "承接转移职能和购买服务项目", 60, "近两年有承接项目并通过验收的得满分", []),
        ]),
        ("4.4", "特色和品牌", 60, "", [
            ("4.4.1", "品牌项目和获得表彰", 60, "有品牌项目或获得县级以上表彰的得满分", []),
        ]),
    ]),
    ("5", "社会评价", 150, "", [
        ("5.1", "会员评价", 60, "按问卷满意率折算", []),
        ("5.2", "社区居民和服务对象评价", 50, "按问卷满意率折算", []),
        ("5.3", "登记管理机关和有关部门评价", 40, "按评价意见给分", []),
    ]),
]

SOCIAL_SERVICE = [
    PARTY,
    _basics("净资产（开办资金）", "法定代表人、理事依章程产生"),
    _governance([
        ("3.1.1", "理事会", 40, "理事会按章程召开、决定重大事项、按期换届的得满分", []),
        ("3.1.2", "监事（会）", 20, "设立监事（会）并履行职责的得满分", []),
        ("3.1.3", "内设机构", 20, "内设机构与业务相适应、职责明确的得满分", []),
    ]),
    ("4", "业务活动和诚信建设", 300, "", [
        ("4.1", "业务活动", 150, "", [
            ("4.1.1", "按业务范围开展服务", 80, "在登记的业务范围内开展服务、服务量达到计划的得满分", []),
            ("4.1.2", "服务质量管理", 70, "有服务标准、流程和质量控制的得满分", []),
        ]),
        ("4.2", "诚信建设", 90, "", [
            ("4.2.1", "收费公示和服务承诺", 50, "收费项目和标准公示、作出服务承诺的得满分", []),
            ("4.2.2", "信用记录", 40, "未列入活动异常名录、严重违法失信名单的得满分", []),
        ]),
        ("4.3", "承接购买服务和社会贡献", 60, "", [
            ("4.3.1", "承接政府购买服务和公益项目", 60, "近两年有承接项目并通过验收的得满分", []),
        ]),
    ]),
    ("5", "社会评价", 150, "", [
        ("5.1", "服务对象评价", 70, "按问卷满意率折算", []),
        ("5.2", "工作人员评价", 30, "按问卷满意率折算", []),
        ("5.3", "登记管理机关和有关部门评价", 50, "按评价意见给分", []),
    ]),
]

COMMUNITY = [  # seed 002's articles, 100 points
    ("1", "党建引领（第一条）", 15, "", [
        ("1.1", "向属地党组织报告、接受领导", 5, "有报告记录的得满分", []),
        ("1.2", "党组织或党建指导员、联络员", 10, "建立党组织的得10分；选派党建指导员、联络员的得7分；均无的得0分", []),
    ]),
    ("2", "准入和基础信息（第二条）", 15, "", [
        ("2.1", "登记（备案）信息真实准确、及时分类", 8, "信息与实际一致的得满分，每发现一处不符扣2分", []),
        ("2.2", "名称、负责人、活动场所相对固定", 7, "三项齐备的得满分，缺一项扣3分", []),
    ]),
    ("3", "内部治理（第四条）", 25, "", [
        ("3.1", "治理结构和自律机制", 10, "法人类：按章程建立健全法人治理结构；备案类：有自律制度", []),
        ("3.2", "资金使用规范", 8, "收支有记录、公开的得满分", []),
        ("3.3", "活动开展规范", 7, "活动有计划、有记录的得满分", []),
    ]),
    ("4", "人才队伍（第五条）", 15, "", [
        ("4.1", "负责人参加培训", 8, "负责人近两年参加轮训的得满分", []),
        ("4.2", "持证社工和专业技能", 7, "有持证社工或从业人员取得职业技能证书的得满分", []),
    ]),
    ("5", "综合能力和服务成效（第六、八条）", 20, "", [
        ("5.1", "聚焦群众“急难愁盼”", 12, "在社区服务、社区治理、公益慈善、社区协商方面有持续服务的得满分", []),
        ("5.2", "参加项目扶持和购买服务", 8, "参加公益创投、项目扶持或承接购买服务的得满分", []),
    ]),
    ("6", "社会评价和宣传（第十条）", 10, "", [
        ("6.1", "居民和服务对象满意度", 6, "按问卷满意率折算", []),
        ("6.2", "典型案例和品牌项目", 4, "入选典型案例或品牌项目的得满分", []),
    ]),
]

DEFAULT_TREES = {
    "default-social-group": ("社会团体等级评估指标（本平台建议）", Track.STANDARD, 1000, SOCIAL_GROUP, NOTE),
    "default-private-non-enterprise": ("民办非企业单位（社会服务机构）等级评估指标（本平台建议）", Track.STANDARD, 1000,
                                       SOCIAL_SERVICE, NOTE),
    "default-community": ("社区社会组织规范化建设评估指标（本平台建议）", Track.COMMUNITY, 100, COMMUNITY,
                          COMMUNITY_NOTE),
}
# which default tree an organization type is offered first (foundations use the social-group tree until a
# province imports the foundation scheme)
SUGGESTED = {"social_group": "default-social-group", "social_service": "default-private-non-enterprise",
             "foundation": "default-social-group"}


def check(nodes, total) -> None:
    """Raise ValueError unless the points of each level add up to its parent's (and the top level to ``total``)."""
    if sum(Decimal(n[2]) for n in nodes) != Decimal(total):
        raise ValueError(f"points of {[n[0] for n in nodes]} do not add up to {total}")
    for _code, _title, points, _rule, children in nodes:
        if children:
            check(children, points)


def _create(tree, nodes, parent=None, counter=None) -> None:
    counter = counter if counter is not None else [0]
    for code, title, points, rule, children in nodes:
        counter[0] += 1
        node = Indicator.objects.create(tree=tree, parent=parent, code=code, title=title, max_score=points,
                                        rule=rule, order=counter[0])
        _create(tree, children, node, counter)


def _size(nodes) -> int:
    return sum(1 + _size(n[4]) for n in nodes)


@transaction.atomic
def load_default_trees() -> list[IndicatorTree]:
    """Create the default trees; a default tree no evaluation uses yet is rebuilt when its shape changed.
    Idempotent."""
    trees = []
    for code, (title, track, total, nodes, note) in DEFAULT_TREES.items():
        check(nodes, total)
        tree, created = IndicatorTree.objects.get_or_create(
            code=code, defaults={"title": title, "track": track, "max_total": total, "note": note})
        if not created and tree.indicators.count() != _size(nodes) \
                and not Evaluation.objects.filter(tree=tree).exists():
            tree.indicators.all().delete()
            IndicatorTree.objects.filter(pk=tree.pk).update(title=title, note=note)
            created = True
        if created:
            _create(tree, nodes)
        trees.append(tree)
    return trees


def leaves(tree):
    """The leaf indicators of ``tree`` (the ones scored), in order."""
    return list(tree.indicators.filter(children__isnull=True).order_by("order"))


def rows(tree) -> list[dict]:
    """Every indicator of ``tree`` in order with its depth (1–3) and whether it is a leaf."""
    indicators = list(tree.indicators.order_by("order"))
    parents = {i.parent_id for i in indicators if i.parent_id}
    depth: dict[int, int] = {}
    out = []
    for ind in indicators:
        depth[ind.pk] = depth.get(ind.parent_id, 0) + 1
        out.append({"indicator": ind, "depth": depth[ind.pk], "leaf": ind.pk not in parents})
    return out
