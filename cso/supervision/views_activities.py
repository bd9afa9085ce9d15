"""The activity records of an organization (活动记录): the list, the form that adds one, and the photo.

Every page starts from ``visible_to(user)`` (outside: 404) and asks the responsibilities table (else 403)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cso.accounts.responsibilities import can, require
from cso.core import attachments
from cso.orgs.models import Organization

from . import activities
from .credit_forms import Styled
from .models.zombie import ActivityPhoto, ActivityRecord


class ActivityForm(Styled, forms.Form):
    date = forms.DateField(label="活动日期", widget=forms.DateInput(attrs={"type": "date"}))
    what = forms.CharField(label="活动名称", max_length=300)
    place = forms.CharField(label="活动地点", max_length=200, required=False)
    participants = forms.IntegerField(label="参加人数", min_value=0, max_value=1_000_000, required=False)
    photo = forms.FileField(label="照片（可选）", required=False,
                            help_text="JPEG、PNG 或 HEIC，按内容核对类型；照片中的拍摄地点等信息会被去除。")

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise ValidationError("活动日期不能晚于今天。")
        return day


def _org(request, uid: str) -> Organization:
    org = get_object_or_404(Organization.objects.visible_to(request.user).select_related("division"), uid=uid)
    require(request.user, "supervision.activity_view", org)
    return org


@require_http_methods(["GET", "POST"])
def org_activities(request, uid):
    org = _org(request, uid)
    may_record = can(request.user, "supervision.activity_record", org) and org.is_live
    form = ActivityForm(request.POST or None, request.FILES or None, initial={"date": timezone.localdate()})
    if request.method == "POST":
        require(request.user, "supervision.activity_record", org)
        if form.is_valid():
            data = form.cleaned_data
            try:
                record = activities.add(org, request.user, on=data["date"], what=data["what"], place=data["place"],
                                        participants=data["participants"], photo=data["photo"],
                                        today=timezone.localdate())
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"已记录活动“{record.what}”（{record.date:%Y-%m-%d}）。")
                return redirect("supervision:org_activities", uid=org.uid)
    records = org.activity_records.select_related("recorded_by", "photo").order_by("-date", "-id")
    return render(request, "supervision/activities/org.html", {
        "org": org, "form": form if may_record else None, "page_obj": Paginator(records, 30).get_page(
            request.GET.get("page")),
        "breadcrumbs": [{"label": org.name, "url": reverse("orgs:detail", args=[org.uid])},
                        {"label": "活动记录", "url": None}],
    })


@require_GET
def activity_photo(request, activity):
    record = get_object_or_404(ActivityRecord.objects.visible_to(request.user).select_related("organization"),
                               pk=activity)
    require(request.user, "supervision.activity_view", record.organization)
    photo = ActivityPhoto.objects.filter(record=record).first()
    if photo is None:
        raise Http404("该活动记录没有照片。")
    return attachments.response(photo, "找不到该照片。")
