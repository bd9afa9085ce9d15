"""Pages that manage around an organization: its hub members, the accounts linked to it (or to an incubation
base), and the province's registry rules. Every page asks the responsibilities table
(``cso.accounts.responsibilities``); outside the account's subtree an object is a 404."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cso.accounts.choices import LINKED_ROLES, Role
from cso.accounts.models import User
from cso.accounts.responsibilities import can, require
from cso.core.scoping import CHANGE, VIEW, Scope
from cso.regions import codes
from cso.regions.models import Division

from . import services
from .forms import LinkForm, MemberForm, RegistryRulesForm, apply_errors
from .models import AccountLink, HubMembership, IncubationBase, Organization, RegistryRules
from .views import _get_org, _org_crumbs


# --- hub members --------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def members(request, uid):
    """A hub's member organizations, recorded so that a 街道（乡镇）联合会 can be registered (seed 001)."""
    hub = _get_org(request, uid)
    may_change = can(request.user, "orgs.change", hub)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "orgs.change", hub)
        end = request.POST.get("end")
        if end:
            link = get_object_or_404(HubMembership, pk=end, hub=hub)
            try:
                services.end_hub_membership(link, date.today(), request.user)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, f"“{link.member.name}”已退出。")
            return redirect("orgs:members", uid=hub.uid)
        if form.is_valid():
            key = form.cleaned_data["member"].strip().upper()
            visible = Organization.objects.visible_to(request.user)
            member = visible.filter(Q(uid__iexact=key) | Q(credit_code=key)).first()
            if member is None:
                form.add_error("member", "在您的管辖范围内找不到该组织，请填写组织标识或统一社会信用代码。")
            else:
                try:
                    services.add_hub_member(hub, member, form.cleaned_data["joined_on"], request.user)
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, f"已记录“{member.name}”为会员组织。")
                    return redirect("orgs:members", uid=hub.uid)
    links = list(HubMembership.objects.filter(hub=hub).select_related("member").order_by("left_on", "joined_on", "id"))
    rules = RegistryRules.for_division(hub.division_id)
    return render(request, "orgs/members.html", {
        "org": hub, "links": links, "form": form if may_change else None, "may_change": may_change,
        "live_members": sum(1 for m in links if m.left_on is None and m.member.is_live),
        "needed": rules.federation_min_members if hub.is_street_federation else None,
        "breadcrumbs": _org_crumbs(hub, "会员组织"),
    })


# --- account links ------------------------------------------------------------------------------
def _link_page(request, target, *, crumbs, back_url):
    require(request.user, "accounts.link", target)
    form = LinkForm(request.POST or None)
    is_base = isinstance(target, IncubationBase)
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove:
            link = get_object_or_404(AccountLink.objects.filter(**{"base" if is_base else "organization": target}),
                                     pk=remove)
            link._history_user = request.user
            link.delete()
            messages.success(request, f"已解除账号“{link.user.username}”的关联。")
            return redirect(request.path)
        if form.is_valid():
            try:
                link_account(request.user, target, form.cleaned_data["username"], form.cleaned_data["role"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已关联账号“{form.cleaned_data['username']}”。")
                return redirect(request.path)
    links = AccountLink.objects.filter(**{"base" if is_base else "organization": target}).select_related("user")
    return render(request, "orgs/links.html", {
        "target": target, "is_base": is_base, "links": list(links), "form": form, "back_url": back_url,
        "breadcrumbs": crumbs,
    })


@transaction.atomic
def link_account(manager, target, username: str, role: str) -> AccountLink:
    """Link an organization's or an operator's account to ``target`` (an organization or an incubation base)."""
    require(manager, "accounts.link", target)
    account = User.objects.visible_to(manager, CHANGE).filter(username=username.strip()).first()
    if account is None:
        raise ValidationError({"username": f"在您的管辖范围内找不到账号“{username}”。"})
    if account.role not in LINKED_ROLES:
        raise ValidationError({"username": "只有社会组织账号和孵化基地（枢纽组织）运营方账号需要关联；"
                                           "工作人员按辖区查看。"})
    is_base = isinstance(target, IncubationBase)
    if is_base and account.role != Role.OPERATOR:
        raise ValidationError({"username": "孵化基地只能关联运营方账号。"})
    if not Scope.for_user(account).contains(target.division_id):
        what = "基地" if is_base else "组织"
        raise ValidationError({"username": f"账号“{account.username}”所属区划不含该{what}所在的区划。"})
    link = AccountLink(user=account, role=role, division_id=target.division_id, created_by=manager,
                       **{"base" if is_base else "organization": target})
    link._history_user = manager
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as exc:
        raise ValidationError({"username": f"账号“{account.username}”已关联。"}) from exc
    return link


@require_http_methods(["GET", "POST"])
def org_links(request, uid):
    org = _get_org(request, uid)
    return _link_page(request, org, crumbs=_org_crumbs(org, "关联账号"),
                      back_url=reverse("orgs:detail", args=[org.uid]))


@require_http_methods(["GET", "POST"])
def base_links(request, base):
    target = get_object_or_404(IncubationBase.objects.visible_to(request.user, VIEW), pk=base)
    return _link_page(request, target, crumbs=[{"label": "孵化基地", "url": None}, {"label": target.name, "url": None},
                                               {"label": "关联账号", "url": None}], back_url=None)


# --- the province's registry rules --------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def registry_rules(request):
    user = request.user
    wanted = (request.GET.get("province") or request.POST.get("province") or "").strip()
    if not wanted:
        if not user.division_id and not user.is_superuser:
            raise PermissionDenied("您的账号无权设置登记规则。")
        wanted = user.division_id or "45"
    if not wanted[:2].isdigit():
        raise Http404("省份不存在。")
    province = get_object_or_404(Division.objects.filter(level=codes.PROVINCE), code=codes.pad_code(wanted[:2]))
    require(user, "orgs.rules", province)
    rules = RegistryRules.for_division(province)
    initial = {"min_registered_capital": rules.min_registered_capital,
               "federation_min_members": rules.federation_min_members, "filing_level": rules.filing_level,
               "simplified_deregistration": rules.simplified_deregistration}
    form = RegistryRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rules.province = province
        rules.min_registered_capital = data["min_registered_capital"]
        rules.federation_min_members = data["federation_min_members"]
        rules.filing_level = data["filing_level"]
        rules.simplified_deregistration = bool(data.get("simplified_deregistration"))
        rules.updated_by = user
        rules._history_user = user
        rules._change_reason = data.get("reason") or ""
        rules.save()
        messages.success(request, f"已保存{province.name}的登记规则。")
        return redirect(f"{reverse('orgs:rules')}?province={province.code[:2]}")
    return render(request, "orgs/rules.html", {
        "form": form, "province": province, "rules": rules,
        "breadcrumbs": [{"label": "社会组织", "url": reverse("orgs:list")}, {"label": "登记规则", "url": None}],
    })
