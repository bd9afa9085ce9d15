"""Account invitations' pages: invite by mobile number from an organization's page, the division's list
(账号邀请) with revoke, and the accept page the SMS links to (public: it tells how to sign up or sign in)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cso.accounts.forms import BootstrapMixin
from cso.accounts.responsibilities import can, require
from cso.accounts.signup import SESSION_NEXT
from cso.accounts.validators import mask_mobile
from cso.core.scoping import VIEW

from . import invitations
from .forms import apply_errors
from .models import AccountInvitation, AccountLink
from .views import _get_org, _org_crumbs


class InviteForm(BootstrapMixin, forms.Form):
    phone = forms.CharField(label="手机号码", max_length=20,
                            help_text="邀请短信发往该号码；对方须以该号码注册或登录后接受。")
    role = forms.ChoiceField(label="身份", choices=AccountLink.LinkRole.choices, initial=AccountLink.LinkRole.HEAD)


@require_http_methods(["GET", "POST"])
def invite(request, uid):
    org = _get_org(request, uid, "accounts.invite")
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.invite(org, form.cleaned_data["phone"], form.cleaned_data["role"], request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已向{mask_mobile(invitation.phone)}发出邀请短信，"
                                      f"{invitations.invitation_days()}天内有效。")
            return redirect("orgs:invitations_list")
    pending = list(AccountInvitation.objects.filter(organization=org).order_by("-created_at")[:20])
    for invitation in pending:
        invitation.masked_phone = mask_mobile(invitation.phone)
    return render(request, "orgs/invite.html", {
        "org": org, "form": form, "invitations": pending, "days": invitations.invitation_days(),
        "breadcrumbs": _org_crumbs(org, "邀请账号"),
    })


@require_GET
def invitation_list(request):
    if not can(request.user, "accounts.invite"):
        raise PermissionDenied("您的账号无权邀请组织账号。")
    qs = (AccountInvitation.objects.visible_to(request.user, VIEW)
          .select_related("organization", "invited_by", "accepted_by").order_by("-created_at", "-id"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for invitation in page.object_list:
        invitation.may_revoke = invitation.is_pending and can(request.user, "accounts.revoke_invitation", invitation)
        invitation.masked_phone = mask_mobile(invitation.phone)
    return render(request, "orgs/invitations.html", {
        "page_obj": page,
        "breadcrumbs": [{"label": "首页", "url": reverse("core:home")}, {"label": "账号邀请", "url": None}],
    })


@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_404(AccountInvitation.objects.visible_to(request.user, VIEW), pk=pk)
    require(request.user, "accounts.revoke_invitation", invitation)
    try:
        invitations.revoke(invitation, request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已撤销对{mask_mobile(invitation.phone)}的邀请。")
    return redirect("orgs:invitations_list")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The page the SMS links to. Signed out: how to sign up (then come back here) or sign in. Signed in as the
    organization's account that verified the invited number: accept (POST) → linked."""
    invitation = get_object_or_404(AccountInvitation.objects.select_related("organization", "invited_by"),
                                   token=token)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        invitations.accept(invitation, request.user)
        messages.success(request, f"已接受邀请：本账号已作为{invitation.get_role_display()}"
                                  f"关联“{invitation.organization.name}”。")
        return redirect("portal:home")
    if request.GET.get("signup") and not request.user.is_authenticated:
        request.session[SESSION_NEXT] = request.path
        return redirect("accounts:signup")
    refusal = invitations.refusal(invitation, request.user) if request.user.is_authenticated else ""
    if not request.user.is_authenticated and not invitation.is_pending:
        refusal = invitations.refusal(invitation, None)
    # a signed-in account that may not accept is answered 403 (the page says why and what to do)
    status = 403 if refusal and request.user.is_authenticated else 200
    return render(request, "orgs/invitation_accept.html", {
        "invitation": invitation, "masked_phone": mask_mobile(invitation.phone), "refusal": refusal,
        "login_url": f"{reverse('accounts:login')}?next={request.path}", "signup_url": f"{request.path}?signup=1",
    }, status=status)
