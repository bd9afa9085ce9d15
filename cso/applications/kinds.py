"""The kinds of application: each declares its form, its materials, its steps (and which action of the
responsibilities table acts at each), its checks at submission and what approval writes to the registry.

The engine (models, services, views) knows nothing of a kind beyond this declaration; later kinds (成立登记,
变更, 注销, 备案注销) are added here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError

from cso.orgs import services as registry
from cso.orgs.choices import Track
from cso.orgs.models import AccountLink, Organization

from .forms import PARTY_REPORTED, FilingForm

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

    def action_for(self, verb: str) -> str:
        return STEP_ACTIONS[verb]

    def check(self, application) -> None:  # pragma: no cover - overridden
        """Refuse a submission (ValidationError) whose content does not meet the rules."""

    def approve(self, application, user):  # pragma: no cover - overridden
        raise NotImplementedError

    def display(self, payload: dict) -> list[tuple[str, str]]:
        return [(label, payload.get(key, "")) for key, label in self.summary_fields]


STANDARD_STEPS = (
    Step("submitted", "受理", ("accept", "ask_correction", "reject")),
    Step("accepted", "审查决定", ("approve", "ask_correction", "reject")),
    Step("needs_correction", "申请人补正", ("submit",)),
)


def filing_min_members(division_code: str) -> int | None:
    """The province's minimum of members for a 群众活动团队 (RULES.md: Shanghai ≥ 10), a setting; off by default."""
    table = getattr(settings, "CSO_FILING_MIN_MEMBERS", {})
    return table.get(division_code[:2])


class FilingKind(Kind):
    def check(self, application) -> None:
        data = application.payload
        errors = {}
        name = (data.get("name") or "").strip()
        if Organization.objects.filter(division_id=application.division_id, name=name).live().exists():
            errors["name"] = f"本社区已有名为“{name}”的组织，请换一个名称。"
        else:
            from .models import OPEN_STATES, Application

            clash = Application.objects.filter(kind=self.code, division_id=application.division_id,
                                               state__in=OPEN_STATES, payload__name=name).exclude(pk=application.pk)
            if clash.exists():
                errors["name"] = f"本社区已有名为“{name}”的备案申请正在办理，请换一个名称。"
        minimum = filing_min_members(application.division_id)
        if minimum and data.get("org_type") == "activity_team" and int(data.get("member_count") or 0) < minimum:
            errors["member_count"] = (f"本省群众活动团队成员不少于{minimum}人（RULES.md），"
                                      f"当前为{data.get('member_count')}人。")
        if errors:
            raise ValidationError(errors)

    def approve(self, application, user) -> Organization:
        data = application.payload
        reason = f"依据申请 {application.number}"
        org = registry.create_organization({
            "name": data["name"].strip(),
            "track": Track.FILED,
            "org_type": data["org_type"],
            "division": application.division_id,
            "registration_authority_division": application.authority_division_id,
            "filed_on": date.today(),
            "member_count": int(data["member_count"]),
            "business_scope": data.get("activity", ""),
            "address": data.get("place", ""),
            "contact_name": data.get("leader_name", ""),
            "contact_phone": data.get("leader_phone", ""),
            "categories": [data["category"]] if data.get("category") else [],
            "leaders": [{"name": data["leader_name"], "phone": data.get("leader_phone", "")}],
            "reason": reason,
        }, user)
        registry.link_applicant(org, application.applicant, AccountLink.LinkRole.HEAD, user, reason)
        return org


FILING = FilingKind(
    code="filing",
    label="社区社会组织备案（群众活动团队、社区活动小组）",
    track=Track.FILED,
    form=FilingForm,
    materials=(Material("roster", "成员名册", required=False),),  # uploads come later: listed, not yet asked
    steps=STANDARD_STEPS,
    summary_fields=(("name", "团队名称"), ("org_type_label", "类型"), ("leader_name", "负责人"),
                    ("leader_phone", "负责人电话"), ("member_count", "成员人数"), ("activity", "活动内容"),
                    ("schedule", "活动时间"), ("place", "活动地点"), ("category_label", "类别"),
                    ("party_reported_label", "党员到社区报到情况")),
)

KINDS: dict[str, Kind] = {FILING.code: FILING}


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

