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
from simple_history.models import HistoricalRecords

from cso.core.attachments import PrivateFile
from cso.core.scoping import VIEW, ScopedModel

# Days each step may take before it is overdue (本平台建议; a setting, CSO_APPLICATION_STEP_DAYS, overrides it).
DEFAULT_STEP_DAYS = {"submitted": 5, "accepted": 15, "needs_correction": 30, "community_opinion": 5}


def step_days() -> dict:
    return {**DEFAULT_STEP_DAYS, **getattr(settings, "CSO_APPLICATION_STEP_DAYS", {})}


class State(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交，待受理"
    ACCEPTED = "accepted", "已受理，审查中"
    NEEDS_CORRECTION = "needs_correction", "待补正"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "不予批准"
    COMMUNITY_OPINION = "community_opinion", "社区意见"


class Stance(models.TextChoices):
    """The community's (street's) opinion before the registering body decides: advisory (seed 001: 双重负责)."""

    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"


VERB_LABELS = {
    "create": "填写草稿",
    "save": "修改草稿",
    "submit": "提交",
    "resubmit": "补正后重新提交",
    "accept": "受理",
    "ask_correction": "要求补正",
    "approve": "批准",
    "reject": "不予批准",
    "opinion": "社区（街道）意见",
}

OPEN_STATES = (State.SUBMITTED, State.ACCEPTED, State.NEEDS_CORRECTION, State.COMMUNITY_OPINION)
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
    overdue_flagged_on = models.DateField("逾期提醒日期", null=True, blank=True, editable=False,
                                          help_text="本步骤逾期后由每日扫描提醒的日期；进入下一步骤时清空")

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
                         condition=Q(state__in=[str(s) for s in OPEN_STATES]), name="applications_queue_open"),
            # the daily overdue scan: open steps not yet flagged, by deadline
            models.Index(fields=["due_on"], name="applications_overdue_scan",
                         condition=Q(overdue_flagged_on__isnull=True, state__in=[str(s) for s in OPEN_STATES])),
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
                     track=self.kind_spec.track_of(self), linked=lambda user: user.pk == applicant_id)

    @property
    def title(self) -> str:
        """What the case is about, for lists and the case page (the kind says)."""
        return self.kind_spec.title(self)

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
        self.overdue_flagged_on = None  # a new step: its own deadline, its own reminder
        days = step_days().get(state)
        self.due_on = date.today() + timedelta(days=days) if days else None

    # --- the steps (the service records the event and checks the table) ---
    @transition(field=state, source=[State.DRAFT, State.NEEDS_CORRECTION], target=State.SUBMITTED)
    def submit(self):
        self._due(State.SUBMITTED)

    @transition(field=state, source=[State.DRAFT, State.NEEDS_CORRECTION], target=State.COMMUNITY_OPINION)
    def submit_for_opinion(self):
        self._due(State.COMMUNITY_OPINION)

    @transition(field=state, source=State.COMMUNITY_OPINION, target=State.SUBMITTED)
    def opinion(self):
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
    stance = models.CharField("社区（街道）意见", max_length=10, choices=Stance.choices, blank=True, default="")

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


class OverdueScan(models.Model):
    """One run of the daily overdue scan (``cso.applications.overdue``): one row per day, so a second run the
    same day does nothing."""

    day = models.DateField("扫描日期", unique=True)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    flagged = models.PositiveIntegerField("本次提醒的逾期申请数", default=0)

    class Meta:
        verbose_name = "逾期扫描"
        verbose_name_plural = "逾期扫描"
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day} 逾期扫描"


class Attachment(PrivateFile):
    """A file uploaded as one of the materials a kind declares. The file lives outside the web root
    (``cso.core.privatefiles``, area ``attachments``) under ``stored_name``, a random name; it is served only
    by the case's download view to those the responsibilities table lets see the case's materials."""

    AREA = "attachments"

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.CASCADE,
                                    related_name="attachments")
    material = models.CharField("材料", max_length=40)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["material", "id"]

    def responsibility_facts(self):
        return self.application.responsibility_facts()


class Guide(models.Model):
    """办事指南 of one kind of application, as a province writes it; a row without a province is the national text.
    Where no row exists the platform's text (``cso.applications.guides_default``) is shown. Plain text with a few
    marks (``cso.applications.guides.render``), never HTML."""

    kind = models.CharField("申请事项", max_length=20)
    province = models.ForeignKey("regions.Division", verbose_name="省级区划", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+",
                                 help_text="空为全国默认文本")
    conditions = models.TextField("办理条件", blank=True)
    materials = models.TextField("申请材料", blank=True)
    steps = models.TextField("办理流程", blank=True)
    time_limits = models.TextField("办理时限", blank=True)
    basis = models.TextField("办理依据", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "办事指南"
        verbose_name_plural = "办事指南"
        ordering = ["kind", "province_id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "province"], name="applications_one_guide_per_province"),
            models.UniqueConstraint(fields=["kind"], condition=Q(province__isnull=True),
                                    name="applications_one_national_guide"),
        ]

    def __str__(self):
        return f"{self.kind}办事指南（{self.province_id or '全国'}）"
