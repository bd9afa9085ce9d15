"""The parts of the application pages that serve the kinds about an existing organization: which organization
(``?org=<uid>``, linked to the account, else a 404) and what the form and case pages show of it."""

from __future__ import annotations

from .existing import linked_organization


def about_org(request, kind, application):
    """The organization the case is about (None for the kinds that create one)."""
    if not kind.about_org:
        return None
    if application is not None:
        return application.organization
    return linked_organization(request.user, request.POST.get("org") or request.GET.get("org"))


def org_context(kind, organization, application) -> dict:
    if not kind.about_org:
        return {}
    payload = application.payload if application is not None else None
    guide = kind.guide(organization) if organization is not None else ""
    return {
        "organization": organization,
        "refusal": kind.refuses(organization) if organization is not None and application is None else None,
        "guide_paragraphs": [p for p in guide.split("\n\n") if p.strip()],
        # before a draft exists (the case's own list is the materials section, ``materials.by_material``)
        "kind_materials": kind.materials_for(organization, payload),
        "diff": kind.diff(payload or {}),
        "alternative_materials": (kind.alternative_materials(organization)
                                  if payload is None and hasattr(kind, "alternative_materials") else None),
    }
