"""Account invitations (账号邀请): the street, or the body that registered / files an organization, invites a
person by mobile number as the organization's 负责人 or 联络员. The SMS carries an absolute link
(``CSO_SITE_URL``); an organization's account that verified the same number accepts it, which links the
account to the organization (``AccountLink``, with history). Settings: ``CSO_INVITATION_DAYS`` (7)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cso.accounts.choices import Role
from cso.accounts.responsibilities import require
from cso.accounts.tasks import send_text
from cso.accounts.validators import mask_mobile, validate_mobile

from .models import AccountInvitation, AccountLink, Organization


def invitation_days() -> int:
    return getattr(settings, "CSO_INVITATION_DAYS", 7)


def site_url() -> str:
    return getattr(settings, "CSO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def accept_url(invitation: AccountInvitation) -> str:
    return site_url() + reverse("orgs:invitation_accept", args=[invitation.token])


def message(invitation: AccountInvitation) -> str:
    inviter = invitation.invited_by
    where = (inviter.division.name if inviter and inviter.division_id else "") or "民政部门"
    return (f"【社会组织服务平台】{where}邀请您作为“{invitation.organization.name}”的"
            f"{invitation.get_role_display()}使用平台账号。请在{invitation_days()}天内打开 {accept_url(invitation)} "
            f"用本手机号码注册或登录后接受邀请。如非本人，请忽略本短信。")


@transaction.atomic
def invite(org: Organization, phone: str, role: str, user) -> AccountInvitation:
    require(user, "accounts.invite", org)
    try:
        phone = validate_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    if role not in AccountLink.LinkRole.values:
        raise ValidationError({"role": "请选择负责人或联络员。"})
    pending = [i for i in AccountInvitation.objects.select_for_update().filter(
        organization=org, phone=phone, revoked=False, accepted_at__isnull=True) if i.is_pending]
    if pending:
        raise ValidationError({"phone": f"已向{mask_mobile(phone)}发出邀请，{pending[0].expires:%Y-%m-%d}前有效；"
                                        "如需重发，请先在“账号邀请”中撤销。"})
    if AccountLink.objects.filter(organization=org, user__phone=phone).exists():
        raise ValidationError({"phone": f"手机号码为{mask_mobile(phone)}的账号已关联该组织。"})
    invitation = AccountInvitation(organization=org, phone=phone, role=role, token=secrets.token_urlsafe(32),
                                   invited_by=user, expires=timezone.now() + timedelta(days=invitation_days()))
    invitation._history_user = user
    invitation.save()
    text = message(invitation)
    transaction.on_commit(lambda: send_text.enqueue(phone, text))
    return invitation


@transaction.atomic
def revoke(invitation: AccountInvitation, user) -> AccountInvitation:
    require(user, "accounts.revoke_invitation", invitation)
    invitation = AccountInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError("该邀请已被接受，不能撤销；如需解除关联，请在组织的“关联账号”页办理。")
    if invitation.revoked:
        return invitation
    invitation.revoked = True
    invitation._history_user = user
    invitation._change_reason = "撤销账号邀请"
    invitation.save(update_fields=["revoked"])
    return invitation


def refusal(invitation: AccountInvitation, user) -> str:
    """Why this account may not accept (Chinese), or ""."""
    if invitation.accepted_at:
        return "该邀请已被接受。"
    if invitation.revoked:
        return "该邀请已被撤销，请联系邀请人重新邀请。"
    if invitation.is_expired:
        return "该邀请已过期，请联系邀请人重新邀请。"
    if getattr(user, "role", None) != Role.ORGANIZATION:
        return "只有社会组织账号可以接受邀请；请退出当前账号，用收到邀请短信的手机号码注册或登录。"
    if not (user.phone_verified_at and user.phone == invitation.phone):
        return (f"邀请发给{mask_mobile(invitation.phone)}，本账号未以该手机号码验证；"
                "请用该手机号码注册的账号登录后接受。")
    return ""


@transaction.atomic
def accept(invitation: AccountInvitation, user) -> AccountLink:
    invitation = AccountInvitation.objects.select_for_update().select_related("organization").get(pk=invitation.pk)
    require(user, "accounts.accept_invitation", invitation)
    reason = refusal(invitation, user)
    if reason:
        raise PermissionDenied(reason)
    org = invitation.organization
    link = AccountLink.objects.filter(user=user, organization=org).first()
    if link is None:
        link = AccountLink(user=user, organization=org, role=invitation.role, division_id=org.division_id,
                           created_by=invitation.invited_by)
        link._history_user = user
        link._change_reason = "接受账号邀请"
        link.save()
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation._history_user = user
    invitation._change_reason = "接受账号邀请"
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return link
