"""Hubs and their members (枢纽型组织: 联合会、促进会; seed 000 and seed 001 encourage them at street level).

A hub records its member organizations as ``HubMembership`` rows with the day each joined and left. Online, the
hub's account (负责人 / 联络员) — or the body that registered / files the hub — invites an organization
(``invite``); an account linked to the invited organization accepts or declines (``answer``); acceptance opens a
membership from that day. Either side's account ends it (``leave``). The street-federation minimum (seed 001: a
街道（乡镇）社区社会组织联合会 needs ≥ 30 member organizations in 广西, ``RegistryRules.federation_min_members``)
counts these records (``member_count_for_check``).

Every operation is one transaction, asks the responsibilities table, and leaves who-did-what in the history of
the membership and the invitation; both organizations' pages list it (``events``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cso.accounts.choices import LINKED_ROLES
from cso.accounts.responsibilities import can, require
from cso.core.scoping import subtree_q
from cso.regions import codes

from .choices import LIVE_STATUSES
from .models import AccountLink, HubMembership, MembershipInvitation, Organization

# 本平台建议: an organization's own account may invite organizations of the hub's county (区县) only; staff
# of the hub's registering or filing body invite any organization they can see.
SAME_COUNTY_NOTE = "本平台建议：枢纽组织的账号可邀请本县（区）内存续的社会组织加入。"


def linked_org_ids(user) -> list[int]:
    """The organizations directly linked to this account (its 负责人 / 联络员 links)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(AccountLink.objects.filter(user=user, organization__isnull=False)
                .values_list("organization_id", flat=True))


def is_linked(user, org: Organization) -> bool:
    return AccountLink.objects.filter(user=user, organization=org).exists()


def _county_prefix(division_code: str) -> str:
    return codes.prefix_of(division_code, codes.COUNTY)


def candidates(user, hub: Organization | None = None):
    """Organizations this account may invite into a hub: for an organization's account the live organizations of
    the counties of its linked hubs (of ``hub``'s county when given); for staff the live organizations they see."""
    live = Organization.objects.filter(status__in=LIVE_STATUSES)
    if user is None or not getattr(user, "is_authenticated", False):
        return live.none()
    if user.is_superuser or getattr(user, "is_staff_role", False):
        qs = Organization.objects.visible_to(user).filter(status__in=LIVE_STATUSES)
    else:
        hubs = [hub] if hub is not None else list(Organization.objects.filter(pk__in=linked_org_ids(user)))
        q = Q(pk__in=[])
        for prefix in {_county_prefix(h.division_id) for h in hubs if h.division_id}:
            q |= subtree_q("division", prefix)
        qs = live.filter(q)
    if hub is not None:
        qs = qs.exclude(pk=hub.pk)
    return qs


def _check_member(hub: Organization, member: Organization) -> None:
    if member.pk == hub.pk:
        raise ValidationError({"member": "组织不能成为自己的会员。"})
    if not hub.is_live:
        raise ValidationError(f"“{hub.name}”已{hub.get_status_display()}，不能再吸收会员。")
    if not member.is_live:
        raise ValidationError({"member": f"“{member.name}”已{member.get_status_display()}，不能加入枢纽组织。"})
    if HubMembership.objects.filter(hub=hub, member=member, left_on__isnull=True).exists():
        raise ValidationError({"member": f"“{member.name}”已是“{hub.name}”的会员。"})


@transaction.atomic
def invite(hub: Organization, member: Organization, user, note: str = "") -> MembershipInvitation:
    """The hub invites ``member``; its account answers. By the hub's linked account or the hub's registering /
    filing body (``orgs.invite_member``)."""
    require(user, "orgs.invite_member", hub)
    hub = Organization.objects.select_for_update().get(pk=hub.pk)
    if not hub.is_federation:
        raise ValidationError("只有枢纽型组织（联合会、促进会等）可以邀请会员组织；请先在组织信息中标明“枢纽型组织”。")
    if not candidates(user, hub).filter(pk=member.pk).exists():
        if user.is_superuser or getattr(user, "is_staff_role", False):
            raise ValidationError({"member": "该组织不在您的管辖范围内或已不存续。"})
        raise ValidationError({"member": f"该组织不在“{hub.name}”所在县（区）或已不存续（{SAME_COUNTY_NOTE}）"})
    _check_member(hub, member)
    if MembershipInvitation.objects.filter(hub=hub, member=member, answer="").exists():
        raise ValidationError({"member": f"已向“{member.name}”发出入会邀请，尚待其答复。"})
    invitation = MembershipInvitation(hub=hub, member=member, invited_by=user, note=(note or "").strip()[:1000])
    invitation._history_user = user
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:  # a concurrent invitation won
        raise ValidationError({"member": f"已向“{member.name}”发出入会邀请，尚待其答复。"}) from exc
    return invitation


@transaction.atomic
def answer(invitation: MembershipInvitation, user, accept: bool) -> MembershipInvitation:
    """An account linked to the invited organization accepts (a membership from today) or declines."""
    require(user, "orgs.answer_invitation", invitation)
    invitation = MembershipInvitation.objects.select_for_update().select_related("hub", "member").get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(f"该邀请已于{timezone.localtime(invitation.answered_at):%Y-%m-%d}答复"
                              f"（{invitation.get_answer_display()}）。")
    hub, member = invitation.hub, invitation.member
    if accept:
        _check_member(hub, member)
        membership = HubMembership(hub=hub, member=member, joined_on=date.today())
        membership._history_user = user
        membership._change_reason = f"接受入会邀请（邀请编号{invitation.pk}）"
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError as exc:
            raise ValidationError(f"“{member.name}”已是“{hub.name}”的会员。") from exc
        invitation.membership = membership
    invitation.answer = MembershipInvitation.Answer.ACCEPTED if accept else MembershipInvitation.Answer.DECLINED
    invitation.answered_at = timezone.now()
    invitation.answered_by = user
    invitation._history_user = user
    invitation.save(update_fields=["answer", "answered_at", "answered_by", "membership"])
    return invitation


@transaction.atomic
def leave(membership: HubMembership, user, day: date | None = None) -> HubMembership:
    """The member leaves the hub (or the hub ends the membership): the leave date is set, the record stays."""
    require(user, "orgs.leave_hub", membership)
    membership = HubMembership.objects.select_for_update().select_related("hub", "member").get(pk=membership.pk)
    if membership.left_on is not None:
        raise ValidationError(f"“{membership.member.name}”已于{membership.left_on}退出“{membership.hub.name}”。")
    day = day or date.today()
    if day < membership.joined_on:
        raise ValidationError({"left_on": "退出日期不能早于加入日期。"})
    side = "会员组织" if is_linked(user, membership.member) else "枢纽组织"
    membership.left_on = day
    membership._history_user = user
    membership._change_reason = f"{side}账号办理退会"
    membership.save(update_fields=["left_on"])
    return membership


# --- counting, for the street-federation minimum ----------------------------------------------------------
def member_count_for_check(hub: Organization) -> tuple[int, str]:
    """How many members count towards the federation minimum, and what was counted (for the message): the
    current membership records whose member is live."""
    if hub.pk is None:
        return 0, "随登记一并记录的存续会员组织"
    return hub.current_members().live().count(), "会员记录中现有的存续会员组织"


def federation_problem(org: Organization, pending_members: int = 0) -> str | None:
    """Why ``org`` cannot be registered as a 街道（乡镇）社区社会组织联合会 for want of members (the message naming
    what was counted), or None — for the registration application kind and pages that check before deciding."""
    from .services import _check_federation

    try:
        _check_federation(org, pending_members=pending_members)
    except ValidationError as exc:
        return "；".join(exc.messages)
    return None


# --- who did what, for both organizations' pages ------------------------------------------------------------
@dataclass(frozen=True)
class Event:
    when: datetime
    who: str
    text: str


def _who(user) -> str:
    return getattr(user, "display_name", None) or str(user) if user else "系统"


def events(org: Organization, limit: int = 30) -> list[Event]:
    """Invitations, joins and leaves concerning ``org`` as a hub or as a member, newest first."""
    out: list[Event] = []
    invitations = (MembershipInvitation.objects.filter(Q(hub=org) | Q(member=org))
                   .select_related("hub", "member", "invited_by", "answered_by").order_by("-created_at")[:limit])
    for inv in invitations:
        out.append(Event(inv.created_at, _who(inv.invited_by), f"“{inv.hub.name}”邀请“{inv.member.name}”入会"))
        if inv.answered_at:
            out.append(Event(inv.answered_at, _who(inv.answered_by),
                             f"“{inv.member.name}”{inv.get_answer_display()}“{inv.hub.name}”的入会邀请"))
    history = (HubMembership.history.filter(Q(hub_id=org.pk) | Q(member_id=org.pk))
               .select_related("history_user").order_by("-history_date")[:limit])
    names = dict(Organization.objects.filter(
        pk__in={h.hub_id for h in history} | {h.member_id for h in history}).values_list("pk", "name"))
    for record in history:
        hub, member = names.get(record.hub_id, "?"), names.get(record.member_id, "?")
        if record.history_type == "+":
            text = f"“{member}”加入“{hub}”（{record.joined_on}）"
        elif record.history_type == "~" and record.left_on:
            text = f"“{member}”退出“{hub}”（{record.left_on}）"
        else:
            continue
        if record.history_change_reason:
            text += f"：{record.history_change_reason}"
        out.append(Event(record.history_date, _who(record.history_user), text))
    out.sort(key=lambda e: e.when, reverse=True)
    return out[:limit]


def may_leave(user, membership: HubMembership) -> bool:
    return membership.left_on is None and can(user, "orgs.leave_hub", membership)


def linked_roles_only(user) -> bool:
    return getattr(user, "role", None) in LINKED_ROLES and not user.is_superuser

