"""变更: an organization asks to change registered (filed) facts — name, first leader, address, business scope,
categories, member count, supervising unit. RULES.md: changes are approved by the same authority that
registered it (the filing body for a filed group). The payload keeps only what differs (old → new); approval
writes exactly those fields in one transaction, with the history reason "依据申请 <number>"."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from cso.applications.forms_existing import ChangeForm
from cso.orgs import services as registry
from cso.orgs.choices import Track
from cso.orgs.models import Category, Organization, federation_min_members

from .about_org import OrgKind
from .base import STANDARD_STEPS, Material
from .filing import filing_min_members

# field -> label of the before/after table (in the form's order)
FIELDS = {
    "name": "名称",
    "leader_name": "负责人",
    "leader_phone": "负责人联系电话",
    "address": "住所（活动地址）",
    "business_scope": "业务范围（活动内容）",
    "categories": "类别",
    "member_count": "成员（会员）数",
    "supervising_unit": "业务主管单位",
}
ORG_FIELDS = ("name", "address", "business_scope", "member_count", "supervising_unit")


def current_facts(org: Organization) -> dict:
    """The organization's facts the change form starts from."""
    leader = org.leaders.order_by("order", "id").first()
    facts = {
        "name": org.name,
        "leader_name": leader.name if leader else "",
        "leader_phone": leader.phone if leader else "",
        "address": org.address or "",
        "business_scope": org.business_scope or "",
        "categories": sorted(org.categories.values_list("code", flat=True)),
        "member_count": org.member_count,
    }
    if org.track == Track.REGISTERED:
        facts["supervising_unit"] = org.supervising_unit or ""
    return facts


def _text(field: str, value) -> str:
    if value in (None, "", []):
        return "（空）"
    if field == "categories":
        names = dict(Category.objects.filter(code__in=value).values_list("code", "name"))
        return "、".join(names.get(code, code) for code in value)
    return str(value)


def _normal(field: str, value):
    if field == "categories":
        return sorted(value or [])
    if field == "member_count":
        return int(value) if value not in (None, "") else None
    return (value or "").strip() if isinstance(value, str) or value is None else value


class ChangeKind(OrgKind):
    def initial(self, organization, payload=None) -> dict:
        values = current_facts(organization)
        for field, change in ((payload or {}).get("changes") or {}).items():
            values[field] = change["new"]
        if payload and payload.get("reason"):
            values["reason"] = payload["reason"]
        return values

    def payload_of(self, cleaned: dict, organization) -> dict:
        before = current_facts(organization)
        changes = {}
        for field in FIELDS:
            if field not in before or field not in cleaned:
                continue
            old, new = _normal(field, before[field]), _normal(field, cleaned[field])
            if old != new:
                changes[field] = {"old": old, "new": new, "label": FIELDS[field],
                                  "old_text": _text(field, old), "new_text": _text(field, new)}
        return {**self.base_payload(organization), "changes": changes, "reason": cleaned.get("reason", "").strip()}

    def guide(self, organization) -> str:
        body = "登记管理机关" if organization.track == Track.REGISTERED else "备案机关"
        return (f"下表已填入名录中的现状，只需修改要变更的事项；提交后只有改动的事项由原{body}审核"
                "（RULES.md：变更由原登记机关核准），批准后写入名录，其余信息不变。")

    def diff(self, payload: dict) -> list[tuple[str, str, str]]:
        return [(c["label"], c["old_text"], c["new_text"]) for c in (payload.get("changes") or {}).values()]

    def display(self, payload: dict) -> list[tuple[str, str]]:
        return [("组织", payload.get("org_name", "")), ("变更原因和依据", payload.get("reason", ""))]

    def check(self, application) -> None:
        super().check(application)
        org = application.organization
        changes = application.payload.get("changes") or {}
        if not changes:
            raise ValidationError("申请的内容与名录中的现状相同，没有需要变更的事项；请修改要变更的内容后再提交。")
        errors = {}
        now = current_facts(org)
        for field, change in changes.items():
            if _normal(field, now.get(field)) != change["old"]:
                errors[field] = (f"名录中的“{change['label']}”已改为“{_text(field, now.get(field))}”，"
                                 "与申请时不同；请重新填写变更内容。")
        new_name = changes.get("name", {}).get("new")
        if new_name:
            problem = self._name_taken(application, org, new_name)
            if problem:
                errors["name"] = problem
        if "member_count" in changes:
            problem = self._members_problem(org, changes["member_count"]["new"])
            if problem:
                errors["member_count"] = problem
        if new_name and not errors.get("name"):
            renamed = Organization(pk=org.pk, name=new_name, track=org.track, division_id=org.division_id)
            try:
                registry.check_federation(renamed)
            except ValidationError as exc:
                errors["name"] = exc.message_dict.get("name", exc.messages)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _name_taken(application, org, name) -> str | None:
        from cso.applications.models import OPEN_STATES, Application

        others = Organization.objects.live().exclude(pk=org.pk).filter(name=name, track=org.track)
        if org.track == Track.REGISTERED:
            others = others.filter(registration_authority_division_id=org.registration_authority_division_id)
            where = "同一登记管理机关下"
        else:
            others = others.filter(division_id=org.division_id)
            where = "本社区"
        clash = others.first()
        if clash is not None:
            return f"{where}已有名为“{name}”的存续组织（{clash.uid}），请换一个名称。"
        pending = (Application.objects.filter(kind="change", state__in=OPEN_STATES, payload__changes__name__new=name,
                                              authority_division_id=application.authority_division_id)
                   .exclude(pk=application.pk).first())
        if pending is not None:
            return f"已有另一件申请（{pending.number}）正在办理改名为“{name}”，请换一个名称。"
        return None

    @staticmethod
    def _members_problem(org, count) -> str | None:
        """The thresholds registration checks, where a change of the member count touches them."""
        if count is None:
            return None
        if org.track == Track.FILED and org.org_type == "activity_team":
            minimum = filing_min_members(org.division_id)
            if minimum and count < minimum:
                return f"本省群众活动团队成员不少于{minimum}人（RULES.md），变更后为{count}人。"
        if org.track == Track.REGISTERED and org.is_street_federation:
            needed = federation_min_members(org.division_id)
            if needed and count < needed:
                return f"街道（乡镇）社区社会组织联合会须有不少于{needed}个会员（本省登记规则），变更后为{count}个。"
        return None

    def approve(self, application, user) -> Organization:
        org = application.organization
        changes = application.payload.get("changes") or {}
        reason = f"依据申请 {application.number}"
        fields = {f: changes[f]["new"] for f in ORG_FIELDS if f in changes}
        if "categories" in changes:
            fields["categories"] = changes["categories"]["new"]
        if fields:
            org = registry.update_organization(org, fields, user, reason=reason)
        if "leader_name" in changes or "leader_phone" in changes:
            registry.change_first_leader(
                org, user, reason=reason,
                name=changes["leader_name"]["new"] if "leader_name" in changes else None,
                phone=changes["leader_phone"]["new"] if "leader_phone" in changes else None)
        return Organization.objects.get(pk=org.pk)


CHANGE = ChangeKind(
    code="change",
    label="变更登记（备案）事项",
    track=Track.REGISTERED,
    form=ChangeForm,
    materials=(Material("application", "变更申请书"),
               Material("resolution", "会员（代表）大会或理事会关于变更的决议"),
               Material("supervisor", "业务主管单位同意变更的文件")),
    steps=STANDARD_STEPS,
)
