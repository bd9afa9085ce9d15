"""The account's own notifications: the list (unread first), opening one (marks it read and goes to its case),
marking read, and the delivery preferences. Another account's notification is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cso.accounts.responsibilities import require

from . import services
from .forms import PreferenceForm
from .models import Notification, preference_of

PAGE_SIZE = 20


def _own(request, pk: int) -> Notification:
    notification = Notification.objects.filter(pk=pk, recipient=request.user).first()
    if notification is None:
        raise Http404("找不到该通知。")
    require(request.user, "notices.view", notification)
    return notification


def _list(request, form=None, status=200):
    require(request.user, "notices.view")
    qs = Notification.objects.filter(recipient=request.user).annotate(
        unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()),
    ).order_by("-unread", "-created_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    if form is None:
        form = PreferenceForm(instance=preference_of(request.user))
    return render(request, "notices/list.html", {
        "page_obj": page, "form": form, "has_phone": bool(request.user.phone), "has_email": bool(request.user.email),
    }, status=status)


@require_GET
def notification_list(request):
    return _list(request)


@require_http_methods(["POST"])
def preferences(request):
    require(request.user, "notices.view")
    form = PreferenceForm(request.POST, instance=preference_of(request.user))
    if not form.is_valid():
        return _list(request, form, status=400)
    form.save()
    messages.success(request, "通知设置已保存。")
    return redirect("notices:list")


@require_GET
def open_notification(request, notification):
    item = _own(request, notification)
    services.mark_read(request.user, item)
    if item.link.startswith("/") and not item.link.startswith("//"):
        return redirect(item.link)
    return redirect("notices:list")


@require_POST
def mark_read(request, notification):
    item = _own(request, notification)
    services.mark_read(request.user, item)
    return redirect("notices:list")


@require_POST
def mark_all_read(request):
    require(request.user, "notices.view")
    count = services.mark_all_read(request.user)
    messages.success(request, f"已将 {count} 条通知标为已读。" if count else "没有未读的通知。")
    return redirect("notices:list")
