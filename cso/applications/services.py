"""The application engine's operations, testable without HTTP: save a draft, submit, and the body's moves.
Each move checks the responsibilities table, goes through the state machine and writes an event row."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_fsm import can_proceed

from cso.accounts.responsibilities import require
from cso.orgs.services import filing_body
from cso.regions.models import Division

from .kinds import KINDS, labels_of
from .models import VERB_LABELS, Application, ApplicationEvent, State
from .signals import application_moved


def _event(application, user, verb, from_state, reason="", missing=None) -> ApplicationEvent:
    event = ApplicationEvent.objects.create(application=application, actor=user, verb=verb, from_state=from_state,
                                            to_state=application.state, reason=reason, missing=missing or [])
    transaction.on_commit(lambda: application_moved.send(sender=Application, application=application, event=event))
    return event


def _payload(kind, cleaned: dict) -> dict:
    data = {k: v for k, v in cleaned.items() if k != "division"}
    return labels_of(data)


@transaction.atomic
def save_draft(user, kind_code: str, cleaned: dict, application: Application | None = None,
               token: str = "") -> Application:
    """Create (or update) the applicant's draft. The same form posted twice (same ``token``) makes one draft."""
    kind = KINDS[kind_code]
    division = Division.objects.get(code=cleaned["division"])
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
    body = filing_body(division)
    application.authority_division = body
    application.payload = _payload(kind, cleaned)
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
    before = application.state
    application.submit()
    application.submitted_at = timezone.now()
    application.save()
    if not application.number:
        application.number = f"SQ{application.submitted_at.year}-{application.pk:06d}"
        application.save(update_fields=["number"])
    _event(application, user, "submit" if before == State.DRAFT else "resubmit", before)
    return application


@transaction.atomic
def act(application: Application, user, verb: str, reason: str = "", missing: list[str] | None = None):
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
        application.organization = kind.approve(application, user)
    application.save()
    _event(application, user, verb, before, reason, missing)
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
    first, then by deadline."""

    from cso.accounts.responsibilities import duties_for

    qs = Application.objects.visible_to(user).filter(state__in=(State.SUBMITTED, State.ACCEPTED))
    if user.is_superuser:
        return qs.order_by(F("due_on").asc(nulls_last=True), "id")
    actions = {"applications.accept", "applications.approve"}
    rows = [d for a in actions for d in duties_for(user, a)]
    if not rows:
        return qs.none()
    from cso.accounts.responsibilities import REGISTERED_HERE

    if not any(d.reach == REGISTERED_HERE for d in rows):
        return qs.none()
    return qs.filter(authority_division_id=user.division_id).order_by(F("due_on").asc(nulls_last=True), "id")
