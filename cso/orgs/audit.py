"""The registry's tab of the audit log: every decision (registration, filing, change, status, correction) on the
organizations of the viewer's subtree — so the divisions above see what was decided below."""

from __future__ import annotations

from django.core.paginator import Paginator

from .models import RegistryDecision

PAGE_SIZE = 50


def build(request):
    qs = RegistryDecision.objects.visible_to(request.user).select_related(
        "organization", "division", "authority_division", "recorded_by")
    kind = request.GET.get("kind")
    if kind in RegistryDecision.Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("-recorded_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return "orgs/includes/audit_decisions.html", {
        "page_obj": page, "decisions": list(page.object_list), "kinds": RegistryDecision.Kind.choices,
        "kind": kind or "",
    }


def register() -> None:
    from cso.accounts import audit

    audit.register("decisions", "登记决定", build)
