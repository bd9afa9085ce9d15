"""Pages of the administrative divisions: browse, detail, search and figures editing.

Every view starts from ``Division.objects.visible_to(user, action)``; a division outside it is a
404, so its existence does not leak.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cso.core.scoping import CHANGE, VIEW, Scope

from . import codes, services
from .filters import DivisionFilter
from .forms import DivisionFiguresForm
from .models import Division
from .tables import ChildrenTable, DivisionSearchTable


def _get_division(request: HttpRequest, code: str, action: str = VIEW) -> Division:
    qs = Division.objects.visible_to(request.user, action).select_related("parent", "successor")
    return get_object_or_404(qs, code=code)


def _breadcrumbs(request, division: Division | None, *, tail: str | None = None) -> list[dict]:
    crumbs: list[dict] = []
    if services.visible_root(request.user) is None:
        crumbs.append({"label": "全国", "url": reverse("regions:browse")})
    for d in services.breadcrumb_divisions(division, request.user):
        crumbs.append({"label": d.name, "url": reverse("regions:detail", args=[d.code])})
    if tail:
        crumbs.append({"label": tail, "url": None})
    return crumbs


def _flag(request, name: str) -> bool:
    return request.GET.get(name, "") in ("1", "true", "on")


def _children_context(request, division: Division | None) -> dict:
    include_abolished = _flag(request, "abolished")
    data = services.children_page(
        division,
        request.user,
        include_abolished=include_abolished,
        page=request.GET.get("page") or 1,
        per_page=settings.CSO_PAGE_SIZE,
    )
    table = ChildrenTable(
        data["rows"],
        lower_levels=data["lower_levels"],
        subtree=data["subtree"],
        children=data["children"],
    )
    return {
        "children_table": table,
        "page_obj": data["page_obj"],
        "subtree": data["subtree"],
        "include_abolished": include_abolished,
        "lower_level_names": [
            {"level": level, "name": codes.LEVEL_SHORT_NAMES[level], "count": data["subtree"]["counts"].get(level, 0)}
            for level in data["lower_levels"]
        ],
    }


def browse(request):
    """Start browsing: one's own division, or the provinces for national accounts."""
    root = services.visible_root(request.user)
    if root is not None:
        return redirect("regions:detail", code=root.code)
    context = {
        "division": None,
        "breadcrumbs": [{"label": "全国", "url": None}],
        "can_change": False,
        **_children_context(request, None),
    }
    return render(request, "regions/detail.html", context)


def detail(request, code):
    division = _get_division(request, code)
    context = {
        "division": division,
        "breadcrumbs": _breadcrumbs(request, division),
        "can_change": request.user.has_perm("regions.edit_figures", division),
        "parent_visible": Scope.for_user(request.user).contains(division.parent_id),
        "successor_visible": bool(division.successor_id and division.successor.is_visible_to(request.user)),
        "history": services.change_history(division),
        "meets_standard": services.meets_facility_standard(division),
        "standard": services.FACILITY_STANDARD_PER_100_HOUSEHOLDS,
    }
    if division.level < codes.COMMUNITY:
        context.update(_children_context(request, division))
    return render(request, "regions/detail.html", context)


def search(request):
    user = request.user
    queryset = Division.objects.visible_to(user)
    filterset = DivisionFilter(request.GET or None, queryset=queryset)
    context = {
        "filter": filterset,
        "breadcrumbs": [*_breadcrumbs(request, services.visible_root(user)), {"label": "区划检索", "url": None}],
        "searched": False,
    }
    if filterset.is_bound and filterset.has_criteria:
        page_obj = _paginate(filterset.qs, request.GET.get("page"))
        services.attach_paths(page_obj.object_list)
        context.update(
            searched=True,
            page_obj=page_obj,
            table=DivisionSearchTable(page_obj.object_list),
        )
    return render(request, "regions/search.html", context)


def _paginate(queryset, page):
    paginator = Paginator(queryset, settings.CSO_PAGE_SIZE)
    page_obj = paginator.get_page(page)
    # Materialise the page once so the table and the path loader share the same objects.
    page_obj.object_list = list(page_obj.object_list)
    return page_obj


@require_http_methods(["GET", "POST"])
def edit(request, code):
    division = _get_division(request, code, CHANGE)
    if not request.user.has_perm("regions.edit_figures", division):  # the responsibilities table, through rules
        raise PermissionDenied("您的账号无权填报该区划的人口、户数和设施面积。")
    if request.method == "POST":
        form = DivisionFiguresForm(request.POST)
        if form.is_valid():
            services.update_figures(
                division,
                request.user,
                population=form.cleaned_data["population"],
                households=form.cleaned_data["households"],
                facility_area=form.cleaned_data["facility_area"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, f"已保存“{division.name}”的人口、户数和设施面积。")
            return redirect("regions:detail", code=division.code)
    else:
        form = DivisionFiguresForm(initial=DivisionFiguresForm.initial_for(division))
    context = {
        "division": division,
        "form": form,
        "breadcrumbs": _breadcrumbs(request, division, tail="填报人口户数"),
    }
    return render(request, "regions/edit.html", context)
