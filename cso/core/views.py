from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from . import lookups
from .navigation import panels_for


def home(request):
    """The home page: the account's place and role, and the panels the apps registered for it."""
    return render(request, "core/home.html", {"division": request.user.division, "panels": panels_for(request)})


@never_cache
def lookup(request):
    """Matches for a search-as-you-type field: ``?source=<registered lookup>&q=<term>`` → JSON.

    Each source starts from ``visible_to(request.user)``: nothing outside the user's subtree is named.
    """
    source = lookups.get(request.GET.get("source", ""))
    if source is None:
        raise Http404("没有这个检索来源。")
    params = {key: value for key, value in request.GET.items() if key not in ("source", "q")}
    return JsonResponse({"results": source.results(request.user, request.GET.get("q", ""), params)})


@login_not_required
@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request, status, title, message):
    return render(
        request, "errors/error.html", {"status": status, "title": title, "message": message},
        status=status,
    )


@login_not_required
def bad_request(request, exception=None):
    return _error(request, 400, "请求有误", "提交的内容无法识别，请返回上一页检查后重试。")


@login_not_required
def permission_denied(request, exception=None):
    return _error(request, 403, "无权访问", "您的账号无权查看或办理此项内容。如确需办理，请联系上级管理员。")


@login_not_required
def page_not_found(request, exception=None):
    return _error(
        request, 404, "页面不存在",
        "您访问的页面不存在，或不在您账号所属区划的范围内。请检查地址，或从导航重新进入。",
    )


@login_not_required
def server_error(request):
    # Minimal context: the template must render even when the database is down.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
