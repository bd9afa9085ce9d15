"""What every kind of application declares: its form, its materials, its steps (and which action of the
responsibilities table acts at each), its checks at submission and what approval writes to the registry.

The engine (models, services, views) knows nothing of a kind beyond this declaration."""

from __future__ import annotations

from dataclasses import dataclass, field

# Which responsibilities-table action acts at each move.
STEP_ACTIONS = {
    "submit": "applications.apply",
    "accept": "applications.accept",
    "ask_correction": "applications.return",
    "approve": "applications.approve",
    "reject": "applications.reject",
}


@dataclass(frozen=True)
class Material:
    code: str
    label: str
    required: bool = True


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


STANDARD_STEPS = (
    Step("submitted", "受理", ("accept", "ask_correction", "reject")),
    Step("accepted", "审查决定", ("approve", "ask_correction", "reject")),
    Step("needs_correction", "申请人补正", ("submit",)),
)
