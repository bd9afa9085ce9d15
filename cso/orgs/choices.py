"""Choices of the organization registry. Labels follow the wording of seeds 000–002."""

from django.db import models

from cso.regions import codes


class Track(models.TextChoices):
    REGISTERED = "registered", "登记（法人类）"
    FILED = "filed", "备案（非法人类）"


class OrgType(models.TextChoices):
    SOCIAL_GROUP = "social_group", "社会团体"
    SOCIAL_SERVICE = "social_service", "民办非企业单位（社会服务机构）"
    FOUNDATION = "foundation", "基金会"
    ACTIVITY_TEAM = "activity_team", "群众活动团队"
    ACTIVITY_GROUP = "activity_group", "社区活动小组"


REGISTERED_TYPES = (OrgType.SOCIAL_GROUP, OrgType.SOCIAL_SERVICE, OrgType.FOUNDATION)
FILED_TYPES = (OrgType.ACTIVITY_TEAM, OrgType.ACTIVITY_GROUP)

# Position 2 of a civil-affairs credit code (GB 32100-2015): the type of the legal person.
USCC_TYPE_DIGITS = {
    OrgType.SOCIAL_GROUP: "1",
    OrgType.SOCIAL_SERVICE: "2",
    OrgType.FOUNDATION: "3",
}
USCC_TYPE_NAMES = {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}
USCC_CIVIL_AFFAIRS = "5"


class Tier(models.TextChoices):
    """The three management tiers of seed 001 (四（二）实行分类管理)."""

    REGISTERED = "registered", "依法登记（登记管理机关和街道双重负责）"
    STREET = "street", "街道（乡镇）管理"
    COMMUNITY = "community", "社区党组织领导、居（村）委会指导"


class Status(models.TextChoices):
    ACTIVE = "active", "正常"
    ABNORMAL = "abnormal", "活动异常"
    SUSPENDED = "suspended", "停止活动"
    DEREGISTERED = "deregistered", "注销"
    REVOKED = "revoked", "撤销登记"
    CLEARED = "cleared", "清理"


LIVE_STATUSES = (Status.ACTIVE, Status.ABNORMAL, Status.SUSPENDED)
FINAL_STATUSES = (Status.DEREGISTERED, Status.REVOKED, Status.CLEARED)

# Allowed status transitions; the final states lead nowhere.
TRANSITIONS = {
    Status.ACTIVE: {Status.ABNORMAL, Status.SUSPENDED, *FINAL_STATUSES},
    Status.ABNORMAL: {Status.ACTIVE, Status.SUSPENDED, *FINAL_STATUSES},
    Status.SUSPENDED: {Status.ACTIVE, *FINAL_STATUSES},
    Status.DEREGISTERED: set(),
    Status.REVOKED: set(),
    Status.CLEARED: set(),
}


class PartyBuilding(models.TextChoices):
    INDEPENDENT = "independent", "独立党组织"
    JOINT = "joint", "联合党组织"
    INSTRUCTOR = "instructor", "党建指导员"
    LIAISON = "liaison", "联络员"
    NONE = "none", "无"


class LeaderRole(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_rep", "法定代表人"
    HEAD = "head", "负责人"
    CHAIR = "chair", "理事长（会长）"
    VICE_CHAIR = "vice_chair", "副理事长（副会长）"
    SECRETARY_GENERAL = "secretary_general", "秘书长"
    OTHER = "other", "其他"


class BaseLevel(models.IntegerChoices):
    """Incubation bases exist at three levels (seed 003: 区、镇、村)."""

    COUNTY = codes.COUNTY, "县（区）级"
    STREET = codes.STREET, "街道（乡镇）级"
    COMMUNITY = codes.COMMUNITY, "社区（村）级"
