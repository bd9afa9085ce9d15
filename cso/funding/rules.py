"""Eligibility of an organization for a programme, with every reason shown; the province's settings.

``check(programme_facts, org_facts, on)`` is pure (tested with hypothesis); ``eligibility(programme, org, on)``
reads the facts from the database (the current grade from supervision's standing evaluations)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings

from cso.orgs.choices import LIVE_STATUSES, Track
from cso.regions import codes

from .choices import GRADES, GradeRule, TrackRule

DEFAULTS = {"priority_grade": "3A", "priority_bonus": 5, "rural_reading": "code"}


def rules_for(province: str | None) -> dict:
    configured = getattr(settings, "CSO_FUNDING_RULES", {}) or {}
    return {**DEFAULTS, **configured.get("", {}), **configured.get((province or "")[:2], {})}


def grade_rank(grade: str | None) -> int:
    return GRADES.index(grade) + 1 if grade in GRADES else 0


@dataclass(frozen=True)
class ProgrammeFacts:
    state: str
    opens_on: date
    closes_on: date
    division: str  # the funder's division code
    track_rule: str
    rural_only: bool
    cross_district: bool
    category_ids: frozenset
    grade_rule: str
    grade: str  # the grade the rule reads (the programme's, or the province's priority grade)


@dataclass(frozen=True)
class OrgFacts:
    live: bool
    track: str
    division: str
    rural: bool | None
    category_ids: frozenset
    grade: str  # "" without a standing grade


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    blocking: bool


def _district(code: str) -> str:
    """The county (区县) a division code lies in: its first 6 digits."""
    return code[:6]


def check(p: ProgrammeFacts, o: OrgFacts, on: date) -> list[Reason]:
    reasons: list[Reason] = []
    if p.state != "open" or not (p.opens_on <= on <= p.closes_on):
        reasons.append(Reason("closed", f"不在申报期内（{p.opens_on:%Y-%m-%d} 至 {p.closes_on:%Y-%m-%d}）。", True))
    if not o.live:
        reasons.append(Reason("not_live", "组织已注销、撤销或清理，不能申报。", True))
    if p.track_rule == TrackRule.REGISTERED and o.track != Track.REGISTERED:
        reasons.append(Reason("track", "本项目仅限依法登记的组织申报，备案的组织不能申报。", True))
    if p.track_rule == TrackRule.FILED and o.track != Track.FILED:
        reasons.append(Reason("track", "本项目仅限备案的组织申报。", True))
    if p.rural_only and o.rural is not True:
        reasons.append(Reason("rural", "本项目仅限农村社区的组织申报（按所在村（社区）的城乡分类代码或村委会判断）。",
                              True))
    if p.category_ids and not (p.category_ids & o.category_ids):
        reasons.append(Reason("category", "组织的类别不在本项目限定的类别内。", True))
    inside = o.division.startswith(codes.prefix_of(p.division, codes.level_of(p.division)))
    if not inside:
        if not p.cross_district:
            reasons.append(Reason("district", "本项目只接受资助方辖区内的组织申报。", True))
        else:
            reasons.append(Reason("cross_district", "跨区申报：资助方辖区以外的组织（种子文件002：鼓励跨区购买服务）。",
                                  False))
    if p.grade_rule != GradeRule.NONE and p.grade:
        reached = grade_rank(o.grade) >= grade_rank(p.grade)
        have = f"现评估等级为{o.grade}" if o.grade else "暂无有效的评估等级"
        if p.grade_rule == GradeRule.REQUIRED and not reached:
            reasons.append(Reason("grade", f"本项目要求评估等级{p.grade}及以上，{have}。", True))
        elif p.grade_rule == GradeRule.PRIORITY:
            if reached:
                reasons.append(Reason("priority", f"评估等级{o.grade}，达到{p.grade}，优先（评审加分）。", False))
            else:
                reasons.append(Reason("no_priority", f"{have}，未达到{p.grade}，不享受优先。", False))
    return reasons


def priority_bonus(programme) -> Decimal:
    """The points a priority applicant (grade reached) adds to its average score for ranking (本平台建议; the
    province's setting ``priority_bonus``). Only programmes whose grade rule is "priority" give it."""
    if programme.grade_rule != GradeRule.PRIORITY:
        return Decimal(0)
    return Decimal(str(rules_for(programme.division_id)["priority_bonus"]))


def ranking_score(average: Decimal | None, priority: bool, bonus: Decimal) -> Decimal | None:
    """The score applications are ranked by: the reviewers' average plus the bonus for priority; None unscored."""
    if average is None:
        return None
    return average + (bonus if priority else Decimal(0))


def is_eligible(reasons: list[Reason]) -> bool:
    return not any(r.blocking for r in reasons)


# --- facts from the database -------------------------------------------------------------------
def current_grade(org, on: date) -> str:
    """The organization's standing grade (a final evaluation still valid on ``on``), or ""."""
    from cso.supervision.models import Evaluation, EvaluationState

    ev = (Evaluation.objects.filter(organization=org, state=EvaluationState.FINAL, final_on__lte=on)
          .exclude(grade="").order_by("-final_on").first())
    if ev is None or (ev.valid_until and ev.valid_until < on):
        return ""
    return ev.grade


def is_rural(division, reading: str = "code") -> bool | None:
    """Whether a community is rural: its urban–rural code (2xx), or else a villagers' committee (RULES.md: two
    readings of "urban community")."""
    if division is None:
        return None
    if reading == "code":
        by_code = division.urban_by_code
        if by_code is not None:
            return not by_code
    by_committee = division.urban_by_committee
    return None if by_committee is None else not by_committee


def programme_facts(programme) -> ProgrammeFacts:
    grade = programme.min_grade or rules_for(programme.division_id)["priority_grade"]
    return ProgrammeFacts(
        state=programme.state, opens_on=programme.opens_on, closes_on=programme.closes_on,
        division=programme.division_id, track_rule=programme.track_rule, rural_only=programme.rural_only,
        cross_district=programme.cross_district,
        category_ids=frozenset(programme.categories.values_list("pk", flat=True)),
        grade_rule=programme.grade_rule, grade=grade)


def org_facts(org, on: date) -> OrgFacts:
    reading = rules_for(org.division_id)["rural_reading"]
    return OrgFacts(live=org.status in LIVE_STATUSES, track=org.track, division=org.division_id,
                    rural=is_rural(org.division, reading),
                    category_ids=frozenset(org.categories.values_list("pk", flat=True)),
                    grade=current_grade(org, on))


def eligibility(programme, org, on: date) -> tuple[list[Reason], OrgFacts]:
    facts = org_facts(org, on)
    return check(programme_facts(programme), facts, on), facts
