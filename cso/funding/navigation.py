"""Navigation entries of funding (培育扶持) and its section of the organization page."""

from cso.core.navigation import NavItem, Section, may, register, register_section

SECTION = "培育扶持"

register(
    NavItem("资金扶持项目", "funding:programmes", "cash-coin", may("funding.view"), section=SECTION, order=29),
    NavItem("项目申报", "funding:calls", "megaphone", may("funding.apply"), section=SECTION, order=29),
    NavItem("我的资金申报", "funding:mine", "folder-check", may("funding.apply"), section=SECTION, order=29),
    NavItem("项目评审", "funding:reviews", "star-half", may("funding.review"), section=SECTION, order=29),
    NavItem("资金情况", "funding:money", "bar-chart", may("funding.money"), section=SECTION, order=29),
    NavItem("指导目录", "funding:guidance_manage", "list-check", may("funding.manage"), section=SECTION, order=29),
)


def _org_section(request, org):
    from cso.accounts.responsibilities import can

    from .forms import QualificationForm
    from .models import Award, Disbursement, Qualification

    awards = list(Award.objects.filter(organization=org).select_related("programme").order_by("-awarded_on"))
    quals = list(Qualification.objects.filter(organization=org))
    may_edit = can(request.user, "funding.qualifications", org)
    if not awards and not quals and not may_edit:
        return None
    return {"org": org, "awards": awards, "qualifications": quals, "may_edit": may_edit,
            "disbursements": Disbursement.objects.filter(award__organization=org).select_related("award__programme"),
            "form": QualificationForm() if may_edit else None}


register_section(Section("orgs.detail", "funding", "funding/org_section.html", _org_section, column="main",
                         order=60))
