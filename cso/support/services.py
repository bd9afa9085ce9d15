"""Cultivation's support operations, testable without HTTP. Each checks the responsibilities table; changes are
kept by simple-history (who, when) with a reason where one is asked for."""

from __future__ import annotations

from datetime import date, timedelta
from statistics import median

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from cso.accounts.responsibilities import Facts, Prospect, can, require
from cso.core import attachments
from cso.orgs.choices import LIVE_STATUSES
from cso.orgs.models import IncubationBase, Organization, Venue
from cso.regions import codes
from cso.regions.models import Division
from cso.supervision.models import ActivityRecord

from .choices import (
    ACTIVE_BOOKING_STATES,
    OPEN_INTAKE_STATES,
    BookingState,
    IntakeSource,
    IntakeState,
    PlaceKind,
)
from .models import Booking, Intake, Milestone, Place, PlacePhoto, Room, ServiceRecord

PHOTO_TYPES = ("jpeg", "png")
MAX_PHOTOS = 12  # 本平台建议


# --- places ----------------------------------------------------------------------------------------
def _sync_registry(place: Place) -> None:
    """Keep the registry's references: a base is an ``orgs.IncubationBase``, every place an ``orgs.Venue``."""
    if place.kind == PlaceKind.BASE:
        base = place.base or IncubationBase()
        base.name, base.division_id, base.level = place.name, place.division_id, place.level
        base.address, base.opened_on = place.address, place.opened_on
        base.save()
        place.base = base
    venue = place.venue or Venue()
    venue.name, venue.division_id, venue.address, venue.area = place.name, place.division_id, place.address, place.area
    venue.notes = place.get_kind_display()
    venue.save()
    place.venue = venue


@transaction.atomic
def save_place(user, place: Place, is_new: bool) -> Place:
    """Create or change a place. Staff create in their subtree; an operator changes its own base only."""
    if is_new:
        require(user, "support.place_edit", Prospect(Facts(division=place.division_id)))
        if not getattr(user, "is_staff_role", False) and not user.is_superuser:
            raise ValidationError("只有工作人员可以登记新的载体。")
        place.created_by = user
    else:
        require(user, "support.place_edit", Place.objects.get(pk=place.pk))
        require(user, "support.place_edit", place)  # it stays where the account may act
    if place.kind == PlaceKind.BASE and not place.level:
        raise ValidationError({"level": "孵化基地须选择层级（区（县）、街道（乡镇）、社区（村））。"})
    if place.kind != PlaceKind.BASE:
        if place.base_id:
            raise ValidationError({"kind": "已是名录中的孵化基地，不能改为其他类型。"})
        place.level = None
    _sync_registry(place)
    place.save()
    return place


FACILITY_SUFFIXES = {"党群服务中心": "party", "为老服务中心": "elderly", "文化活动中心": "culture",
                     "活动室": "committee"}


def adopted_kind(name: str) -> tuple[str, str]:
    """A registry venue's kind and facility type, read from its name (seed 002's four community facilities)."""
    for suffix, facility in FACILITY_SUFFIXES.items():
        if name.endswith(suffix):
            return PlaceKind.FACILITY, facility
    return PlaceKind.VENUE, ""


def adopt_registry() -> int:
    """Places for the registry's bases and venues that have none yet (the admin's, the importer's and the demo
    generator's rows), in bulk."""
    rows = [Place(kind=PlaceKind.BASE, level=b.level, name=b.name, division_id=b.division_id, address=b.address,
                  opened_on=b.opened_on, base=b, offers=",incubation,office,capacity,")
            for b in IncubationBase.objects.filter(place__isnull=True).iterator()]
    for v in Venue.objects.filter(place__isnull=True).iterator():
        kind, facility = adopted_kind(v.name)
        rows.append(Place(kind=kind, facility_type=facility, name=v.name, division_id=v.division_id,
                          address=v.address, area=v.area, venue=v, offers=",activity,"))
    Place.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def add_photo(place: Place, user, uploaded_file, caption: str = "") -> PlacePhoto:
    """Check, store and record a photo of the place (``cso.core.attachments.store``): at most ``MAX_PHOTOS``."""
    require(user, "support.place_edit", place)

    def create(**fields) -> PlacePhoto:
        locked = Place.objects.select_for_update().get(pk=place.pk)
        if locked.photos.count() >= MAX_PHOTOS:
            raise ValidationError(f"照片：每个载体最多 {MAX_PHOTOS} 张（本平台建议），请先删除不需要的照片。")
        return PlacePhoto.objects.create(place=locked, caption=caption[:100], **fields)

    return attachments.store(PlacePhoto, uploaded_file, what="照片", allowed=PHOTO_TYPES, create=create, user=user)


@transaction.atomic
def remove_photo(photo: PlacePhoto, user) -> None:
    require(user, "support.place_edit", photo.place)
    attachments.discard(photo)


def add_room(place: Place, user, **fields) -> Room:
    require(user, "support.place_edit", place)
    room = Room(place=place, **fields)
    room.full_clean()
    room.save()
    return room


# --- the base's record --------------------------------------------------------------------------------
def base_record(place: Place, today: date | None = None) -> dict:
    """How many the base hatched, how long it took (median days from entry to graduation) and how many of those
    hatched a year ago or more are still active."""
    today = today or timezone.localdate()
    hatched = Organization.objects.filter(incubated_by_id=place.base_id).count() if place.base_id else 0
    graduated = list(place.intakes.filter(state=IntakeState.GRADUATED, graduated_on__isnull=False)
                     .values_list("started_on", "applied_on", "graduated_on", "organization__status"))
    days = [(g - (s or a)).days for s, a, g, _ in graduated]
    year_ago = today - timedelta(days=365)
    old = [(g, status) for _, _, g, status in graduated if g <= year_ago]
    return {
        "hatched": hatched,
        "graduated": len(graduated),
        "median_days": round(median(days)) if days else None,
        "year_old": len(old),
        "still_active": sum(1 for _, status in old if status in LIVE_STATUSES),
        "incubating": place.intakes.filter(state__in=OPEN_INTAKE_STATES).count(),
    }


# --- targets: county-level bases (seed 000: 1–2 per county) --------------------------------------------
def base_target(province: str | None) -> dict:
    table = getattr(settings, "CSO_SUPPORT_BASE_TARGETS", {}) or {}
    out = {"min": 1, "max": 2, **table.get("", {})}
    out.update(table.get((province or "")[:2], {}))
    return out


def county_targets(user) -> list[dict]:
    """Each county under the account's division with its county-level bases, against the province's target."""
    division = user.division if not user.is_superuser else None
    counties = Division.objects.visible_to(user).filter(level=codes.COUNTY)
    if division is not None and division.level == codes.COUNTY:
        counties = counties.filter(code=division.code)
    counts = dict(Place.objects.visible_to(user).filter(Place.open_q(), kind=PlaceKind.BASE, level=codes.COUNTY)
                  .values_list("division_id").annotate(n=Count("id")).values_list("division_id", "n"))
    rows = []
    for county in counties.order_by("code").only("code", "name"):
        target = base_target(county.code)
        n = counts.get(county.code, 0)
        rows.append({"county": county, "bases": n, "target": target, "missing": n < target["min"],
                     "over": n > target["max"]})
    return rows


# --- incubation -------------------------------------------------------------------------------------------
def _intake_locked(intake: Intake) -> Intake:
    return Intake.objects.select_for_update(of=("self",)).select_related("base", "division").get(pk=intake.pk)


@transaction.atomic
def apply_for_intake(user, data: dict) -> Intake:
    """A group's own account asks to be incubated (the base may be left for the street to choose)."""
    require(user, "support.intake_apply")
    base = data.get("base")
    if base is not None and not Place.objects.visible_to(user).filter(pk=base.pk, kind=PlaceKind.BASE).exists():
        raise ValidationError({"base": "请选择本辖区的孵化基地。"})
    if base is not None and not base.is_open:
        raise ValidationError({"base": f"“{base.name}”已停用，请选择其他孵化基地。"})
    org = data.get("organization")
    if org is not None and not user.links.filter(organization=org).exists():
        raise ValidationError({"organization": "只能为本账号关联的组织申请。"})
    return Intake.objects.create(
        base=base, division=data["division"], organization=org, group_name=data["group_name"],
        contact_name=data["contact_name"], contact_phone=data["contact_phone"],
        planned_category=data.get("planned_category"), planned_track=data["planned_track"],
        member_count=data.get("member_count"), activity=data.get("activity", ""), account=user,
        source=IntakeSource.APPLIED, state=IntakeState.APPLIED, applied_on=timezone.localdate(), created_by=user)


@transaction.atomic
def place_intake(user, data: dict) -> Intake:
    """The street (bureau, operator) places a group into a base: incubating from today."""
    intake = Intake(
        base=data["base"], division=data["division"], organization=data.get("organization"),
        group_name=data["group_name"], contact_name=data["contact_name"], contact_phone=data["contact_phone"],
        planned_category=data.get("planned_category"), planned_track=data["planned_track"],
        member_count=data.get("member_count"), activity=data.get("activity", ""), account=data.get("account"),
        source=IntakeSource.PLACED, state=IntakeState.INCUBATING, applied_on=timezone.localdate(),
        started_on=timezone.localdate(), created_by=user)
    require(user, "support.incubate", intake)
    _check_placement(user, intake.base)
    org = intake.organization
    if org is not None and not Organization.objects.visible_to(user).filter(pk=org.pk).exists():
        raise ValidationError({"organization": "只能安排本辖区的组织入驻。"})
    intake._change_reason = f"{IntakeSource.PLACED.label}：{user}安排入驻{intake.base}"
    intake._history_user = user  # who placed it, also outside a request (the demo, the shell)
    intake.save()
    return intake


def _check_placement(user, base: Place | None) -> None:
    """The base must be one the account may place into: of its scope, or serving it (a street: its county's
    county-level bases) — ``Place.placeable_by`` and the table's ``support.place_into``."""
    if base is None or not Place.placeable_by(user).filter(pk=base.pk).exists():
        raise ValidationError({"base": "请选择本辖区或服务本街道的孵化基地。"})
    require(user, "support.place_into", base)


@transaction.atomic
def decide_intake(intake: Intake, user, accept: bool, base: Place | None = None, reason: str = "") -> Intake:
    """Take an applied group in (into the named base) or decline it with a reason."""
    intake = _intake_locked(intake)
    require(user, "support.incubate", intake)
    if intake.state != IntakeState.APPLIED:
        raise ValidationError("该申请已处理。")
    if accept:
        base = base or intake.base
        if base is None:
            raise ValidationError({"base": "请选择入驻的孵化基地。"})
        _check_placement(user, base)
        intake.base, intake.state, intake.started_on = base, IntakeState.INCUBATING, timezone.localdate()
    else:
        if not reason.strip():
            raise ValidationError({"reason": "请写明不安排入驻的理由。"})
        intake.state, intake.ended_on = IntakeState.DECLINED, timezone.localdate()
    intake.reason = reason.strip()[:300]
    intake._change_reason = intake.reason
    intake.save()
    return intake


def _incubating(intake: Intake, user) -> Intake:
    intake = _intake_locked(intake)
    require(user, "support.incubate", intake)
    if intake.state not in (IntakeState.INCUBATING, IntakeState.GRADUATING):
        raise ValidationError("只有孵化中的组织可以记录计划和服务。")
    return intake


@transaction.atomic
def add_milestone(intake: Intake, user, title: str, due_on: date) -> Milestone:
    intake = _incubating(intake, user)
    return Milestone.objects.create(intake=intake, title=title, due_on=due_on)


@transaction.atomic
def complete_milestone(milestone: Milestone, user, done_on: date | None = None) -> Milestone:
    _incubating(milestone.intake, user)
    milestone.done_on, milestone.done_by = done_on or timezone.localdate(), user
    milestone.save()
    return milestone


@transaction.atomic
def record_service(intake: Intake, user, **fields) -> ServiceRecord:
    intake = _incubating(intake, user)
    record = ServiceRecord(intake=intake, recorded_by=user, **fields)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def withdraw(intake: Intake, user, reason: str) -> Intake:
    intake = _incubating(intake, user)
    if not reason.strip():
        raise ValidationError({"reason": "请写明退出孵化的原因。"})
    intake.state, intake.ended_on, intake.reason = IntakeState.WITHDRAWN, timezone.localdate(), reason.strip()[:300]
    intake._change_reason = intake.reason
    intake.save()
    return intake


GRADUATION_KINDS = {"filed": "filing", "registered": "registration"}


def graduation_payload(intake: Intake) -> dict:
    """The 备案 / 成立登记 form's answers taken from the intake (the applicant completes the rest)."""
    category = intake.planned_category.code if intake.planned_category_id else ""
    data = {"division": intake.division_id, "name": intake.group_name, "leader_name": intake.contact_name,
            "leader_phone": intake.contact_phone, "member_count": intake.member_count or "",
            "activity": intake.activity}
    if intake.planned_track == "filed":
        data.update(org_type="activity_team", category=category, place=intake.base.address if intake.base else "")
    else:
        data.update(org_type="social_group", categories=[category] if category else [])
    return {k: v for k, v in data.items() if v not in ("", None)}


@transaction.atomic
def start_graduation(intake: Intake, user):
    """出壳: the group's account starts its 备案 or 成立登记 application in the engine, prefilled from the intake.
    When the body approves it, ``receivers.graduation_decided`` records the organization's origin."""
    from cso.applications import services as engine

    intake = _intake_locked(intake)
    require(user, "support.graduate", intake)
    if intake.state != IntakeState.INCUBATING or intake.base_id is None:
        raise ValidationError("只有孵化中的团队可以办理出壳。")
    if intake.organization_id:
        raise ValidationError("该组织已登记或备案，出壳时由工作人员结束孵化即可。")
    application = engine.save_draft(user, GRADUATION_KINDS[intake.planned_track], graduation_payload(intake),
                                    token=f"intake-{intake.pk}")
    intake.application, intake.state = application, IntakeState.GRADUATING
    intake._change_reason = f"出壳：申请 {application}"
    intake.save()
    return application


@transaction.atomic
def finish_existing(intake: Intake, user) -> Intake:
    """出壳 of an organization already in the registry: incubation ends; the registry records the base as its origin
    where the account may change the organization (else the registering body does so later)."""
    from cso.orgs import services as registry

    intake = _incubating(intake, user)
    if intake.organization_id is None:
        raise ValidationError("尚未成立的团队须通过备案或登记申请出壳。")
    org = intake.organization
    if org.incubated_by_id is None and can(user, "orgs.change", org):
        registry.update_organization(org, {"incubated_by": intake.base.base_id}, user,
                                     reason=f"经{intake.base}孵化出壳")
    intake.state, intake.graduated_on = IntakeState.GRADUATED, timezone.localdate()
    intake.save()
    return intake


def graduated(application, actor) -> Intake | None:
    """The engine approved (or refused) an intake's graduation application: record the outcome."""
    from cso.applications.models import Application
    from cso.orgs import services as registry

    with transaction.atomic():
        intake = Intake.objects.select_for_update(of=("self",)).filter(application=application).first()
        if intake is None or intake.state != IntakeState.GRADUATING:
            return None
        application = Application.objects.select_related("organization").get(pk=application.pk)
        if application.state not in ("approved", "rejected"):
            return None
        if application.state == "rejected":
            intake.state = IntakeState.INCUBATING
            intake._change_reason = f"出壳申请 {application} 未获批准"
            intake.save()
            return intake
        org = application.organization
        intake.state, intake.graduated_on, intake.organization = IntakeState.GRADUATED, timezone.localdate(), org
        intake._change_reason = f"出壳申请 {application} 已批准"
        intake.save()
        base_id = intake.base.base_id
        if org is not None and org.incubated_by_id is None and base_id:
            registry.update_organization(org, {"incubated_by": base_id}, actor,
                                         reason=f"经{intake.base}孵化出壳（依据申请 {application}）")
    return intake


def record_pending_graduations() -> list[Intake]:
    """Record the outcome of every graduation whose application was decided but whose intake still says 出壳办理中 —
    the receiver of the engine's signal failed (it only logs, so as not to undo the engine's committed move).
    ``graduated`` is idempotent: run it again safely (``manage.py record_graduations``, daily by cron)."""
    from cso.applications.models import Application

    pending = Intake.objects.filter(state=IntakeState.GRADUATING, application__state__in=("approved", "rejected"))
    done = []
    for application in Application.objects.filter(pk__in=pending.values("application_id")).order_by("pk"):
        decision = (application.events.filter(verb__in=("approve", "reject")).select_related("actor")
                    .order_by("-pk").first())
        intake = graduated(application, decision.actor if decision else None)
        if intake is not None:
            done.append(intake)
    return done


# --- venue sharing ---------------------------------------------------------------------------------------------
def _overlapping(room_id: int, day: date, start, end, exclude: int | None = None):
    qs = Booking.objects.filter(room_id=room_id, date=day, state__in=ACTIVE_BOOKING_STATES, start__lt=end,
                                end__gt=start)
    return qs.exclude(pk=exclude) if exclude else qs


def book(user, room: Room, organization: Organization, day: date, start, end, purpose: str) -> Booking:
    """Book a room for a time. The room's row is locked and the overlap checked again inside the transaction,
    so two requests for one time cannot both succeed."""
    if end <= start:
        raise ValidationError({"end": "结束时间须晚于开始时间。"})
    if day < timezone.localdate():
        raise ValidationError({"date": "不能预约已经过去的日期。"})
    if not user.links.filter(organization=organization).exists() and not user.is_superuser:
        raise ValidationError({"organization": "只能为本账号关联的组织预约。"})
    with transaction.atomic():
        room = Room.objects.select_for_update().select_related("place").get(pk=room.pk)
        booking = Booking(room=room, division_id=room.place.division_id, organization=organization, booked_by=user,
                          date=day, start=start, end=end, purpose=purpose.strip()[:200])
        require(user, "support.book", booking)
        if not room.bookable:
            raise ValidationError("该活动室暂不接受预约。")
        if room.place.closed_on is not None and room.place.closed_on <= day:
            raise ValidationError(f"“{room.place.name}”已于{room.place.closed_on:%Y-%m-%d}停用，不能预约。")
        if (room.opens_at and start < room.opens_at) or (room.closes_at and end > room.closes_at):
            raise ValidationError(f"请在开放时间内预约（{room.opens_at:%H:%M}–{room.closes_at:%H:%M}）。")
        clash = _overlapping(room.pk, day, start, end).select_related("organization").first()
        if clash is not None:
            raise ValidationError(f"该时段已被预约（{clash.start:%H:%M}–{clash.end:%H:%M}），请另选时间。")
        booking.save()
    return booking


@transaction.atomic
def cancel_booking(booking: Booking, user, reason: str = "") -> Booking:
    booking = Booking.objects.select_for_update(of=("self",)).select_related("room__place").get(pk=booking.pk)
    require(user, "support.booking_cancel", booking)
    if booking.state != BookingState.BOOKED:
        raise ValidationError("只有尚未使用的预约可以取消。")
    booking.state, booking.closed_by, booking.closed_at = BookingState.CANCELLED, user, timezone.now()
    booking.reason = reason.strip()[:200]
    booking.save()
    return booking


@transaction.atomic
def mark_used(booking: Booking, user, attendance: int | None = None) -> Booking:
    """The place's keeper confirms the room was used: the group's activity is recorded as evidence
    (``supervision.ActivityRecord``, read by the zombie scan)."""
    booking = Booking.objects.select_for_update(of=("self",)).select_related("room__place").get(pk=booking.pk)
    require(user, "support.booking_use", booking)
    if booking.state != BookingState.BOOKED:
        raise ValidationError("只有已预约的场地可以确认使用。")
    if booking.date > timezone.localdate():
        raise ValidationError("活动日期未到，不能确认使用。")
    record = ActivityRecord.objects.create(
        organization=booking.organization, date=booking.date, recorded_by=user,
        what=f"在{booking.room}开展活动：{booking.purpose}"[:300] + (f"（{attendance}人）" if attendance else ""))
    booking.state, booking.closed_by, booking.closed_at = BookingState.USED, user, timezone.now()
    booking.attendance, booking.activity_record = attendance, record
    booking.save()
    return booking


def sharing(place: Place, user):
    """The organizations registered at the place's venue that the account may see (seed 001: several may share)."""
    if not place.venue_id:
        return Organization.objects.none()
    return Organization.objects.visible_to(user).filter(venue_id=place.venue_id).order_by("name")


def support_of(org: Organization, user) -> dict | None:
    """An organization's incubation and bookings, for its page."""
    intakes = list(Intake.objects.visible_to(user).filter(Q(organization=org)).select_related("base")[:10])
    bookings = list(Booking.objects.visible_to(user).filter(organization=org).select_related("room__place")[:10])
    if not intakes and not bookings and not org.incubated_by_id:
        return None
    return {"org": org, "intakes": intakes, "bookings": bookings}
