"""Choices of the statistics app: target keys and the urban-community rule."""

from django.db import models


class TargetKey(models.TextChoices):
    PER_10K = "per_10k", "每万人拥有社会组织数"
    AVG_URBAN = "avg_urban", "城市社区平均社区社会组织数"
    AVG_RURAL = "avg_rural", "农村社区平均社区社会组织数"
    INCUBATION_BASES_MIN = "incubation_bases_min", "每县（区）孵化基地数（下限）"
    INCUBATION_BASES_MAX = "incubation_bases_max", "每县（区）孵化基地数（上限）"
    FACILITY_AREA = "facility_area", "社区综合服务设施每百户面积"
    FACILITY_SHARE = "facility_share", "设施面积达标社区占比"


TARGET_UNITS = {
    TargetKey.PER_10K: "个/万人",
    TargetKey.AVG_URBAN: "个/社区",
    TargetKey.AVG_RURAL: "个/村",
    TargetKey.INCUBATION_BASES_MIN: "个",
    TargetKey.INCUBATION_BASES_MAX: "个",
    TargetKey.FACILITY_AREA: "㎡/百户",
    TargetKey.FACILITY_SHARE: "%",
}

# Targets that are shares: 0–100.
SHARE_TARGETS = (TargetKey.FACILITY_SHARE,)


class UrbanRule(models.TextChoices):
    COMMITTEE = "committee", "按委员会类型（居委会为城市社区，村委会为农村社区）"
    URBAN_RURAL_CODE = "urban_rural_code", "按城乡分类代码（1xx为城市社区，2xx为农村社区）"


URBAN_RULE_SHORT = {
    UrbanRule.COMMITTEE: "按委员会类型",
    UrbanRule.URBAN_RURAL_CODE: "按城乡分类代码",
}
MIXED_RULE = "mixed"
MIXED_RULE_LABEL = "各省按本省设置的口径（委员会类型或城乡分类代码）"


class BaseLevels(models.TextChoices):
    """Which incubation bases count toward seed 000's 1–2 per county (a per-province reading)."""

    COUNTY = "county", "只计县（区）级孵化基地（文件000：县级民政部门在每县建立1-2个孵化基地）"
    COUNTY_STREET = "county_street", "计县（区）级和街道（乡镇）级孵化基地"
    ALL = "all", "计县（区）、街道（乡镇）、社区（村）三级孵化基地（文件003：区、镇乡、村三级孵化基地）"


BASE_LEVELS_SHORT = {
    BaseLevels.COUNTY: "只计县级基地",
    BaseLevels.COUNTY_STREET: "计县级和街道级基地",
    BaseLevels.ALL: "计县、街道、社区三级基地",
}
