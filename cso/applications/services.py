"""The application engine's operations, testable without HTTP: save a draft, submit, and the body's moves.
Each move checks the responsibilities table, goes through the state machine and writes an event row."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import can_proceed

from cso.accounts.responsibilities import require
from cso.regions.models import Division

from . import materials
from .existing import tracks_q
from .kinds import KINDS, labels_of
from .models import STAFF_STATES, VERB_LABELS, Application, ApplicationEvent, Stance, State
from .opinion import opinion_required
from .signals import application_moved


def _event(application, user, verb, from_state, reason="", missing=None, stance="") -> ApplicationEvent:
    event = ApplicationEvent.objects.create(application=application, actor=user, verb=verb, from_state=from_state,
                                            to_state=application.state, reason=reason, missing=missing or [],
                                            stance=stance)
    transaction.on_commit(lambda: application_moved.send(sender=Application, application=application, event=event))
    return event


def _payload(kind, cleaned: dict) -> dict:
    data = {k: v for k, v in cleaned.items() if k != "division"}
    return labels_of(data)


@transaction.atomic
def save_draft(user, kind_code: str, cleaned: dict, application: Application | None = None,
               token: str = "", organization=None) -> Application:
    """Create (or update) the applicant's draft. The same form posted twice (same ``token``) makes one draft.
    A kind about an existing ``organization`` is placed at it and decided by its registering (filing) body."""
    kind = KINDS[kind_code]
    if kind.about_org:
        from .existing import place

        organization = organization or (application.organization if application else None)
        division, body = place(user, kind, organization, application)
    else:
        division = Division.objects.get(code=cleaned["division"])
        body = kind.authority_for(division)
    if application is None and token:
        existing = Application.objects.filter(applicant=user, client_token=token).first()
        if existing is not None:
            return existing
    if application is None:
        application = Application(kind=kind.code, applicant=user, client_token=token[:40])
        verb = "create"
    else:
        if application.state not in (State.DRAFT, State.NEEDS_CORRECTION):
            raise ValidationError("申请已提交，不能再修改。")
        verb = "save"
    application.division = division
    application.authority_division = body
    if kind.about_org:
        application.organization = organization
    application.payload = kind.payload_of(cleaned, organization)
    require(user, "applications.apply", application)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # the same form raced itself
        return Application.objects.get(applicant=user, client_token=token)
    if verb == "create":
        _event(application, user, verb, "")
    return application


def _locked(application: Application) -> Application:
    # the application's row only is locked; its community, body and applicant come along (approval uses them)
    return (Application.objects.select_for_update(of=("self",))
            .select_related("division", "authority_division", "applicant").get(pk=application.pk))


@transaction.atomic
def submit(application: Application, user) -> Application:
    application = _locked(application)
    require(user, "applications.apply", application)
    if not can_proceed(application.submit):
        raise ValidationError(f"申请当前为“{application.get_state_display()}”，不能提交。")
    application.kind_spec.check(application)
    materials.require_complete(application)
    before = application.state
    if opinion_required(application.kind, application.division_id) and not application.events.filter(
            verb="opinion").exists():
        application.submit_for_opinion()  # the community (street) gives its opinion first
    else:
        application.submit()
    application.submitted_at = timezone.now()
    application.save()
    if not application.number:
        application.number = f"SQ{application.submitted_at.year}-{application.pk:06d}"
        application.save(update_fields=["number"])
    _event(application, user, "submit" if before == State.DRAFT else "resubmit", before)
    return application


@transaction.atomic
def act(application: Application, user, verb: str, reason: str = "", missing: list[str] | None = None,
        decision: dict | None = None):
    """The body's move ``verb`` (accept / ask_correction / approve / reject)."""
    if verb not in ("accept", "ask_correction", "approve", "reject"):
        raise PermissionDenied("未知的办理事项。")
    application = _locked(application)
    kind = application.kind_spec
    require(user, kind.action_for(verb), application)
    method = getattr(application, verb)
    if not can_proceed(method):
        raise ValidationError(f"申请当前为“{application.get_state_display()}”，不能{VERB_LABELS[verb]}。")
    reason = (reason or "").strip()
    missing = [m.strip() for m in (missing or []) if m.strip()]
    if verb == "ask_correction" and not missing:
        raise ValidationError({"missing": "请写明需要补正的事项（每行一项）。"})
    if verb == "reject" and not reason:
        raise ValidationError({"reason": "请写明不予批准的理由。"})
    before = application.state
    method()
    if verb == "approve":
        application.decision = decision or {}  # what the decider filled in (the kind's decision_fields)
        application.organization = kind.approve(application, user)
    application.save()
    _event(application, user, verb, before, reason, missing)
    return application


@transaction.atomic
def give_opinion(application: Application, user, stance: str, reason: str = "") -> Application:
    """The community's (street's) opinion on a case waiting for it: advisory, the deciding body still decides."""
    application = _locked(application)
    require(user, "applications.opinion", application)
    if not can_proceed(application.opinion):
        raise ValidationError(f"申请当前为“{application.get_state_display()}”，不能提出社区（街道）意见。")
    if stance not in Stance.values:
        raise ValidationError({"stance": "社区（街道）意见：请选择“同意”或“不同意”。"})
    reason = (reason or "").strip()
    if stance == Stance.DISAGREE and not reason:
        raise ValidationError({"reason": "意见说明：不同意时请写明理由。"})
    before = application.state
    application.opinion()
    application.save()
    _event(application, user, "opinion", before, reason, stance=stance)
    return application


def moves_for(user, application: Application) -> list[str]:
    """The body's moves the table and the state allow this account (for buttons)."""
    from cso.accounts.responsibilities import can

    out = []
    for verb in ("accept", "ask_correction", "approve", "reject"):
        if can_proceed(getattr(application, verb)) and can(user, application.kind_spec.action_for(verb), application):
            out.append(verb)
    return out


def queue(user):
    """The official's to-do list: open cases of its subtree whose next move this account may make, overdue
    first, then by deadline — the deciding body's cases of the tracks its rows decide (a street files groups, a
    county's registrar registers), and the cases waiting for this street's or community's opinion."""

    from cso.accounts.responsibilities import OWN_DIVISION, REGISTERED_HERE, SUBTREE, duties_for

    order = (F("due_on").asc(nulls_last=True), "id")
    qs = Application.objects.visible_to(user)
    if user.is_superuser:
        return qs.filter(state__in=(*STAFF_STATES, State.COMMUNITY_OPINION)).order_by(*order)
    where = Q(pk__in=[])
    for duty in (*duties_for(user, "applications.accept"), *duties_for(user, "applications.approve")):
        if duty.reach == REGISTERED_HERE:
            where |= Q(state__in=STAFF_STATES, authority_division_id=user.division_id) & tracks_q({duty.track})
    for duty in duties_for(user, "applications.opinion"):
        if duty.reach in (SUBTREE, OWN_DIVISION):  # (the subtree is the scope visible_to already applies)
            place = Q(division_id=user.division_id) if duty.reach == OWN_DIVISION else Q()
            where |= Q(state=State.COMMUNITY_OPINION) & tracks_q({duty.track}) & place
    return qs.filter(where).order_by(*order)
