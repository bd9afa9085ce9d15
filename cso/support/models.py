"""Cultivation's support side (issue 12): support places (载体) with rooms and photos, incubation intakes with their
plan and services, and room bookings.

A place that is an incubation base is linked one-to-one to the registry's ``orgs.IncubationBase`` and every place
to an ``orgs.Venue``, so the registry's references (``Organization.incubated_by``, ``Organization.venue``,
``AccountLink.base``) stay where they are; this app keeps what the registry does not (operator, hours, offers,
capacity, photos, rooms, intakes, bookings).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cso.core.attachments import PrivateFile
from cso.core.scoping import CHANGE, VIEW, ScopedModel, subtree_q
from cso.orgs.choices import BaseLevel
from cso.regions import codes

from .choices import (
    OFFER_LABELS,
    BookingState,
    FacilityType,
    IntakeSource,
    IntakeState,
    PlaceKind,
    PlannedTrack,
    ServiceKind,
)


def _role(user) -> str:
    return getattr(user, "role", "")


def _operator_places_q(user, prefix: str = "") -> Q:
    """The places whose incubation base the (operator's) account is linked to."""
    return Q(**{f"{prefix}base__account_links__user": user})


class Place(ScopedModel):
    """A support place (载体): an incubation base at one of three levels, a hub's or a service centre's premises,
    a community facility, idle public premises lent free, or another venue."""

    kind = models.CharField("类型", max_length=10, choices=PlaceKind.choices)
    facility_type = models.CharField("设施类别", max_length=10, choices=FacilityType.choices, blank=True,
                                     help_text="社区综合服务设施的类别（种子文件002）。")
    level = models.PositiveSmallIntegerField("基地层级", choices=BaseLevel.choices, null=True, blank=True,
                                             help_text="孵化基地的层级（种子文件003：区、镇、村三级）。")
    name = models.CharField("名称", max_length=200)
    operator = models.ForeignKey("orgs.Organization", verbose_name="运营方", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 help_text="运营（托管）该载体的组织，可不填。")
    division = models.ForeignKey("regions.Division", verbose_name="所在区划", on_delete=models.PROTECT,
                                 related_name="+")
    address = models.CharField("地址", max_length=300, blank=True)
    area = models.DecimalField("面积（㎡）", max_digits=10, decimal_places=2, null=True, blank=True,
                               validators=[MinValueValidator(0)])
    opening_hours = models.CharField("开放时间", max_length=200, blank=True)
    offers = models.CharField("提供服务", max_length=200, blank=True, default="",
                              help_text="以逗号分隔的服务代码（办公场地、活动场地、财务代管……）。")
    capacity = models.PositiveIntegerField("可容纳人数（组织数）", null=True, blank=True)
    free_of_charge = models.BooleanField("无偿提供", default=False,
                                         help_text="种子文件000：闲置的国有、集体用房可无偿提供给社区社会组织使用。")
    opened_on = models.DateField("建成（启用）日期", null=True, blank=True)
    closed_on = models.DateField("停用日期", null=True, blank=True,
                                 help_text="载体停用（关闭、收回）的日期：此后不再接受预约、入驻，也不再作为财务代管的服务中心，"
                                           "不计入孵化基地建设目标（本平台建议）；记录保留。")
    notes = models.CharField("备注", max_length=300, blank=True)
    base = models.OneToOneField("orgs.IncubationBase", verbose_name="孵化基地（名录）", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="place")
    venue = models.OneToOneField("orgs.Venue", verbose_name="活动场所（名录）", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="place")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    scope_field = "division"

    class Meta:
        verbose_name = "培育扶持载体"
        verbose_name_plural = "培育扶持载体"
        ordering = ["division_id", "kind", "name"]
        indexes = [models.Index(fields=["kind", "level", "division"], name="support_place_kind_level")]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="base") | Q(level__isnull=False),
                                   name="support_base_has_level"),
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def open_q(day=None, prefix: str = "") -> Q:
        """The places open on ``day`` (today): never closed, or closing after it."""
        day = day or timezone.localdate()
        return Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": day})

    @property
    def is_open(self) -> bool:
        return self.closed_on is None or self.closed_on > timezone.localdate()

    @property
    def offer_codes(self) -> list[str]:
        return [c for c in self.offers.split(",") if c]

    @property
    def offer_labels(self) -> list[str]:
        return [OFFER_LABELS.get(c, c) for c in self.offer_codes]

    @classmethod
    def scope_extra_q(cls, user, action: str) -> Q | None:
        """Staff see and (not communities) change their subtree; an operator's account its own base only;
        an organization's account sees the places of its subtree (to book a room)."""
        if user.is_superuser:
            return Q()
        role = _role(user)
        if role == "operator":
            return _operator_places_q(user)
        if action == VIEW:
            return Q() if getattr(user, "is_staff_role", False) or role == "organization" else None
        if action == CHANGE and role in ("admin", "civil_affairs", "street"):
            return Q()
        return None

    @property
    def serves(self) -> str | None:
        """The code of the area an incubation base serves: the division at the base's level that contains it
        (a county-level base serves its whole county, wherever in the county it stands)."""
        if self.kind != PlaceKind.BASE or not self.level or not self.division_id:
            return None
        level = min(self.level, codes.level_of(self.division_id))
        return codes.pad_code(codes.prefix_of(self.division_id, level))

    @classmethod
    def placeable_by(cls, user):
        """The incubation bases the account may place a group into: those of its scope, and for a street the
        bases serving it from above (its county's county-level bases; seed 003: intake by application of the
        group or placement by the street)."""
        bases = cls.objects.filter(cls.open_q(), kind=PlaceKind.BASE)
        visible = bases.visible_to(user)
        division = getattr(user, "division", None)
        if user.is_superuser or _role(user) != "street" or division is None:
            return visible
        serving = Q(pk__in=visible.values("pk"))
        for level in (codes.PROVINCE, codes.CITY, codes.COUNTY):
            if level < division.level:
                serving |= Q(level=level) & subtree_q("division", codes.prefix_of(division.code, level))
        return bases.filter(serving)

    def responsibility_facts(self):
        from cso.accounts.responsibilities import Facts

        base_id = self.base_id
        return Facts(division=self.division_id, serves=self.serves,
                     linked=lambda user: bool(base_id) and user.links.filter(base_id=base_id).exists())


class PlacePhoto(PrivateFile):
    """A photo of a place: checked by its content, stored outside the web root and served by the place's photo view
    only (``cso.core.attachments``)."""

    AREA = "placephotos"

    place = models.ForeignKey(Place, verbose_name="载体", on_delete=models.CASCADE, related_name="photos")
    caption = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        verbose_name = "载体照片"
        verbose_name_plural = "载体照片"
        ordering = ["id"]

    def __str__(self):
        return self.caption or self.original_name

    def responsibility_facts(self):
        return self.place.responsibility_facts()


class Room(models.Model):
    """A room of a place offered to groups (seed 002: rooms of community facilities)."""

    place = models.ForeignKey(Place, verbose_name="载体", on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField("房间名称", max_length=100)
    capacity = models.PositiveIntegerField("容纳人数", null=True, blank=True)
    opens_at = models.TimeField("每日开放时间", null=True, blank=True)
    closes_at = models.TimeField("每日关闭时间", null=True, blank=True)
    bookable = models.BooleanField("可预约", default=True)
    notes = models.CharField("备注", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "活动室"
        verbose_name_plural = "活动室"
        ordering = ["place_id", "name"]

    def __str__(self):
        return f"{self.place}·{self.name}"


class Intake(ScopedModel):
    """An organization or a would-be group taken into an incubation base (入驻孵化): applied for by the group's
    account or placed by the street; its plan, the services it received, and its graduation (出壳), made through
    the application engine (a 备案 or 成立登记 application prefilled from the intake)."""

    base = models.ForeignKey(Place, verbose_name="孵化基地", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="intakes", limit_choices_to={"kind": PlaceKind.BASE},
                             help_text="申请时可不填，由街道或基地安排。")
    division = models.ForeignKey("regions.Division", verbose_name="所在社区（区划）", on_delete=models.PROTECT,
                                 related_name="+")
    organization = models.ForeignKey("orgs.Organization", verbose_name="组织", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="intakes",
                                     help_text="已登记或备案的组织；尚未成立的团队出壳后为新成立的组织。")
    group_name = models.CharField("团队（拟定）名称", max_length=200)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=30)
    planned_category = models.ForeignKey("orgs.Category", verbose_name="拟定类别", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    planned_track = models.CharField("拟办理", max_length=10, choices=PlannedTrack.choices,
                                     default=PlannedTrack.FILED)
    member_count = models.PositiveIntegerField("成员人数", null=True, blank=True)
    activity = models.CharField("主要活动", max_length=300, blank=True)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="团队账号", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="intakes",
                                help_text="团队的组织账号：出壳时以该账号办理备案或登记申请。")
    source = models.CharField("来源", max_length=10, choices=IntakeSource.choices)
    state = models.CharField("状态", max_length=12, choices=IntakeState.choices, default=IntakeState.APPLIED)
    applied_on = models.DateField("申请（安排）日期")
    started_on = models.DateField("入驻日期", null=True, blank=True)
    graduated_on = models.DateField("出壳日期", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    application = models.ForeignKey("applications.Application", verbose_name="出壳申请", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    scope_field = "division"

    class Meta:
        verbose_name = "入驻孵化"
        verbose_name_plural = "入驻孵化"
        ordering = ["-applied_on", "-id"]
        indexes = [models.Index(fields=["base", "state"], name="support_intake_base_state")]

    def __str__(self):
        return self.group_name

    @classmethod
    def scope_extra_q(cls, user, action: str) -> Q | None:
        if user.is_superuser:
            return Q()
        role = _role(user)
        if role == "operator":
            return _operator_places_q(user, "base__")
        if role == "organization":
            return Q(account=user) | Q(organization__account_links__user=user) if action == VIEW else None
        if getattr(user, "is_staff_role", False):
            return Q() if action == VIEW or role in ("admin", "civil_affairs", "street") else None
        return None

    def is_linked(self, user) -> bool:
        if self.account_id == user.pk:
            return True
        links = user.links.all()
        return (bool(self.base_id) and links.filter(base__place__pk=self.base_id).exists()) or (
            bool(self.organization_id) and links.filter(organization_id=self.organization_id).exists())

    def responsibility_facts(self):
        from cso.accounts.responsibilities import Facts

        return Facts(division=self.division_id, linked=self.is_linked)

    @property
    def is_open(self) -> bool:
        return self.state in (IntakeState.APPLIED, IntakeState.INCUBATING, IntakeState.GRADUATING)


class Milestone(models.Model):
    intake = models.ForeignKey(Intake, verbose_name="入驻孵化", on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=200)
    due_on = models.DateField("计划完成日期")
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "孵化计划节点"
        verbose_name_plural = "孵化计划节点"
        ordering = ["intake_id", "due_on", "id"]

    def __str__(self):
        return self.title


class ServiceRecord(models.Model):
    """A service an incubated group received: training, space, money, mentoring (seed 003)."""

    intake = models.ForeignKey(Intake, verbose_name="入驻孵化", on_delete=models.CASCADE, related_name="services")
    kind = models.CharField("服务类别", max_length=10, choices=ServiceKind.choices)
    date = models.DateField("日期")
    description = models.CharField("内容", max_length=300)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)])
    hours = models.DecimalField("时长（小时）", max_digits=6, decimal_places=1, null=True, blank=True,
                                validators=[MinValueValidator(0)])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "孵化服务记录"
        verbose_name_plural = "孵化服务记录"
        ordering = ["intake_id", "-date", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.description}"


class Booking(ScopedModel):
    """A group's booking of a room for a date and a time; overlapping active bookings of one room are refused
    under a lock of the room's row (``services.book``). Marked used, it becomes activity evidence
    (``supervision.ActivityRecord``)."""

    room = models.ForeignKey(Room, verbose_name="活动室", on_delete=models.PROTECT, related_name="bookings")
    division = models.ForeignKey("regions.Division", verbose_name="所在区划", on_delete=models.PROTECT,
                                 related_name="+", help_text="载体所在的区划")
    organization = models.ForeignKey("orgs.Organization", verbose_name="组织", on_delete=models.PROTECT,
                                     related_name="room_bookings")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="预约人", null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    date = models.DateField("日期")
    start = models.TimeField("开始时间")
    end = models.TimeField("结束时间")
    purpose = models.CharField("活动内容", max_length=200)
    state = models.CharField("状态", max_length=10, choices=BookingState.choices, default=BookingState.BOOKED)
    created_at = models.DateTimeField("预约时间", auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="取消（确认使用）人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField("取消（确认使用）时间", null=True, blank=True)
    reason = models.CharField("取消原因", max_length=200, blank=True)
    attendance = models.PositiveIntegerField("参加人数", null=True, blank=True)
    activity_record = models.OneToOneField("supervision.ActivityRecord", verbose_name="活动记录", null=True,
                                           blank=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()
    scope_field = "division"

    class Meta:
        verbose_name = "场地预约"
        verbose_name_plural = "场地预约"
        ordering = ["-date", "-start", "-id"]
        indexes = [models.Index(fields=["room", "date"], name="support_booking_room_date")]
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")),
                                              name="support_booking_ends_after_start")]

    def __str__(self):
        return f"{self.room} {self.date} {self.start:%H:%M}–{self.end:%H:%M}"

    @classmethod
    def scope_extra_q(cls, user, action: str) -> Q | None:
        if user.is_superuser:
            return Q()
        role = _role(user)
        if role == "operator":
            return _operator_places_q(user, "room__place__")
        if role == "organization":
            return Q(booked_by=user) | Q(organization__account_links__user=user)
        if getattr(user, "is_staff_role", False):
            return Q()
        return None

    def is_linked(self, user) -> bool:
        if self.booked_by_id == user.pk:
            return True
        links = user.links.all()
        base_id = self.room.place.base_id
        return links.filter(organization_id=self.organization_id).exists() or (
            bool(base_id) and links.filter(base_id=base_id).exists())

    def responsibility_facts(self):
        from cso.accounts.responsibilities import Facts

        return Facts(division=self.division_id, linked=self.is_linked)
