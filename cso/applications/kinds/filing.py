"""备案: a 群众活动团队 or 社区活动小组 files with its street (seed 002: mobile filing; seed 003: the filing
check includes whether the group's party members report to their community)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError

from cso.applications.forms import FilingForm
from cso.orgs import services as registry
from cso.orgs.choices import Track
from cso.orgs.models import AccountLink, Organization

from .base import DOCUMENT_TYPES, STANDARD_STEPS, Kind, Material


def filing_min_members(division_code: str) -> int | None:
    """The province's minimum of members for a 群众活动团队 (RULES.md: Shanghai ≥ 10), a setting; off by default."""
    table = getattr(settings, "CSO_FILING_MIN_MEMBERS", {})
    return table.get(division_code[:2])


def roster_required(division_code: str) -> bool:
    """Whether the province asks for a member roster with a 备案 (a setting: True, or 2-digit province codes)."""
    setting = getattr(settings, "CSO_FILING_ROSTER_REQUIRED", False)
    if isinstance(setting, bool):
        return setting
    return division_code[:2] in set(setting or ())


class FilingKind(Kind):
    def check(self, application) -> None:
        data = application.payload
        errors = {}
        name = (data.get("name") or "").strip()
        if Organization.objects.filter(division_id=application.division_id, name=name).live().exists():
            errors["name"] = f"本社区已有名为“{name}”的组织，请换一个名称。"
        else:
            from cso.applications.models import OPEN_STATES, Application

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

    def required_materials(self, application) -> tuple[Material, ...]:
        """The roster is optional unless the province asks for it (``CSO_FILING_ROSTER_REQUIRED``)."""
        required = list(super().required_materials(application))
        if roster_required(application.division_id):
            required += [m for m in self.materials if m.code == "roster" and m not in required]
        return tuple(required)

    def approve(self, application, user) -> Organization:
        data = application.payload
        reason = f"依据申请 {application.number}"
        org = registry.create_organization({
            "name": data["name"].strip(),
            "track": Track.FILED,
            "org_type": data["org_type"],
            "division": application.division,  # loaded with the application (services._locked)
            "registration_authority_division": application.authority_division,
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
    description="未达到登记条件的群众活动团队、社区活动小组向街道（或县级民政局）网上备案。",
    track=Track.FILED,
    form=FilingForm,
    # The roster: a photo of the paper list, a scan or the spreadsheet; required where the province says so.
    materials=(Material("roster", "成员名册", required=False, types=(*DOCUMENT_TYPES, "xlsx"), camera=True),),
    steps=STANDARD_STEPS,
    summary_fields=(("name", "团队名称"), ("org_type_label", "类型"), ("leader_name", "负责人"),
                    ("leader_phone", "负责人电话"), ("member_count", "成员人数"), ("activity", "活动内容"),
                    ("schedule", "活动时间"), ("place", "活动地点"), ("category_label", "类别"),
                    ("party_reported_label", "党员到社区报到情况")),
)
