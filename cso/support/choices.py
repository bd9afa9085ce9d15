"""Choices of cultivation's support side (seeds 000–004)."""

from django.db import models


class PlaceKind(models.TextChoices):
    BASE = "base", "孵化基地"
    HUB = "hub", "枢纽型组织服务场所"
    CENTRE = "centre", "社会组织服务中心"
    FACILITY = "facility", "社区综合服务设施"
    IDLE = "idle", "闲置公共用房（无偿提供）"
    VENUE = "venue", "其他活动场所"


class FacilityType(models.TextChoices):
    """Seed 002: community facilities whose rooms groups may use."""

    PARTY = "party", "党群服务中心"
    ELDERLY = "elderly", "为老服务中心"
    CULTURE = "culture", "文化活动中心"
    COMMITTEE = "committee", "居委会活动室"
    OTHER = "other", "其他"


# What a place offers (seeds 000–004); stored as ",code,code," so that one code is a LIKE away on any database.
OFFERS = [
    ("office", "办公场地"),
    ("activity", "活动场地"),
    ("custody", "财务代管"),
    ("capacity", "能力建设"),
    ("party", "党建引领"),
    ("incubation", "孵化培育"),
    ("project", "项目指导"),
    ("legal", "法律咨询"),
]
OFFER_LABELS = dict(OFFERS)


class IntakeState(models.TextChoices):
    APPLIED = "applied", "已申请"
    INCUBATING = "incubating", "孵化中"
    GRADUATING = "graduating", "出壳办理中"
    GRADUATED = "graduated", "已出壳"
    DECLINED = "declined", "未入驻"
    WITHDRAWN = "withdrawn", "已退出"


OPEN_INTAKE_STATES = (IntakeState.APPLIED, IntakeState.INCUBATING, IntakeState.GRADUATING)


class IntakeSource(models.TextChoices):
    APPLIED = "applied", "组织申请"
    PLACED = "placed", "街道安排"


class PlannedTrack(models.TextChoices):
    FILED = "filed", "备案"
    REGISTERED = "registered", "登记"


class ServiceKind(models.TextChoices):
    TRAINING = "training", "培训"
    SPACE = "space", "场地"
    MONEY = "money", "资金"
    MENTORING = "mentoring", "导师辅导"
    OTHER = "other", "其他"


class BookingState(models.TextChoices):
    BOOKED = "booked", "已预约"
    CANCELLED = "cancelled", "已取消"
    USED = "used", "已使用"


ACTIVE_BOOKING_STATES = (BookingState.BOOKED, BookingState.USED)
