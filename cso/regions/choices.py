from django.db import models

from . import codes


class Level(models.IntegerChoices):
    PROVINCE = codes.PROVINCE, "省级"
    CITY = codes.CITY, "地级"
    COUNTY = codes.COUNTY, "县级"
    STREET = codes.STREET, "乡级（街道、乡镇）"
    COMMUNITY = codes.COMMUNITY, "村级（社区、村）"


class UnitType(models.TextChoices):
    STREET = codes.UNIT_STREET, "街道"
    TOWN = codes.UNIT_TOWN, "镇"
    TOWNSHIP = codes.UNIT_TOWNSHIP, "乡"
    RESIDENTS = codes.UNIT_RESIDENTS, "居委会"
    VILLAGERS = codes.UNIT_VILLAGERS, "村委会"
    OTHER = codes.UNIT_OTHER, "其他"


class FiguresSource(models.TextChoices):
    NONE = "", "暂无"
    CENSUS = "census", "人口普查"
    ESTIMATE = "estimate", "估算（待填报）"
    ENTERED = "entered", "工作人员填报"


class AuthorityKind(models.TextChoices):
    """Bodies that register (登记) or supervise social organizations, by level."""

    MINISTRY = "ministry", "民政部"
    PROVINCE_BUREAU = "province_bureau", "省级民政厅（局）"
    CITY_BUREAU = "city_bureau", "市级民政局"
    COUNTY_BUREAU = "county_bureau", "县级民政局"
    APPROVAL_BUREAU = "approval_bureau", "行政审批服务管理局"
