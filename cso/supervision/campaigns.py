"""Clean-up campaigns (清理整治, seed 002 第三条): a body takes a list of organizations (the zombie candidates above a
threshold, or a selection), each case goes to the organization's street, and the street records the outcome.

An outcome that changes the registry status (注销 / 撤销 / 备案注销 / 清理) goes through
``cso.orgs.services.change_status`` with the reason "清理整治 <campaign>", by whoever the responsibilities table
entitles to that status action (``orgs.deregister`` / ``orgs.revoke`` / ``orgs.clear``). When the recording user is
not entitled (a street for a registered organization), the outcome stays proposed until the body confirms it.

A case assigned to the wrong street is moved by the body that launched the campaign (``reassign``), to another street
inside the campaign's area, with a reason; each move is a ``CaseReassignment`` row (who, when, from, to, why).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count

from cso.accounts.responsibilities import can, require
from cso.core.scoping import PREFIX_LENGTH, subtree_q
from cso.orgs import services as org_services
from cso.orgs.choices import LIVE_STATUSES, Status, Track
from cso.orgs.models import Organization
from cso.regions import codes

from . import zombie
from .models.zombie import Campaign, CampaignCase, CampaignState, CaseReassignment, CaseState, Outcome, ZombieScore

STATUS_OF = {
    Outcome.DEREGISTERED: Status.DEREGISTERED,
    Outcome.REVOKED: Status.REVOKED,
    Outcome.FILING_CANCELLED: Status.DEREGISTERED,
    Outcome.CLEARED: Status.CLEARED,
}


def division_prefix(division) -> str:
    """The significant prefix of a division (or of its code): 450102000000 → 450102."""
    code = getattr(division, "pk", division) or ""
    if len(code) == 12 and codes.is_valid_code(code):
        return code[: PREFIX_LENGTH[codes.level_of(code)]]
    return code


def street_of(division_id: str | None) -> str | None:
    """The street (乡级) division containing ``division_id``, or None above the street level."""
    if not division_id or codes.level_of(division_id) < codes.STREET:
        return None
    return codes.pad_code(codes.prefix_of(division_id, codes.STREET))


def create_campaign(user, division, *, title: str, basis: str = "", started_on: date, ends_on: date | None = None,
                    organization_ids=None, threshold: int | None = None) -> Campaign:
    """A campaign over the given organizations, or over the current zombie candidates at or above ``threshold``
    under the body's division. Organizations outside the division are left out."""
    require(user, "supervision.campaign_manage", division)
    if not (title or "").strip():
        raise ValidationError({"title": "请填写清理整治行动的名称。"})
    if ends_on and ends_on < started_on:
        raise ValidationError({"ends_on": "截止日期不能早于开始日期。"})
    prefix = division_prefix(division)
    if organization_ids is None:
        scores = {s.organization_id: s for s in zombie.candidates(prefix, threshold)}
        orgs = [s.organization for s in scores.values()]
    else:
        orgs = _organizations_under(prefix, organization_ids)
        scores = {s.organization_id: s for s in ZombieScore.objects.filter(organization__in=orgs)}
    if not orgs:
        raise ValidationError({"organizations": "没有可列入清理整治的组织。"})
    with transaction.atomic():
        campaign = Campaign.objects.create(division_id=division.pk, title=title.strip(), basis=basis,
                                           started_on=started_on, ends_on=ends_on, created_by=user)
        CampaignCase.objects.bulk_create([
            CampaignCase(campaign=campaign, organization=org, street_id=street_of(org.division_id),
                         score=scores[org.pk].score if org.pk in scores else 0,
                         reasons=scores[org.pk].reasons if org.pk in scores else [])
            for org in orgs
        ], batch_size=1000)
    return campaign


def _organizations_under(prefix: str, organization_ids) -> list:
    ids = [int(i) for i in organization_ids]
    return list(Organization.objects.filter(subtree_q("division", prefix), pk__in=ids, status__in=LIVE_STATUSES))


def add_cases(campaign: Campaign, user, organization_ids) -> int:
    """Add the ticked organizations to an open campaign (each to its street, with its current score and reasons);
    those already in it, outside the body's division or no longer live are left out. Returns how many were added."""
    require(user, "supervision.campaign_manage", campaign)
    if campaign.state != CampaignState.OPEN:
        raise ValidationError({"organizations": "该清理整治行动已结束，不能再加入组织。"})
    orgs = _organizations_under(division_prefix(campaign.division_id), organization_ids or ())
    if not orgs:
        raise ValidationError({"organizations": "请勾选要加入清理整治的组织（本辖区内存续的组织）。"})
    already = set(campaign.cases.filter(organization__in=orgs).values_list("organization_id", flat=True))
    orgs = [org for org in orgs if org.pk not in already]
    scores = {s.organization_id: s for s in ZombieScore.objects.filter(organization__in=orgs)}
    with transaction.atomic():
        CampaignCase.objects.bulk_create([
            CampaignCase(campaign=campaign, organization=org, street_id=street_of(org.division_id),
                         score=scores[org.pk].score if org.pk in scores else 0,
                         reasons=scores[org.pk].reasons if org.pk in scores else [])
            for org in orgs
        ], batch_size=1000, ignore_conflicts=True)
    return len(orgs)


def open_campaigns(division):
    """The open campaigns of a body (the candidates page offers to add ticked organizations to one)."""
    return Campaign.objects.filter(division_id=getattr(division, "pk", division), state=CampaignState.OPEN)


def _reason(case: CampaignCase) -> str:
    return f"清理整治 {case.campaign.title}"


def _check_outcome(case: CampaignCase, outcome: str):
    org = case.organization
    if outcome == Outcome.REVOKED and org.track != Track.REGISTERED:
        raise ValidationError({"outcome": "备案类组织没有登记可撤销，请选择“备案注销”或“清理”。"})
    if outcome == Outcome.FILING_CANCELLED and org.track != Track.FILED:
        raise ValidationError({"outcome": "“备案注销”只适用于备案类组织。"})
    if outcome == Outcome.CLEARED and org.track != Track.FILED:
        raise ValidationError({"outcome": "“清理”只适用于备案类组织；登记类组织请选择“注销”或“撤销”。"})


def record_outcome(case: CampaignCase, user, outcome: str, outcome_on: date, note: str = "") -> CampaignCase:
    """The street (or the body) records a case's outcome. A status change is made at once when the user may make it,
    otherwise the outcome is proposed for the body to confirm."""
    require(user, "supervision.campaign_record", case)
    if case.campaign.state != CampaignState.OPEN:
        raise ValidationError({"outcome": "该清理整治行动已结束，不能再记录处理结果。"})
    if case.state == CaseState.DECIDED:
        raise ValidationError({"outcome": "该组织的处理结果已办结。"})
    try:
        outcome = Outcome(outcome)
    except ValueError:
        raise ValidationError({"outcome": "请选择处理结果。"}) from None
    _check_outcome(case, outcome)
    with transaction.atomic():
        case.outcome, case.outcome_on, case.note = outcome, outcome_on, note
        status = STATUS_OF.get(outcome)
        if status is None:
            case.state, case.decided_by = CaseState.DECIDED, user
        elif can(user, org_services.STATUS_ACTIONS[status], case.organization):
            org_services.change_status(case.organization, status, outcome_on, _reason(case), user)
            case.state, case.decided_by = CaseState.DECIDED, user
        else:
            case.state, case.proposed_by = CaseState.PROPOSED, user
        case.save()
    return case


def confirm(case: CampaignCase, user) -> CampaignCase:
    """The entitled body confirms a proposed outcome: the status change is made now."""
    if case.state != CaseState.PROPOSED:
        raise ValidationError({"outcome": "该组织没有待确认的处理结果。"})
    status = STATUS_OF[Outcome(case.outcome)]
    if not can(user, org_services.STATUS_ACTIONS[status], case.organization):
        raise PermissionDenied("您无权确认该处理结果。")
    with transaction.atomic():
        org_services.change_status(case.organization, status, case.outcome_on, _reason(case), user)
        case.state, case.decided_by = CaseState.DECIDED, user
        case.save(update_fields=["state", "decided_by"])
    return case


def streets_for(campaign: Campaign):
    """The streets (乡级) inside the campaign's area, where a case may be reassigned."""
    from cso.regions.models import Division

    return Division.objects.filter(subtree_q("code", division_prefix(campaign.division_id)),
                                   level=codes.STREET).order_by("code")


def reassign(case: CampaignCase, user, street_id: str, reason: str) -> CaseReassignment:
    """The body that launched the campaign moves a case not yet handled to another street of the campaign's area;
    the new street has it to do, the old one no longer sees it. The move is recorded with who, when and why."""
    from cso.regions.models import Division

    require(user, "supervision.campaign_reassign", case.campaign)
    street_id, reason = (street_id or "").strip(), (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写改派理由。"})
    if len(reason) > 1000:
        raise ValidationError({"reason": "改派理由不能超过1000字。"})
    street = Division.objects.filter(pk=street_id).first() if street_id else None
    if street is None:
        raise ValidationError({"street": "请选择新的承办街道（乡镇）。"})
    if street.level != codes.STREET:
        raise ValidationError({"street": f"承办街道（乡镇）须为街道或乡镇，“{street.name}”不是。"})
    if not street.code.startswith(division_prefix(case.campaign.division_id)):
        raise ValidationError({"street": f"承办街道（乡镇）“{street.name}”不在本次清理整治行动的区域内。"})
    with transaction.atomic():
        case = CampaignCase.objects.select_for_update().select_related("campaign").get(pk=case.pk)
        if case.campaign.state != CampaignState.OPEN:
            raise ValidationError({"street": "该清理整治行动已结束，不能再改派承办街道（乡镇）。"})
        if case.state != CaseState.OPEN:
            raise ValidationError(
                {"street": f"该组织的处理结果{case.get_state_display()}，不能再改派承办街道（乡镇）。"})
        if case.street_id == street.pk:
            raise ValidationError({"street": f"该组织已由“{street.name}”承办，请选择另一个承办街道（乡镇）。"})
        move = CaseReassignment.objects.create(case=case, from_street_id=case.street_id, to_street=street,
                                               reason=reason, by=user)
        case.street = street
        case.save(update_fields=["street"])
    return move


def summary(campaign: Campaign) -> dict:
    """Counts per outcome (and 待处理 / 待确认) of one campaign."""
    out = dict.fromkeys(Outcome.labels, 0)
    out.update({"待处理": 0, "待确认": 0})
    for row in campaign.cases.values("state", "outcome").annotate(n=Count("id")):
        if row["state"] == CaseState.OPEN:
            out["待处理"] += row["n"]
        elif row["state"] == CaseState.PROPOSED:
            out["待确认"] += row["n"]
        else:
            out[Outcome(row["outcome"]).label] += row["n"]
    return out


def by_street(campaign: Campaign, cases=None) -> list[dict]:
    """The cases per assigned street (承办街道): how many wait, are proposed, are decided — one query."""
    qs = cases if cases is not None else campaign.cases.all()
    rows: dict[str | None, dict] = {}
    for row in qs.order_by().values("street_id", "street__name", "state").annotate(n=Count("id")):
        entry = rows.setdefault(row["street_id"], {"street": row["street__name"] or "（未到街道：由民政部门承办）",
                                                   "open": 0, "proposed": 0, "decided": 0})
        entry[row["state"]] += row["n"]
    return [rows[k] for k in sorted(rows, key=lambda k: k or "")]


def campaign_outcome_counts(division, period: tuple[date, date]) -> dict[str, int]:
    """For statistics: decided outcomes of campaign cases of organizations under ``division`` whose outcome date
    lies in ``period`` (inclusive), keyed by outcome code — one query."""
    prefix = division_prefix(division)
    start, end = period
    qs = CampaignCase.objects.filter(state=CaseState.DECIDED, outcome_on__gte=start, outcome_on__lte=end)
    if prefix:
        qs = qs.filter(subtree_q("organization__division", prefix))
    counts = dict.fromkeys(Outcome.values, 0)
    for row in qs.values("outcome").annotate(n=Count("id")):
        counts[row["outcome"]] = row["n"]
    return counts


def close(campaign: Campaign, user) -> Campaign:
    """End a campaign: no more outcomes are recorded (the proposed ones can still be confirmed)."""
    require(user, "supervision.campaign_manage", campaign)
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.CLOSED)
    campaign.state = CampaignState.CLOSED
    return campaign
