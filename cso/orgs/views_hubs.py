"""Pages of hubs and their members online: a hub invites an organization, the organization's account accepts or
declines (入会邀请), either side's account ends a membership. Outside the account's reach an object is a 404; the
responsibilities table decides the rest (``orgs.invite_member``, ``orgs.answer_invitation``, ``orgs.leave_hub``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cso.accounts.responsibilities import require
from cso.core.widgets import SearchSelect

from . import hubs
from .forms import _style, apply_errors
from .models import HubMembership, MembershipInvitation, Organization
from .views import _get_org, _org_crumbs


class InviteForm(forms.Form):
    member = forms.ModelChoiceField(label="受邀组织", queryset=Organization.objects.none(),
                                    error_messages={"invalid_choice": "请从列表中选择一个存续的社会组织。"})
    note = forms.CharField(label="附言", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, hub, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        field.queryset = hubs.candidates(user, hub)
        field.widget = SearchSelect("orgs.hub_candidates", field=field,
                                    placeholder="输入组织名称、标识或统一社会信用代码")
        field.help_text = ("受邀组织的账号在“入会邀请”页接受后即成为会员，加入日期为接受之日。"
                           + ("" if user.is_staff_role or user.is_superuser else hubs.SAME_COUNTY_NOTE))
        _style(self)


@require_http_methods(["GET", "POST"])
def invite(request, uid):
    hub = _get_org(request, uid, "orgs.invite_member")
    form = InviteForm(request.POST or None, user=request.user, hub=hub)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = hubs.invite(hub, form.cleaned_data["member"], request.user, form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已向“{invitation.member.name}”发出入会邀请，待其账号答复。")
            return redirect("orgs:detail", uid=hub.uid)
    pending = list(MembershipInvitation.objects.filter(hub=hub, answer="").select_related("member"))
    return render(request, "orgs/hub_invite.html", {
        "org": hub, "form": form, "pending": pending, "breadcrumbs": _org_crumbs(hub, "邀请会员组织"),
    })


def _answerable(user):
    """Invitations addressed to the organizations linked to this account (else nothing: a 404)."""
    return MembershipInvitation.objects.filter(member_id__in=hubs.linked_org_ids(user))


@require_http_methods(["GET", "POST"])
def invitations(request):
    """入会邀请: the invitations addressed to the account's organizations and those its hubs sent."""
    user = request.user
    if request.method == "POST":
        invitation = _answerable(user).filter(pk=request.POST.get("invitation") or 0).first()
        if invitation is None or request.POST.get("answer") not in ("accept", "decline"):
            raise Http404("没有这份入会邀请。")
        require(user, "orgs.answer_invitation", invitation)
        accept = request.POST["answer"] == "accept"
        try:
            hubs.answer(invitation, user, accept)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已{'接受' if accept else '谢绝'}“{invitation.hub.name}”的入会邀请。"
                             + ("自今日起为其会员组织。" if accept else ""))
        return redirect("orgs:hub_invitations")
    ids = hubs.linked_org_ids(user)
    related = ("hub", "member", "invited_by", "answered_by")
    received = list(MembershipInvitation.objects.filter(member_id__in=ids).select_related(*related))
    sent = list(MembershipInvitation.objects.filter(Q(hub_id__in=ids) | Q(invited_by=user))
                .select_related(*related))
    memberships = list(HubMembership.objects.filter(Q(member_id__in=ids) | Q(hub_id__in=ids))
                       .select_related("hub", "member").order_by("left_on", "-joined_on", "id"))
    for membership in memberships:
        membership.may_leave = hubs.may_leave(user, membership)
    return render(request, "orgs/hub_invitations.html", {
        "received": received, "sent": sent, "memberships": memberships,
        "breadcrumbs": [{"label": "入会邀请", "url": None}],
    })


@require_http_methods(["GET", "POST"])
def leave(request, membership):
    """A member leaves its hub (or the hub ends the membership): the accounts of either side."""
    ids = hubs.linked_org_ids(request.user)
    link = (HubMembership.objects.filter(Q(member_id__in=ids) | Q(hub_id__in=ids), pk=membership)
            .select_related("hub", "member").first())
    if link is None:
        raise Http404("没有这条会员记录。")
    require(request.user, "orgs.leave_hub", link)
    if request.method == "POST":
        try:
            hubs.leave(link, request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"“{link.member.name}”已退出“{link.hub.name}”，退出日期为今天。")
        return redirect("orgs:hub_invitations")
    return render(request, "orgs/hub_leave.html", {
        "link": link, "back": reverse("orgs:hub_invitations"),
        "breadcrumbs": [{"label": "入会邀请", "url": reverse("orgs:hub_invitations")}, {"label": "退会", "url": None}],
    })
