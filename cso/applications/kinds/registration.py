"""成立登记: a 社会团体, 社会服务机构 or 基金会 registers with the registering body of its county (seed 000: the
county's 行政审批服务管理局 where it registers — the per-county ``Authority.registers`` setting; seed 001: 向所在地县级
社会组织登记管理机关申请登记). Checks at submission follow the province's registry rules (``RegistryRules``);
approval writes the organization to the registry through ``cso.orgs.services``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from cso.applications.forms_registration import DIRECT_CLASSES, RegistrationForm, validate_credit_code_for
from cso.applications.names import county_of, holding, live_clashes, open_clashes
from cso.orgs import services as registry
from cso.orgs import validators
from cso.orgs.choices import LeaderRole, OrgType, Track
from cso.orgs.models import AccountLink, Organization, federation_min_members, min_registered_capital

from .base import STANDARD_STEPS, Kind, Material, consent_as_named


def registering_body(county):
    """The county's registering body: the active body of the county that registers (``Authority.registers``,
    e.g. the 行政审批服务管理局 of seed 000), else its civil-affairs bureau."""
    from cso.regions.authorities import civil_affairs_body
    from cso.regions.models import Authority

    found = Authority.objects.active().filter(division=county, registers=True).order_by("order", "pk").first()
    return found or civil_affairs_body(county)


def _number(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def name_problem(application) -> str | None:
    """Why the application's name is taken in its county, or None."""
    name = (application.payload.get("name") or "").strip()
    county = application.authority_division_id
    clash = live_clashes(name, county).first()
    if clash is not None:
        return f"名称：本县（区）已有名为“{clash.name}”的存续组织（{clash.uid}），请换一个名称。"
    for other in holding(open_clashes(name, county, exclude_pk=application.pk,
                                      applicant_id=application.applicant_id)):  # (an expired 筹备 no longer does)
        return f"名称：本县（区）已有名为“{name}”的申请（{other.number}）正在办理，请换一个名称。"
    return None


def preparation_valid(preparation, today: date | None = None) -> bool:
    until = preparation.payload.get("valid_until")
    return bool(until) and date.fromisoformat(until) >= (today or date.today())


def preparation_problem(application) -> str | None:
    """A 社会团体's registration names an approved, unexpired, unused 筹备 of the same applicant and name."""
    from cso.applications.models import OPEN_STATES, Application, State

    number = (application.payload.get("preparation_number") or "").strip().upper()
    if not number:
        return "社会团体须先经筹备批准，请填写已批准的筹备申请编号。"
    prep = Application.objects.filter(kind="preparation", number=number).first()
    if prep is None or prep.applicant_id != application.applicant_id:
        return f"筹备批准的申请编号：找不到本账号的筹备申请“{number}”。"
    if prep.state != State.APPROVED:
        return f"筹备批准的申请编号：筹备申请 {number} 尚未批准（{prep.get_state_display()}）。"
    if (prep.payload.get("name") or "").strip() != (application.payload.get("name") or "").strip():
        return (f"筹备批准的申请编号：筹备申请 {number} 批准筹备的名称为“{prep.payload.get('name')}”，"
                "与本申请的名称不同。")
    if not preparation_valid(prep):
        return (f"筹备批准的申请编号：筹备申请 {number} 的筹备期已于{prep.payload.get('valid_until')}届满，"
                "请重新申请筹备。")
    used = Application.objects.filter(kind="registration", payload__preparation_number=number,
                                      state__in=[*OPEN_STATES, "community_opinion", State.APPROVED]
                                      ).exclude(pk=application.pk)
    if used.exists():
        return f"筹备批准的申请编号：筹备申请 {number} 已用于另一成立登记申请（{used.first().number}）。"
    return None


class RegistrationKind(Kind):
    def materials_for(self, organization, payload=None):
        return consent_as_named(self.materials, payload)

    def authority_for(self, division):
        return county_of(division)

    def check(self, application) -> None:
        data = application.payload
        errors: dict[str, str] = {}
        org_type = data.get("org_type")
        problem = name_problem(application)
        if problem:
            errors["name"] = problem
        if org_type != OrgType.FOUNDATION:  # the registry rules exclude foundations (seed 001: 不含基金会)
            floor = min_registered_capital(application.division_id)
            capital = _number(data.get("registered_capital"))
            if capital is None:
                errors["registered_capital"] = "注册资金（元）：请填写注册资金。"
            elif floor is not None and capital < floor:
                errors["registered_capital"] = (
                    f"注册资金（元）：不得低于{floor.normalize():f}元（本省登记规则，基金会除外），"
                    f"申请中为{capital.normalize():f}元。")
        # the registry's own test of a 街道（乡镇）联合会 (Organization.is_street_federation) and the province's minimum
        probe = Organization(name=(data.get("name") or "").strip(), division_id=application.division_id,
                             track=Track.REGISTERED, org_type=org_type)
        if probe.is_street_federation:
            needed = federation_min_members(application.division_id)
            members = int(data.get("member_count") or 0)
            if needed and members < needed:
                errors["member_count"] = (
                    f"会员数：街道（乡镇）社区社会组织联合会的会员不得少于{needed}个（本省登记规则，"
                    f"种子文件001），申请中填写的为{members}个。")
        if data.get("credit_code"):
            try:
                code = validate_credit_code_for(data["credit_code"], org_type)
            except ValidationError as exc:
                errors.update({k: v[0] for k, v in exc.message_dict.items()})
            else:
                clash = Organization.objects.live().filter(credit_code=code).first()
                if clash is not None:
                    errors["credit_code"] = f"统一社会信用代码：{code}已被存续组织“{clash.name}”使用。"
        if data.get("registration_class") not in DIRECT_CLASSES and not (data.get("supervising_unit") or "").strip():
            errors["supervising_unit"] = "业务主管单位：非直接登记类别须填写业务主管单位（并取得其同意）。"
        if org_type == OrgType.SOCIAL_GROUP:
            problem = preparation_problem(application)
            if problem:
                errors["preparation_number"] = problem
        if errors:
            raise ValidationError(errors)

    def approve(self, application, user) -> Organization:
        data = application.payload
        decision = getattr(application, "decision", None) or {}
        org_type = data["org_type"]
        code = validators.normalize_credit_code(decision.get("credit_code") or data.get("credit_code"))
        if not code:
            raise ValidationError({"credit_code": "统一社会信用代码：批准登记时请填写赋予该组织的统一社会信用代码。"})
        code = validate_credit_code_for(code, org_type)
        if org_type == OrgType.SOCIAL_GROUP:  # still unused and unexpired on the day of the decision
            problem = preparation_problem(application)
            if problem:
                raise ValidationError({"preparation_number": problem})
        body = registering_body(application.authority_division)
        reason = f"依据申请 {application.number}"
        today = date.today()
        members = data.get("member_count")
        org = registry.create_organization({
            "name": data["name"].strip(),
            "track": Track.REGISTERED,
            "org_type": org_type,
            "credit_code": code,
            "division": application.division_id,
            "registration_authority": body,
            "registered_on": today,
            "founded_on": today,
            "registered_capital": _number(data.get("registered_capital")),
            "member_count": int(members) if members not in (None, "") else None,
            "supervising_unit": data.get("supervising_unit", ""),
            "business_scope": data.get("business_scope", ""),
            "address": data.get("residence", ""),
            "contact_name": data.get("leader_name", ""),
            "contact_phone": data.get("leader_phone", ""),
            "categories": list(data.get("categories") or []),
            "leaders": [{"name": data["leader_name"], "phone": data.get("leader_phone", ""),
                         "id_number": data.get("leader_id_number", ""), "role": LeaderRole.LEGAL_REPRESENTATIVE}],
            # a 联合会's member records come later (hubs): the rule is met by the declared member count
            "declared_members": int(members or 0),
            "reason": reason,
        }, user)
        registry.link_applicant(org, application.applicant, AccountLink.LinkRole.HEAD, user, reason)
        return org


REGISTRATION = RegistrationKind(
    code="registration",
    label="社区社会组织成立登记（社会团体、社会服务机构、基金会）",
    description="符合登记条件的社区社会组织向所在县（区）登记管理机关申请成立登记；社会团体须先经筹备批准。",
    track=Track.REGISTERED,
    form=RegistrationForm,
    materials=(Material("charter", "章程"), Material("residence_proof", "住所（场所）使用证明"),
               Material("capital_proof", "注册资金证明"), Material("supervisor_consent", "业务主管单位同意文件",
                                                                    required=False)),
    steps=STANDARD_STEPS,
    decision_fields=(("credit_code", "统一社会信用代码（批准登记时赋予）"),),
    summary_fields=(("name", "拟定名称"), ("org_type_label", "组织类型"), ("registration_class_label", "登记方式"),
                    ("supervising_unit", "业务主管单位"), ("categories_label", "活动类别"), ("residence", "住所"),
                    ("business_scope", "业务范围"), ("leader_name", "法定代表人（负责人）"),
                    ("leader_phone", "联系电话"), ("member_count", "会员数"), ("registered_capital", "注册资金（元）"),
                    ("preparation_number", "筹备批准的申请编号"), ("credit_code", "统一社会信用代码")),
)
