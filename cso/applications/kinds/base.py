"""What every kind of application declares: its form, its materials, its steps (and which action of the
responsibilities table acts at each), its checks at submission and what approval writes to the registry.

The engine (models, services, views) knows nothing of a kind beyond this declaration."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# Which responsibilities-table action acts at each move.
STEP_ACTIONS = {
    "submit": "applications.apply",
    "accept": "applications.accept",
    "ask_correction": "applications.return",
    "approve": "applications.approve",
    "reject": "applications.reject",
}


DOCUMENT_TYPES = ("pdf", "jpeg", "png", "heic")  # what a scanned or photographed paper may be


@dataclass(frozen=True)
class Material:
    code: str
    label: str
    required: bool = True
    types: tuple[str, ...] = DOCUMENT_TYPES  # codes of cso.core.filetypes.TYPES accepted for it
    camera: bool = False  # offer the phone's camera (capture="environment") on the upload form

    @property
    def accept(self) -> str:
        """The ``accept`` attribute of the file input."""
        parts = []
        if {"jpeg", "png", "heic"} & set(self.types):
            parts.append("image/*")
        if "pdf" in self.types:
            parts.append("application/pdf")
        parts += [f".{code}" for code in ("xlsx", "docx") if code in self.types]
        return ",".join(parts)

    @property
    def types_label(self) -> str:
        """What may be uploaded, in Chinese (“JPEG 图片、PNG 图片、PDF 文件……”)."""
        from cso.core.filetypes import TYPES

        return "、".join(TYPES[code].label for code in self.types)


def consent_as_named(materials: tuple[Material, ...], payload: dict | None) -> tuple[Material, ...]:
    """The supervising unit's consent (``supervisor_consent``) of a 筹备 / 成立登记: required once the answers name a
    supervising unit, not asked when they name none (直接登记); before a draft exists, listed as it is declared."""
    if payload is None:
        return materials
    named = bool((payload.get("supervising_unit") or "").strip())
    return tuple(replace(m, required=True) if m.code == "supervisor_consent" else m
                 for m in materials if m.code != "supervisor_consent" or named)


@dataclass(frozen=True)
class Step:
    state: str  # the state in which the step waits
    label: str
    verbs: tuple[str, ...]  # the moves available at this step


@dataclass
class Kind:
    code: str
    label: str
    track: str  # the responsibilities track of the organizations concerned
    form: type
    materials: tuple[Material, ...] = ()
    steps: tuple[Step, ...] = ()
    summary_fields: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    description: str = ""  # one line on the 新申请 choice page
    decision_fields: tuple[tuple[str, str], ...] = ()  # (name, label) the decider fills in when approving

    def action_for(self, verb: str) -> str:
        return STEP_ACTIONS[verb]

    def material(self, code: str) -> Material | None:
        return next((m for m in self.materials if m.code == code), None)

    def materials_of(self, application) -> tuple[Material, ...]:
        """The materials asked in this case: ``materials_for`` read with the case's organization and answers.
        ``materials`` is the kind's whole catalogue; this is the one place a case's list comes from (the upload
        page, the case page and the check at submission all read it)."""
        organization = application.organization if application.organization_id else None
        return self.materials_for(organization, application.payload)

    def required_materials(self, application) -> tuple[Material, ...]:
        """The materials a submission must carry: those asked in this case that are declared required."""
        return tuple(m for m in self.materials_of(application) if m.required)

    def check(self, application) -> None:  # pragma: no cover - overridden
        """Refuse a submission (ValidationError) whose content does not meet the rules."""

    def approve(self, application, user):  # pragma: no cover - overridden
        raise NotImplementedError

    def authority_for(self, division):
        """The division whose body decides (files / registers) an application placed at ``division``."""
        from cso.orgs.services import filing_body

        return filing_body(division)

    def display(self, payload: dict) -> list[tuple[str, str]]:
        return [(label, payload.get(key, "")) for key, label in self.summary_fields]

    # --- hooks of the kinds about an existing organization (变更, 注销 …); no-ops for the others ---
    about_org = False  # the application concerns an existing organization (``?org=<uid>``)

    def track_of(self, application) -> str:
        """The responsibilities track the deciding rows are read for."""
        return self.track

    def form_kwargs(self, organization) -> dict:
        """Extra keyword arguments of the form (the organization concerned)."""
        return {}

    def initial(self, organization, payload: dict | None = None) -> dict:
        """The form's starting values: the organization's current facts (and a draft's answers)."""
        return dict(payload or {})

    def payload_of(self, cleaned: dict, organization) -> dict:
        """What the application stores from the form's cleaned data."""
        from . import labels_of

        return labels_of({k: v for k, v in cleaned.items() if k != "division"})

    def title(self, application) -> str:
        return application.payload.get("name") or ""

    def diff(self, payload: dict) -> list[tuple[str, str, str]]:
        """(label, before, after) rows the case page shows as a before/after table."""
        return []

    def materials_for(self, organization, payload: dict | None = None) -> tuple[Material, ...]:
        """The materials asked for this organization and these answers (a simplified path may ask fewer); each
        one of ``materials``. ``payload`` is None on the form page before a draft exists."""
        return self.materials

    def guide(self, organization) -> str:
        """A guide shown above the form (HTML-escaped paragraphs separated by blank lines)."""
        return ""


STANDARD_STEPS = (
    Step("submitted", "受理", ("accept", "ask_correction", "reject")),
    Step("accepted", "审查决定", ("approve", "ask_correction", "reject")),
    Step("needs_correction", "申请人补正", ("submit",)),
)
