"""备案后分类 (seed 002: 已备案的及时分类): the filing body of a filed group sets its categories; audited in the field
history and the registry decisions. And which applications an organization's own account may open from its page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cso.accounts.responsibilities import can

from . import services
from .choices import Track
from .forms import apply_errors
from .models import AccountLink, Category
from .views import _get_org, _org_crumbs


class CategoriseForm(forms.Form):
    categories = forms.ModelMultipleChoiceField(
        label="类别", queryset=Category.objects.filter(is_active=True), required=False,
        widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label="说明", max_length=200, required=False,
                             widget=forms.TextInput(attrs={"class": "form-control"}))


@require_http_methods(["GET", "POST"])
def categorise(request, uid):
    org = _get_org(request, uid, "orgs.categorise")
    if org.track != Track.FILED:
        messages.error(request, "只有备案组织由备案机关分类；登记类组织的类别请办理变更。")
        return redirect("orgs:detail", uid=org.uid)
    form = CategoriseForm(request.POST or None, initial={"categories": list(org.categories.all())})
    if request.method == "POST" and form.is_valid():
        try:
            services.categorise(org, form.cleaned_data["categories"], request.user,
                                reason=form.cleaned_data["reason"] or "备案后分类")
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已设置“{org.name}”的类别。")
            return redirect("orgs:detail", uid=org.uid)
    return render(request, "orgs/categorise.html", {
        "org": org, "form": form, "breadcrumbs": _org_crumbs(org, "分类"),
    })


def own_applications(user, org) -> list[tuple[str, str]]:
    """(label, URL) of the applications this organization's own account may open about it (变更, 注销 …)."""
    if not org.is_live or not can(user, "applications.apply"):
        return []
    if not AccountLink.objects.filter(user=user, organization=org).exists():
        return []
    new = reverse("applications:new")
    closing = ("申请注销", "deregistration") if org.track == Track.REGISTERED else ("申请备案注销", "filing_cancel")
    return [("申请变更", f"{new}?kind=change&org={org.uid}"), (closing[0], f"{new}?kind={closing[1]}&org={org.uid}")]
