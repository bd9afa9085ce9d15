"""What the engine does for the kinds about an existing organization (变更, 注销, 备案注销): find the organization the
applicant may apply for, place the case at it (decided by its registering or filing body), and keep one open case
of these kinds per organization."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404

from cso.orgs.choices import Track
from cso.orgs.models import AccountLink, Organization
from cso.orgs.services import filing_body

from .models import OPEN_STATES, Application


def is_linked(user, organization) -> bool:
    """The account is the organization's own (负责人 or 联络员, set by staff or by an approved filing)."""
    return AccountLink.objects.filter(user=user, organization=organization,
                                      role__in=AccountLink.LinkRole.values).exists()


def linked_organization(user, uid: str | None) -> Organization:
    """The organization ``uid`` linked to this account; any other (or none) is a 404."""
    org = Organization.objects.filter(uid=uid or "").select_related("division").first() if uid else None
    if org is None or not is_linked(user, org):
        raise Http404("找不到该组织，或您的账号未关联该组织。")
    return org


def authority_of(organization) -> object:
    """The division of the body that decides: the registering body (registered), the filing body (filed)."""
    if organization.registration_authority_division_id:
        return organization.registration_authority_division
    if organization.track == Track.FILED:
        return filing_body(organization.division)
    return None


def kinds_about_org() -> list[str]:
    from .kinds import KINDS

    return [code for code, kind in KINDS.items() if kind.about_org]


def tracks_q(tracks: set) -> Q:
    """The cases whose deciding track is one of ``tracks`` (None among them: every case), for the queue."""
    from .kinds import KINDS

    if None in tracks:
        return Q()
    fixed = [code for code, kind in KINDS.items() if not kind.about_org and kind.track in tracks]
    return Q(kind__in=fixed) | Q(kind__in=kinds_about_org(), organization__track__in=tracks)


def open_case(organization, exclude=None) -> Application | None:
    """The open (submitted, accepted or awaiting 补正) case of these kinds about the organization, if any."""
    qs = Application.objects.filter(organization=organization, kind__in=kinds_about_org(), state__in=OPEN_STATES)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("id").first()


def refuse_second(organization, application=None) -> None:
    other = open_case(organization, exclude=application)
    if other is not None:
        raise ValidationError(
            f"该组织已有一件正在办理的“{other.kind_spec.label}”申请（{other.number}，{other.get_state_display()}），"
            "请等它办结后再提出新的申请。")


def place(user, kind, organization, application=None):
    """(division, authority division) of a case about ``organization``, after the checks every such kind shares."""
    if organization is None:
        raise ValidationError("请从组织页面进入，选择要申请的组织。")
    if not is_linked(user, organization):
        raise Http404("找不到该组织，或您的账号未关联该组织。")
    if application is not None and application.organization_id not in (None, organization.pk):
        raise ValidationError("申请涉及的组织不能更改。")
    problem = kind.refuses(organization)
    if problem:
        raise ValidationError(problem)
    if application is None:
        refuse_second(organization)
    return organization.division, authority_of(organization)


def check_common(application) -> None:
    """At submission: still linked, the organization still live, no other open case."""
    org = Organization.objects.select_for_update().get(pk=application.organization_id)
    if not is_linked(application.applicant, org):
        raise ValidationError("您的账号已不再关联该组织，不能提交。")
    problem = application.kind_spec.refuses(org)
    if problem:
        raise ValidationError(problem)
    refuse_second(org, application)
