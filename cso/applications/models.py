"""Applications handled online: one engine (this model and its events), many kinds (``kinds.py``).

An application moves draft → submitted → accepted (受理) → approved / rejected; the body may send it back for
补正 (needs_correction) with the missing items, and the applicant resubmits. Each move is an
``ApplicationEvent`` row (who, when, from → to, reason, missing items); nothing is overwritten.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import FSMField, transition

from cso.core.scoping import VIEW, ScopedModel

# Days each step may take before it is overdue (本平台建议; a setting, CSO_APPLICATION_STEP_DAYS, overrides it).
DEFAULT_STEP_DAYS = {"submitted": 5, "accepted": 15, "needs_correction": 30}


def step_days() -> dict:
    return {**DEFAULT_STEP_DAYS, **getattr(settings, "CSO_APPLICATION_STEP_DAYS", {})}


class State(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交，待受理"
    ACCEPTED = "accepted", "已受理，审查中"
    NEEDS_CORRECTION = "needs_correction", "待补正"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "不予批准"


VERB_LABELS = {
    "create": "填写草稿",
    "save": "修改草稿",
    "submit": "提交",
    "resubmit": "补正后重新提交",
    "accept": "受理",
    "ask_correction": "要求补正",
    "approve": "批准",
    "reject": "不予批准",
}

OPEN_STATES = (State.SUBMITTED, State.ACCEPTED, State.NEEDS_CORRECTION)
STAFF_STATES = (State.SUBMITTED, State.ACCEPTED)  # the body has the next move


class Application(ScopedModel):
    kind = models.CharField("申请事项", max_length=20)
    number = models.CharField("申请编号", max_length=20, unique=True, null=True, blank=True)
    state = FSMField("办理状态", default=State.DRAFT, choices=State.choices, protected=False)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人账号", on_delete=models.PROTECT,
                                  related_name="applications")
    organization = models.ForeignKey("orgs.Organization", verbose_name="组织", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="applications",
                                     help_text="申请涉及的已有组织；备案批准后为新建的组织")
    division = models.ForeignKey("regions.Division", verbose_name="所在社区（区划）", on_delete=models.PROTECT,
                                 related_name="+")
    authority_division = models.ForeignKey("regions.Division", verbose_name="办理机关所在区划", null=True,
                                           blank=True, on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField("申请内容", default=dict, blank=True)
    client_token = models.CharField(max_length=40, blank=True, default="", editable=False)
    due_on = models.DateField("本步骤办理期限", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    scope_field = "division"

    class Meta:
        verbose_name = "申请"
        verbose_name_plural = "申请"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "client_token"], condition=~Q(client_token=""),
                                    name="applications_one_per_form"),
        ]
        indexes = [
            # The official's to-do list (services.queue): only the open cases, in the list's order, with the
            # state and the community beside them so that counting a body's queue (the paginator) and its first
            # page read this small index alone, however many closed cases the body has decided.
            models.Index(fields=["authority_division", "due_on", "id"], include=["state", "division"],
                         condition=Q(state__in=["submitted", "accepted", "needs_correction"]),
                         name="applications_queue_open"),
        ]

    def __str__(self):
        return self.number or f"草稿{self.pk}"

    @classmethod
    def scope_extra_q(cls, user, action: str) -> Q | None:
        """Staff see the cases of their subtree (not the applicants' drafts); an applicant only its own."""
        if user.is_superuser:
            return Q()
        if getattr(user, "is_staff_role", False):
            return ~Q(state=State.DRAFT) if action == VIEW else None
        return Q(applicant=user)

    def responsibility_facts(self):
        from cso.accounts.responsibilities import Facts

        applicant_id = self.applicant_id
        return Facts(division=self.division_id, authority_division=self.authority_division_id,
                     track=self.kind_spec.track, linked=lambda user: user.pk == applicant_id)

    @property
    def ref(self) -> str:
        """The case's reference in URLs: its number, or ``D<pk>`` for a draft not yet numbered."""
        return self.number or f"D{self.pk}"

    @property
    def kind_spec(self):
        from .kinds import KINDS

        return KINDS[self.kind]

    @property
    def is_overdue(self) -> bool:
        return self.state in OPEN_STATES and self.due_on is not None and self.due_on < date.today()

    def _due(self, state: str) -> None:
        days = step_days().get(state)
        self.due_on = date.today() + timedelta(days=days) if days else None

    # --- the steps (the service records the event and checks the table) ---
    @transition(field=state, source=[State.DRAFT, State.NEEDS_CORRECTION], target=State.SUBMITTED)
    def submit(self):
        self._due(State.SUBMITTED)

    @transition(field=state, source=State.SUBMITTED, target=State.ACCEPTED)
    def accept(self):
        self._due(State.ACCEPTED)

    @transition(field=state, source=[State.SUBMITTED, State.ACCEPTED], target=State.NEEDS_CORRECTION)
    def ask_correction(self):
        self._due(State.NEEDS_CORRECTION)

    @transition(field=state, source=State.ACCEPTED, target=State.APPROVED)
    def approve(self):
        self.due_on = None

    @transition(field=state, source=[State.SUBMITTED, State.ACCEPTED], target=State.REJECTED)
    def reject(self):
        self.due_on = None


class ApplicationEvent(models.Model):
    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.CASCADE,
                                    related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", null=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    verb = models.CharField("办理事项", max_length=20)
    from_state = models.CharField("原状态", max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=State.choices)
    reason = models.TextField("意见或原因", blank=True)
    missing = models.JSONField("需补正的事项", default=list, blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.application} {self.verb_label}"

    @property
    def verb_label(self):
        return VERB_LABELS.get(self.verb, self.verb)

    @property
    def from_label(self):
        return State(self.from_state).label if self.from_state else "—"

    @property
    def to_label(self):
        return State(self.to_state).label
