"""Pages of cultivation's support side: support places (载体) with photos and rooms, the county-level base targets,
incubation intakes, and room bookings. Every page starts from the account's scope (``visible_to``: outside is a
404) and asks the responsibilities table (else 403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cso.accounts.responsibilities import can, permitted, require
from cso.core import attachments, exporting
from cso.core.scoping import CHANGE
from cso.orgs.choices import BaseLevel
from cso.regions.models import Division

from . import exports, services
from .choices import OFFERS, BookingState, IntakeState, PlaceKind
from .forms import (
    BookingForm,
    IntakeApplyForm,
    IntakePlaceForm,
    MilestoneForm,
    PhotoForm,
    PlaceForm,
    RoomForm,
    ServiceForm,
)
from .models import Booking, Intake, Milestone, Place, PlacePhoto, Room

PAGE_SIZE = 30


def _errors(request, exc: ValidationError, form=None) -> None:
    """A refusal shown where it belongs: beside the field it names, at the top of the form, or as a message."""
    if form is not None and hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
        return
    if form is not None:
        form.add_error(None, exc.messages)
        return
    for msg in exc.messages:
        messages.error(request, msg)


# --- places ---------------------------------------------------------------------------------------------
@require_GET
def place_list(request):
    require(request.user, "support.place_view")
    qs = exports.places(request.user, request.GET)
    fmt = request.GET.get("format", "")
    if fmt in exports.FORMATS:
        require(request.user, "support.place_export")
        return exporting.now_or_submit(qs, lambda: exports.response(qs, fmt),
                                       lambda: exports.submit(request.user, request.GET, fmt, request.path))
    division = request.user.division
    children = Division.objects.visible_to(request.user).filter(parent=division).order_by("code") if division else []
    return render(request, "support/place_list.html", {
        "page_obj": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")), "kinds": PlaceKind.choices,
        "levels": BaseLevel.choices, "offers": OFFERS, "children": children, "get": request.GET,
        "may": permitted(request.user, ("support.place_export", "support.targets")),
        "may_add": can(request.user, "support.place_edit")
        and (request.user.is_superuser or request.user.is_staff_role),
    })


def _place(request, pk, action="view"):
    places = Place.objects.visible_to(request.user, action)
    if action == "view":  # a street also reads the bases serving it from above (read-only: it places groups there)
        places = Place.objects.filter(Q(pk__in=places.values("pk")) |
                                      Q(pk__in=Place.placeable_by(request.user).values("pk")))
    return get_object_or_404(places.select_related("division", "operator", "base", "venue"), pk=pk)


@require_GET
def place_detail(request, place_id):
    place = _place(request, place_id)
    require(request.user, "support.place_view", place)
    may_edit = can(request.user, "support.place_edit", place) and place.is_visible_to(request.user, CHANGE)
    rooms = list(place.rooms.all())
    upcoming = (Booking.objects.visible_to(request.user).filter(room__place=place, date__gte=timezone.localdate())
                .exclude(state=BookingState.CANCELLED).select_related("room", "organization").order_by("date", "start"))
    intakes = (Intake.objects.visible_to(request.user).filter(base=place).select_related("organization")
               .order_by("-applied_on", "-id")[:50]) if place.kind == PlaceKind.BASE else []
    return render(request, "support/place_detail.html", {
        "place": place, "photos": place.photos.all(), "rooms": rooms, "upcoming": upcoming[:50],
        "sharing": services.sharing(place, request.user)[:100], "intakes": intakes,
        "record": services.base_record(place) if place.kind == PlaceKind.BASE else None,
        "may_edit": may_edit, "photo_form": PhotoForm(), "room_form": RoomForm(),
        "may_book": can(request.user, "support.book"),
    })


@require_http_methods(["GET", "POST"])
def place_edit(request, place_id=None):
    pk = place_id
    place = _place(request, pk, CHANGE) if pk else Place()
    if pk:
        require(request.user, "support.place_edit", place)
    else:
        require(request.user, "support.place_edit")
        if not (request.user.is_superuser or getattr(request.user, "is_staff_role", False)):
            raise PermissionDenied("运营方只能维护本基地，不能登记新的载体。")
    form = PlaceForm(request.POST or None, instance=place, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            place = services.save_place(request.user, form.save(commit=False), is_new=not pk)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, f"已保存“{place.name}”。")
            return redirect("support:place", place.pk)
    return render(request, "support/place_form.html", {"form": form, "place": place if pk else None})


@require_POST
def photo_add(request, place_id):
    place = _place(request, place_id, CHANGE)
    require(request.user, "support.place_edit", place)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_photo(place, request.user, form.cleaned_data["photo"], form.cleaned_data["caption"])
            messages.success(request, "照片已上传。")
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, "请选择照片文件。")
    return redirect("support:place", place.pk)


@require_POST
def photo_remove(request, place_id, photo):
    place = _place(request, place_id, CHANGE)
    require(request.user, "support.place_edit", place)
    services.remove_photo(get_object_or_404(PlacePhoto, pk=photo, place=place), request.user)
    messages.success(request, "照片已删除。")
    return redirect("support:place", place.pk)


@require_GET
def photo(request, place_id, photo):
    place = _place(request, place_id)
    require(request.user, "support.place_view", place)
    return attachments.response(get_object_or_404(PlacePhoto, pk=photo, place=place), "找不到该照片。")


@require_POST
def room_add(request, place_id):
    place = _place(request, place_id, CHANGE)
    require(request.user, "support.place_edit", place)
    form = RoomForm(request.POST)
    if form.is_valid():
        try:
            services.add_room(place, request.user, **form.cleaned_data)
            messages.success(request, "活动室已添加。")
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, "请填写活动室名称，开放时间格式为 时:分。")
    return redirect("support:place", place.pk)


@require_GET
def targets(request):
    require(request.user, "support.targets")
    rows = services.county_targets(request.user)
    return render(request, "support/targets.html", {
        "rows": rows, "missing": sum(1 for r in rows if r["missing"]), "total": len(rows)})


# --- incubation ------------------------------------------------------------------------------------------
@require_GET
def intake_list(request):
    require(request.user, "support.intake_view")
    qs = Intake.objects.visible_to(request.user).select_related("base", "division", "organization")
    state = request.GET.get("state", "")
    if state in IntakeState.values:
        qs = qs.filter(state=state)
    if request.GET.get("base", "").isdigit():
        qs = qs.filter(base_id=int(request.GET["base"]))
    return render(request, "support/intake_list.html", {
        "page_obj": Paginator(qs.order_by("-applied_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page")),
        "states": IntakeState.choices, "state": state,
        "may": permitted(request.user, ("support.intake_apply", "support.incubate")),
    })


@require_http_methods(["GET", "POST"])
def intake_apply(request):
    require(request.user, "support.intake_apply")
    form = IntakeApplyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            intake = services.apply_for_intake(request.user, form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, "入驻申请已提交，街道或孵化基地将与您联系。")
            return redirect("support:intake", intake.pk)
    return render(request, "support/intake_form.html", {"form": form, "title": "申请入驻孵化基地"})


@require_http_methods(["GET", "POST"])
def intake_place(request):
    require(request.user, "support.incubate")
    require(request.user, "support.place_into")
    posted = request.POST.get("base", "")
    if posted.isdigit() and not Place.placeable_by(request.user).filter(pk=int(posted)).exists():
        raise Http404("没有该孵化基地。")  # a base outside what the account may place into is not named
    form = IntakePlaceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "account": form.cleaned_data.get("account_username")}
        try:
            intake = services.place_intake(request.user, data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, f"已安排“{intake.group_name}”入驻{intake.base}。")
            return redirect("support:intake", intake.pk)
    return render(request, "support/intake_form.html", {"form": form, "title": "安排团队入驻孵化基地"})


def _intake(request, pk):
    return get_object_or_404(Intake.objects.visible_to(request.user).select_related(
        "base", "division", "organization", "application", "planned_category"), pk=pk)


@require_GET
def intake_detail(request, intake_id):
    intake = _intake(request, intake_id)
    require(request.user, "support.intake_view", intake)
    may = permitted(request.user, ("support.incubate", "support.graduate"), intake)
    bases = Place.placeable_by(request.user).order_by("level", "name")
    base_visible = intake.base_id is not None and (intake.base.is_visible_to(request.user) or bases.filter(
        pk=intake.base_id).exists())
    return render(request, "support/intake_detail.html", {
        "intake": intake, "milestones": intake.milestones.all(), "services": intake.services.all(),
        "may": may, "bases": bases, "base_visible": base_visible, "milestone_form": MilestoneForm(),
        "service_form": ServiceForm(),
        "history": intake.history.select_related("history_user").order_by("-history_date")[:20],
    })


def _intake_post(action):
    """A POST on an intake: found in scope (else 404), checked (else 403), done by ``action(request, intake)``."""

    def view(request, intake_id, **kwargs):
        intake = _intake(request, intake_id)
        try:
            result = action(request, intake, **kwargs)
        except ValidationError as exc:
            _errors(request, exc)
            result = None
        return result or redirect("support:intake", intake.pk)

    return require_POST(view)


def _decide(request, intake):
    require(request.user, "support.incubate", intake)
    base = None
    if request.POST.get("base", "").isdigit():
        base = Place.placeable_by(request.user).filter(pk=int(request.POST["base"])).first()
    accept = request.POST.get("decision") == "accept"
    services.decide_intake(intake, request.user, accept, base, request.POST.get("reason", ""))
    messages.success(request, "已安排入驻。" if accept else "已记录不安排入驻的理由。")


def _milestone_add(request, intake):
    require(request.user, "support.incubate", intake)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        raise ValidationError("请填写节点和计划完成日期。")
    services.add_milestone(intake, request.user, form.cleaned_data["title"], form.cleaned_data["due_on"])
    messages.success(request, "已添加孵化计划节点。")


def _milestone_done(request, intake, milestone):
    require(request.user, "support.incubate", intake)
    services.complete_milestone(get_object_or_404(Milestone, pk=milestone, intake=intake), request.user)
    messages.success(request, "节点已完成。")


def _service_add(request, intake):
    require(request.user, "support.incubate", intake)
    form = ServiceForm(request.POST)
    if not form.is_valid():
        raise ValidationError("请填写服务类别、日期和内容。")
    services.record_service(intake, request.user, **form.cleaned_data)
    messages.success(request, "已记录服务。")


def _withdraw(request, intake):
    require(request.user, "support.incubate", intake)
    services.withdraw(intake, request.user, request.POST.get("reason", ""))
    messages.success(request, "已结束孵化（退出）。")


def _finish(request, intake):
    require(request.user, "support.incubate", intake)
    services.finish_existing(intake, request.user)
    messages.success(request, "已出壳。")


def _graduate(request, intake):
    require(request.user, "support.graduate", intake)
    application = services.start_graduation(intake, request.user)
    messages.success(request, "已按孵化记录生成出壳申请草稿，请补充后提交。")
    return redirect("applications:edit", application.ref)


intake_decide = _intake_post(_decide)
milestone_add = _intake_post(_milestone_add)
milestone_done = _intake_post(_milestone_done)
service_add = _intake_post(_service_add)
intake_withdraw = _intake_post(_withdraw)
intake_finish = _intake_post(_finish)
intake_graduate = _intake_post(_graduate)


# --- bookings ---------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def room_book(request, room):
    require(request.user, "support.book")
    places = Place.objects.visible_to(request.user)
    room = get_object_or_404(Room.objects.filter(place__in=places).select_related("place"), pk=room)
    form = BookingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.book(request.user, room, data["organization"], data["date"], data["start"],
                                    data["end"], data["purpose"])
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, f"已预约 {booking}。")
            return redirect("support:bookings")
    taken = room.bookings.filter(date__gte=timezone.localdate(), state=BookingState.BOOKED).order_by(
        "date", "start")[:30]
    return render(request, "support/book.html", {"form": form, "room": room, "taken": taken})


@require_GET
def booking_list(request):
    if not (can(request.user, "support.book") or can(request.user, "support.booking_use")
            or can(request.user, "support.booking_cancel")):
        require(request.user, "support.book")
    qs = Booking.objects.visible_to(request.user).select_related("room__place", "organization")
    if request.GET.get("state") in BookingState.values:
        qs = qs.filter(state=request.GET["state"])
    return render(request, "support/booking_list.html", {
        "page_obj": Paginator(qs.order_by("-date", "-start", "-id"), PAGE_SIZE).get_page(request.GET.get("page")),
        "states": BookingState.choices, "today": timezone.localdate(),
        "may": permitted(request.user, ("support.booking_cancel", "support.booking_use")),
    })


def _booking(request, pk):
    return get_object_or_404(Booking.objects.visible_to(request.user).select_related("room__place"), pk=pk)


@require_POST
def booking_cancel(request, booking_id):
    booking = _booking(request, booking_id)
    require(request.user, "support.booking_cancel", booking)
    try:
        services.cancel_booking(booking, request.user, request.POST.get("reason", ""))
        messages.success(request, "预约已取消。")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("support:bookings")


@require_POST
def booking_use(request, booking_id):
    booking = _booking(request, booking_id)
    require(request.user, "support.booking_use", booking)
    attendance = request.POST.get("attendance", "")
    try:
        services.mark_used(booking, request.user, int(attendance) if attendance.isdigit() else None)
        messages.success(request, "已确认使用，并记为该组织的活动记录。")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("support:bookings")
