"""The kinds of application, one module each; ``KINDS`` is the registry the engine reads.

A new kind is a module here declaring a ``Kind`` (see ``base``) and one line below."""

from __future__ import annotations

from cso.applications.forms import PARTY_REPORTED

from .base import STANDARD_STEPS, STEP_ACTIONS, Kind, Material, Step
from .filing import FILING
from .preparation import PREPARATION
from .registration import REGISTRATION

KINDS: dict[str, Kind] = {kind.code: kind for kind in (FILING, PREPARATION, REGISTRATION)}
from .existing_kinds import EXISTING_KINDS  # noqa: E402  (kinds about an existing organization)

KINDS.update({kind.code: kind for kind in EXISTING_KINDS})

__all__ = ["KINDS", "STANDARD_STEPS", "STEP_ACTIONS", "Kind", "Material", "Step", "labels_of"]


def labels_of(payload: dict) -> dict:
    """Human labels kept next to codes in the payload, for display."""
    from cso.orgs.choices import OrgType
    from cso.orgs.models import Category

    out = dict(payload)
    if payload.get("org_type"):
        out["org_type_label"] = OrgType(payload["org_type"]).label
    if payload.get("category"):
        out["category_label"] = Category.objects.filter(code=payload["category"]).values_list(
            "name", flat=True).first() or payload["category"]
    out["party_reported_label"] = dict(PARTY_REPORTED).get(payload.get("party_reported"), "")
    return out

