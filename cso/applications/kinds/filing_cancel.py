"""备案注销: a filed group that stops its activities or no longer meets the filing conditions asks its filing body
to cancel the filing (seed 002: 街(镇)定期对已不符合备案条件和不开展活动的群众活动团队进行清理，实现“进出通畅”).
Approval sets the group's status to 注销 through the registry's status service (a filed group is not revoked:
撤销登记 applies to registered organizations only; 清理 is the body's own clean-up, not an application)."""

from __future__ import annotations

from datetime import date

from cso.applications.forms_existing import CANCEL_CAUSES, FilingCancelForm
from cso.orgs import services as registry
from cso.orgs.choices import Status, Track
from cso.orgs.models import Organization

from .about_org import OrgKind
from .base import STANDARD_STEPS, Material


class FilingCancelKind(OrgKind):
    def initial(self, organization, payload=None) -> dict:
        return dict(payload or {})

    def payload_of(self, cleaned: dict, organization) -> dict:
        day = cleaned.get("stopped_on")
        return {**self.base_payload(organization), "cause": cleaned.get("cause", ""),
                "cause_label": dict(CANCEL_CAUSES).get(cleaned.get("cause"), ""),
                "reason": cleaned.get("reason", "").strip(), "stopped_on": day.isoformat() if day else ""}

    def guide(self, organization) -> str:
        return ("团队停止活动，或不再符合备案条件（如成员不足、没有固定的活动时间和地点）的，"
                "可以向备案机关申请注销备案。"
                "备案机关批准后，团队在名录中的状态为“注销”。\n\n"
                "备案机关也会定期清理已不符合备案条件、不开展活动的团队（种子文件002）。")

    def display(self, payload: dict) -> list[tuple[str, str]]:
        return [("团队", payload.get("org_name", "")), ("注销备案的情形", payload.get("cause_label", "")),
                ("原因说明", payload.get("reason", "")), ("停止活动日期", payload.get("stopped_on") or "—")]

    def approve(self, application, user) -> Organization:
        org = application.organization
        registry.change_status(org, Status.DEREGISTERED, date.today(), f"依据申请 {application.number}", user)
        return Organization.objects.get(pk=org.pk)


FILING_CANCEL = FilingCancelKind(
    code="filing_cancel",
    label="备案注销",
    track=Track.FILED,
    form=FilingCancelForm,
    materials=(Material("application", "注销备案申请（负责人签名）", required=False),),
    steps=STANDARD_STEPS,
    tracks=(Track.FILED,),
    other_kind_hint="登记的组织请申请“注销登记”。",
)
