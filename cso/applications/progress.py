"""The public progress lookup (no sign-in): a case number and the applicant's phone (the phone written in the
application, or the applicant account's mobile) show the kind of application, its state and the current
step's deadline — nothing else (no names, no content). "No such case" and "wrong phone" get the same answer,
and each client address may look up ``CSO_PROGRESS_LOOKUPS_PER_HOUR`` times an hour (counted in the cache)."""

from __future__ import annotations

import re

from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .models import OPEN_STATES, Application

NOT_FOUND = "没有找到与该申请编号和手机号码相符的申请，请核对后重试。"
TOO_MANY = "查询次数过多，请一小时后再试。"
WINDOW = 3600


class ProgressForm(forms.Form):
    number = forms.CharField(label="申请编号", max_length=20, help_text="提交申请后得到的编号，如 SQ2026-000001",
                             widget=forms.TextInput(attrs={"class": "form-control form-control-lg",
                                                           "autocomplete": "off"}))
    phone = forms.CharField(label="手机号码", max_length=30, help_text="申请中填写的负责人电话，或申请账号的手机号码",
                            widget=forms.TextInput(attrs={"class": "form-control form-control-lg",
                                                          "inputmode": "tel", "autocomplete": "tel"}))


def _digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def limit() -> int:
    return int(getattr(settings, "CSO_PROGRESS_LOOKUPS_PER_HOUR", 20))


def _spend(request) -> bool:
    """Count one lookup for the client's address; False once its hour's lookups are spent."""
    key = f"progress-lookups:{get_client_ip_address(request) or 'unknown'}"
    cache.add(key, 0, WINDOW)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        used = 1
    return used <= limit()


def find(number: str, phone: str) -> Application | None:
    """The numbered case whose applicant's phone is ``phone``; None for no case or another phone alike."""
    given = _digits(phone)
    application = (Application.objects.filter(number=number.strip().upper()).exclude(state="draft")
                   .select_related("applicant").first())
    if application is None or len(given) < 7:
        return None
    known = {_digits(application.payload.get("leader_phone", "")), _digits(application.applicant.phone)} - {""}
    return application if given in known else None


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    result, error, status = None, "", 200
    form = ProgressForm(request.POST or None)
    if request.method == "POST":
        if not _spend(request):
            error, status = TOO_MANY, 429
        elif form.is_valid():
            application = find(form.cleaned_data["number"], form.cleaned_data["phone"])
            if application is None:
                error = NOT_FOUND
            else:
                result = {
                    "kind": application.kind_spec.label,
                    "state": application.get_state_display(),
                    "due_on": application.due_on if application.state in OPEN_STATES else None,
                    "overdue": application.is_overdue,
                }
    return render(request, "applications/progress.html", {"form": form, "result": result, "error": error},
                  status=status)
