"""The portal of organization and operator accounts (``/my/``): their own organizations, their open
applications and what is missing, the contact page they keep themselves, and (operators) the organizations
their base incubates or their hub has as members. Nothing of any other organization."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cso.accounts.responsibilities import require
from cso.accounts.validators import mask_mobile
from cso.applications.models import OPEN_STATES, Application, ApplicationEvent, State
from cso.orgs import contact as contact_service
from cso.orgs.forms import apply_errors
from cso.orgs.history import timeline
from cso.orgs.models import AccountLink, Organization

from .forms import ContactForm
from .queries import linked_organizations

CONTACT_FIELDS = set(contact_service.CONTACT_FIELDS)


def _crumbs(*tail) -> list[dict]:
    return [{"label": "首页", "url": reverse("core:home")}, {"label": "我的组织", "url": reverse("portal:home")},
            *({"label": t, "url": None} for t in tail)]


def my_organizations(user):
    """The organizations this account is linked to directly (负责人 or 联络员)."""
    return Organization.objects.filter(account_links__user=user).distinct()


def open_applications(user) -> list[Application]:
    """Drafts and cases in progress of this account, each with the missing items of its last correction request."""
    corrections = ApplicationEvent.objects.filter(verb="ask_correction").order_by("-at", "-id")
    cases = list(
        Application.objects.filter(applicant=user, state__in=(State.DRAFT, *OPEN_STATES))
        .select_related("division", "organization")
        .prefetch_related(Prefetch("events", queryset=corrections, to_attr="corrections"))
        .order_by("-updated_at", "-id")[:50]
    )
    for case in cases:
        last = case.corrections[0] if case.corrections else None
        case.missing_items = last.missing if (last and case.state == State.NEEDS_CORRECTION) else []
        case.correction_reason = last.reason if (last and case.state == State.NEEDS_CORRECTION) else ""
    return cases


@require_GET
def home(request):
    require(request.user, "portal.mine")
    user = request.user
    links = {link.organization_id: link for link in AccountLink.objects.filter(user=user, organization__isnull=False)}
    orgs = list(my_organizations(user).select_related("division").order_by("name"))
    for org in orgs:
        link = links.get(org.pk)
        org.link_role = link.get_role_display() if link else ""
    bases = list(AccountLink.objects.filter(user=user, base__isnull=False).select_related("base__division"))
    context = {
        "orgs": orgs, "bases": [link.base for link in bases], "cases": open_applications(user),
        "masked_phone": mask_mobile(user.phone) if user.phone else "",
        "may_edit_contact": user.has_perm("orgs.edit_contact"),
        "may_apply": user.has_perm("applications.apply"),
        "operator": user.has_perm("portal.linked"),
        "linked_count": linked_organizations(user).count() if user.has_perm("portal.linked") else 0,
        "breadcrumbs": _crumbs(),
    }
    return render(request, "portal/home.html", context)


@require_http_methods(["GET", "POST"])
def contact(request, uid):
    """Contact and activity data, edited directly with a history record; registered facts are shown read-only
    and change by a 变更 application. Another organization's page does not exist for this account (404)."""
    org = get_object_or_404(my_organizations(request.user).select_related("division"), uid=uid)
    require(request.user, "orgs.edit_contact", org)
    form = ContactForm(request.POST or None, instance=Organization.objects.get(pk=org.pk))
    if request.method == "POST" and form.is_valid():
        try:
            changed = contact_service.update_contact(org, form.cleaned_data, request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if changed:
                messages.success(request, f"已保存：{'、'.join(changed)}。修改已记入本组织的变更记录。")
            else:
                messages.info(request, "没有修改任何内容。")
            return redirect("portal:contact", uid=org.uid)
    changes, _ = timeline(org, 20)
    context = {
        "org": org, "form": form,
        "leaders": list(org.leaders.order_by("order", "id")),
        "categories": list(org.categories.all()),
        "changes": [c for c in reversed(changes) if c.field in CONTACT_FIELDS],
        "change_url": reverse("applications:new") + f"?kind=change&org={org.uid}",
        "breadcrumbs": _crumbs(org.name, "联系方式和活动信息"),
    }
    return render(request, "portal/contact.html", context)


@require_GET
def linked(request):
    """An operator's organizations: incubated by its base(s), or members of its hub(s). Read-only, no phones."""
    require(request.user, "portal.linked")
    bases = list(AccountLink.objects.filter(user=request.user, base__isnull=False).select_related("base"))
    hubs = list(my_organizations(request.user).filter(is_hub=True))
    orgs = list(linked_organizations(request.user).select_related("division", "incubated_by").order_by("name")[:500])
    if not (bases or hubs):
        orgs = []
    if request.GET.get("base"):
        orgs = [o for o in orgs if str(o.incubated_by_id) == request.GET["base"]]
        if not orgs and not any(str(link.base_id) == request.GET["base"] for link in bases):
            raise Http404("没有这个孵化基地。")
    return render(request, "portal/linked.html", {
        "bases": [link.base for link in bases], "hubs": hubs, "orgs": orgs,
        "breadcrumbs": _crumbs("孵化和会员组织"),
    })
