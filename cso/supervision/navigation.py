"""Navigation entries of supervision (found by ``cso.core.navigation.autodiscover``)."""

from cso.core.navigation import NavItem, Section, may, register, register_section

register(
    # 年检年报: the organization's account fills in; the supervising bureau reviews and keeps the lists
    NavItem("年检年报", "supervision:annual_mine", "journal-check", may("supervision.annual_fill"),
            section="监督管理", order=28),
    NavItem("年报审查", "supervision:annual_queue", "clipboard-check", may("supervision.annual_review"),
            section="监督管理", order=28),
    NavItem("信用监管", "supervision:credit_entries", "patch-exclamation", may("supervision.credit_view"),
            section="监督管理", order=29),
    NavItem("执法监察", "supervision:enforcement_cases", "shield-exclamation", may("supervision.enforcement"),
            section="监督管理", order=29),
)

# random inspections (双随机一公开)
register(
    NavItem("随机抽查", "supervision:inspection_plans", "shuffle", may("supervision.plan"), section="监督管理",
            order=29),
    NavItem("回避申报", "supervision:my_conflicts", "person-x", may("supervision.declare_conflict"),
            section="监督管理", order=29),
)

# 监管看板 (supervision dashboard)
register(NavItem("监管看板", "supervision:dashboard", "speedometer", may("supervision.dashboard"), section="监督管理",
                 order=27))


# zombie detection and clean-up campaigns (清理整治)
register(
    NavItem("僵尸型组织", "supervision:zombie_candidates", "hourglass-bottom", may("supervision.zombie_view"),
            section="监督管理", order=29),
    NavItem("清理整治", "supervision:campaigns", "trash", may("supervision.zombie_view"), section="监督管理",
            order=29),
)


# the organization page: credit status, published inspection results, activity records
from . import sections  # noqa: E402

register_section(
    Section("orgs.detail", "supervision.credit", "supervision/sections/credit.html", sections.credit_status,
            sections.may_see_credit, order=40, column="main"),
    Section("orgs.detail", "supervision.inspections", "supervision/sections/inspections.html", sections.inspections,
            sections.may_see_credit, order=41, column="side"),
    Section("orgs.detail", "supervision.activities", "supervision/sections/activities.html", sections.activities,
            sections.may_see_activities, order=42, column="side"),
)

# 等级评估 (grade evaluation): one entry for both sides (the bureau's list, or the organization's own page), and a
# block of the organization page with its standing grade, validity and eligibility
def _evaluation_visible(user) -> bool:
    return user.has_perm("supervision.evaluation_list") or user.has_perm("supervision.evaluation_apply")


def _evaluation_section(request, org):
    from cso.orgs.choices import Track

    if org.track != Track.REGISTERED:
        return None
    from cso.accounts.responsibilities import can
    from cso.supervision import evaluation_services as svc
    from cso.supervision.models import Evaluation
    from cso.supervision.views_evaluation import eligibility_of, standing

    user, today = request.user, svc.today()
    current = svc.in_progress(org)
    insider = can(user, "supervision.evaluation_apply", org) or can(user, "supervision.evaluation_list") \
        or can(user, "supervision.evaluation_score", org)
    return {"org": org, "standing": standing(org, today), "current": current if insider else None,
            "eligibility": eligibility_of(org, today) if insider else None, "insider": insider,
            "last": Evaluation.objects.filter(organization=org, state="final").order_by("-final_on").first(),
            "may_apply": can(user, "supervision.evaluation_apply", org) and current is None}


register(NavItem("等级评估", "supervision:evaluation_home", "award", _evaluation_visible, section="监督管理",
                 order=28))
register_section(Section("orgs.detail", "supervision.evaluation", "supervision/evaluation/section.html",
                         _evaluation_section, order=40, column="side"))
