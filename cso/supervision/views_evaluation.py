"""Pages of grade evaluation (等级评估). So far: the public list of published and standing grades (no login, like
the public credit lists); the organization and bureau pages are still to come."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cso.supervision.models import Evaluation, EvaluationState

PUBLIC_TITLE = "社会组织评估等级公示"


@login_not_required
@require_GET
def public_grades(request):
    qs = (Evaluation.objects.filter(state__in=(EvaluationState.PUBLISHED, EvaluationState.FINAL))
          .select_related("organization").order_by("-published_on", "-pk"))
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(organization__name__icontains=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "supervision/evaluation/public.html", {"page_obj": page, "q": q, "title": PUBLIC_TITLE})
