"""The dashboard page of a division and the JSON its charts are drawn from.

The page renders the target cards, the per-child table, the cultivation to-do list and embeds the
gap and composition chart data (``json_script``); the trend, which needs one computation per
quarter, is fetched from its own endpoint so the page itself renders quickly.
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cso.stats import rollups
from cso.stats.views import rollup_pending

from . import services


def _request_context(request):
    division = services.resolve_division(request.user, request.GET.get("division"))
    day, error = services.parse_day(request.GET.get("as_of"))
    return division, day, error


@require_GET
def home(request):
    division, day, error = _request_context(request)
    if error:
        messages.warning(request, error)
    try:
        dashboard = services.build(request.user, division, day)
    except rollups.RollUpPending as pending:  # a national or provincial roll-up is being computed
        return rollup_pending(request, pending, "统计看板")
    context = {
        "dashboard": dashboard,
        "division": division,
        "day": day,
        "breadcrumbs": services.breadcrumbs(request.user, division, day),
        "gaps_payload": services.gaps_payload(dashboard),
        "composition_payload": services.composition_payload(dashboard),
        "code": services.parent_code(division),
    }
    return render(request, "dashboards/home.html", context)


@require_GET
def chart_data(request, chart):
    """The data of one chart kind (the URL names the kind)."""
    division, day, error = _request_context(request)
    if chart == "trend":
        payload = services.trend(request.user, division, day, budget_seconds=services.TREND_BUDGET_SECONDS)
    else:
        try:
            dashboard = services.build(request.user, division, day, with_todo=False)
        except rollups.RollUpPending:
            return JsonResponse({"pending": True, "division": services.parent_code(division)}, status=202)
        payload = services.gaps_payload(dashboard) if chart == "gaps" else services.composition_payload(dashboard)
    payload["division"] = services.parent_code(division)
    payload["as_of"] = day.isoformat()
    if error:
        payload["warning"] = error
    return JsonResponse(payload)
