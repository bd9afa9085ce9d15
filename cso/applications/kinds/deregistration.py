"""注销 of a registered organization (RULES.md: after its 清算, applied for within 15 days of its end for a 社会团体,
with the supervising unit's consent where one exists). Seed 002 asks for a clear 注销 guide and encourages a
simplified path: where the province allows it (``RegistryRules.simplified_deregistration``), an organization
without remaining assets or debts declares so and hands in fewer materials (简易注销). Approval closes the
organization (status 注销) through the registry's status service."""

from __future__ import annotations

from datetime import date

from cso.applications.forms_existing import DISSOLUTION_BASIS, DeregistrationForm
from cso.orgs import services as registry
from cso.orgs.choices import Status, Track
from cso.orgs.models import Organization, RegistryRules

from .about_org import OrgKind
from .base import STANDARD_STEPS, Material

FULL = (
    Material("application", "注销登记申请书（法定代表人签署）"),
    Material("resolution", "会员（代表）大会或理事会同意注销的决议"),
    Material("supervisor", "业务主管单位同意注销的文件"),
    Material("liquidation", "清算组织出具、经确认的清算报告"),
    Material("certificate", "登记证书正、副本和印章"),
)
SIMPLIFIED = (
    Material("application", "注销登记申请书（法定代表人签署）"),
    Material("resolution", "会员（代表）大会或理事会同意注销的决议"),
    Material("supervisor", "业务主管单位同意注销的文件"),
    Material("pledge", "全体负责人签署的无剩余财产、无债权债务承诺书（本平台建议）"),
    Material("certificate", "登记证书正、副本和印章"),
)

GUIDE = """注销登记指引（种子文件002：制定清晰的注销登记指引）

可以申请注销的情形：完成章程规定的宗旨；会员（代表）大会或理事会决议自行解散；分立、合并；由于其他原因终止。

先清算，后注销：在业务主管单位（如有）和有关机关指导下成立清算组织，完成清算；清算期间不开展清算以外的活动。社会团体应在清算结束之日起15日内申请注销登记（RULES.md）。

有业务主管单位的，须先取得其同意注销的文件；直接登记的组织不需要。

注销登记由原登记管理机关办理；批准后组织在名录中的状态为“注销”，登记证书和印章交回登记管理机关。"""

SIMPLIFIED_GUIDE = ("本省允许简易注销：没有剩余财产、没有未结清的债权债务的组织，勾选“申请简易注销”后，"
                    "不需要提交清算报告，"
                    "改为提交全体负责人签署的承诺书（所需材料见下）。承诺不实的，登记管理机关可依法撤销注销决定（本平台建议）。")


def simplified_allowed(organization) -> bool:
    return bool(organization is not None and RegistryRules.for_division(organization.division_id)
                .simplified_deregistration)


class DeregistrationKind(OrgKind):
    def form_kwargs(self, organization) -> dict:
        return {"organization": organization, "simplified_allowed": simplified_allowed(organization)}

    def initial(self, organization, payload=None) -> dict:
        return dict(payload or {})

    def payload_of(self, cleaned: dict, organization) -> dict:
        done = cleaned.get("liquidation_done_on")
        simplified = bool(cleaned.get("no_assets_debts")) and simplified_allowed(organization)
        return {**self.base_payload(organization), "basis": cleaned.get("basis", ""),
                "basis_label": dict(DISSOLUTION_BASIS).get(cleaned.get("basis"), ""),
                "reason": cleaned.get("reason", "").strip(), "no_assets_debts": bool(cleaned.get("no_assets_debts")),
                "simplified": simplified, "liquidation_done_on": done.isoformat() if done else "",
                "supervising_consent": bool(cleaned.get("supervising_consent")),
                "materials_ready": bool(cleaned.get("materials_ready"))}

    def materials_for(self, organization, payload=None):
        return self.own(organization, SIMPLIFIED if payload and payload.get("simplified") else FULL)

    def alternative_materials(self, organization):
        """On the form page, where the province allows it: the shorter list of 简易注销."""
        return self.own(organization, SIMPLIFIED) if simplified_allowed(organization) else None

    def guide(self, organization) -> str:
        return GUIDE + ("\n\n" + SIMPLIFIED_GUIDE if simplified_allowed(organization) else "")

    def display(self, payload: dict) -> list[tuple[str, str]]:
        path = "简易注销（无剩余财产、无债权债务）" if payload.get("simplified") else "一般注销（清算后）"
        return [("组织", payload.get("org_name", "")), ("注销情形", payload.get("basis_label", "")),
                ("注销原因", payload.get("reason", "")), ("办理方式", path),
                ("清算结束日期", payload.get("liquidation_done_on") or "—")]

    def approve(self, application, user) -> Organization:
        org = application.organization
        registry.change_status(org, Status.DEREGISTERED, date.today(), f"依据申请 {application.number}", user)
        return Organization.objects.get(pk=org.pk)


DEREGISTRATION = DeregistrationKind(
    code="deregistration",
    label="注销登记",
    track=Track.REGISTERED,
    form=DeregistrationForm,
    materials=FULL + tuple(m for m in SIMPLIFIED if m not in FULL),  # the catalogue: both paths' materials
    steps=STANDARD_STEPS,
    tracks=(Track.REGISTERED,),
    other_kind_hint="备案的团队请申请“备案注销”。",
)
