"""监管看板: the supervision dashboard of a division (``dashboard.build``), with a division picker inside the
account's subtree; every figure links to its list."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cso.accounts.responsibilities import require

from . import dashboard


@require_GET
def home(request):
    require(request.user, "supervision.dashboard")
    division = dashboard.resolve_division(request.user, request.GET.get("division"))
    today = timezone.localdate()
    panels = dashboard.build(request.user, division, today)
    annual = panels[0]
    chart = {"labels": [f["label"] for f in annual.figures[1:4]], "values": [f["value"] for f in annual.figures[1:4]]}
    return render(request, "supervision/dashboard/home.html", {
        "division": division, "panels": panels, "today": today, "chart": chart,
        "not_started": dashboard.NOT_STARTED, "children": dashboard.children(request.user, division),
        "breadcrumbs": dashboard.breadcrumbs(request.user, division)})
