"""Names already taken: live organizations and applications under way in the same county (the registered
track's duplicate-name check at submission, and the name-check help the form calls while typing)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from cso.core.scoping import subtree_q
from cso.orgs.choices import Track
from cso.orgs.models import Organization
from cso.orgs.search import normalize_term
from cso.regions import codes

REGISTERED_KINDS = ("preparation", "registration")


def name_forms(name: str | None) -> list[str]:
    """The name as typed (stripped) and in its search normal form (cso.orgs.search.normalize_term)."""
    raw = (name or "").strip()
    return sorted({raw, normalize_term(raw)} - {""})


def county_of(division):
    """The county (区、县) a street or community lies in (itself for a county)."""
    if division is None:
        return None
    if division.level == codes.COUNTY:
        return division
    return next((d for d in division.ancestors() if d.level == codes.COUNTY), None)


def live_clashes(name: str, county_code: str):
    """Live organizations with this name registered by the county's body, or sitting in the county."""
    names = name_forms(name)
    if not names or not county_code:
        return Organization.objects.none()
    prefix = county_code[: codes.PREFIX_LENGTH[codes.COUNTY]]
    where = (Q(track=Track.REGISTERED, registration_authority_division_id=county_code)
             | subtree_q("division_id", prefix))
    return Organization.objects.live().filter(where, name__in=names)


def similar_live(name: str, county_code: str, limit: int = 10) -> list[Organization]:
    """For the help while typing: exact or normalised matches first, then live names containing the typed one."""
    names = name_forms(name)
    if not names or not county_code:
        return []
    exact = list(live_clashes(name, county_code).select_related("division")[:limit])
    found = {o.pk for o in exact}
    core = normalize_term(name)
    more = []
    if len(core) >= 2:
        prefix = county_code[: codes.PREFIX_LENGTH[codes.COUNTY]]
        more = list(Organization.objects.live().filter(subtree_q("division_id", prefix), name__contains=core)
                    .exclude(pk__in=found).select_related("division").order_by("name")[: max(0, limit - len(exact))])
    return exact + more


def open_clashes(name: str, county_code: str, *, exclude_pk=None, applicant_id=None):
    """Applications of the registered track under way (or a 筹备 approved) with this name in the same county.
    The applicant's own 筹备 of the name is not a clash for its registration."""
    from .models import OPEN_STATES, Application, State

    names = name_forms(name)
    states = [*OPEN_STATES, "community_opinion", State.APPROVED]
    qs = Application.objects.filter(kind__in=REGISTERED_KINDS, authority_division_id=county_code,
                                    state__in=states, payload__name__in=names)
    # an approved registration made an organization (found by live_clashes); an approved 筹备 reserves the name
    qs = qs.exclude(kind="registration", state=State.APPROVED)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if applicant_id:
        qs = qs.exclude(applicant_id=applicant_id, kind="preparation")
    return qs


def holding(applications, today: date | None = None) -> list:
    """Those of ``open_clashes`` that still hold the name: an approved 筹备 only until its term ends."""
    today = (today or date.today()).isoformat()
    return [a for a in applications
            if not (a.kind == "preparation" and a.state == "approved" and (a.payload.get("valid_until") or "") < today)]
