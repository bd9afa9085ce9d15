"""办事指南 pages: the public list and guide of each kind (no sign-in; ``?province=`` picks the province's text), and
the province's editing page with a preview and the history of who changed it (``applications.guide_edit``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cso.accounts.responsibilities import can, require
from cso.regions import codes
from cso.regions.models import Division

from .guides import GuideText, fill_limits, guide_for, province_code
from .guides_default import FIELD_LABELS, FIELDS, LABELS
from .models import Guide


def _provinces():
    return list(Division.objects.filter(level=codes.PROVINCE).order_by("code").values_list("code", "name"))


def _chosen_province(request) -> str | None:
    """``?province=`` (any code of it), else the signed-in account's province."""
    asked = request.GET.get("province")
    if asked is not None:
        return province_code(asked) if asked else None
    user = request.user
    return province_code(user.division_id) if getattr(user, "is_authenticated", False) else None


def _crumbs(*tail):
    return [{"label": "办事指南", "url": reverse("applications:guides")}, *({"label": t, "url": None} for t in tail)]


@login_not_required
@require_GET
def guide_list(request):
    province = _chosen_province(request)
    guides = [guide_for(kind, province) for kind in LABELS]
    return render(request, "applications/guides.html", {
        "guides": guides, "provinces": _provinces(), "province": province or "", "breadcrumbs": _crumbs(),
    })


@login_not_required
@require_GET
def guide_detail(request, kind):
    if kind not in LABELS:
        raise Http404("没有这种办事事项。")
    province = _chosen_province(request)
    guide = guide_for(kind, province)
    may_edit = bool(province) and can(request.user, "applications.guide_edit", Division(code=province))
    return render(request, "applications/guide.html", {
        "guide": guide, "provinces": _provinces(), "province": province or "", "may_edit": may_edit,
        "breadcrumbs": _crumbs(LABELS[kind]),
    })


class GuideForm(forms.Form):
    conditions = forms.CharField(label=FIELD_LABELS["conditions"], required=False, max_length=20000,
                                 widget=forms.Textarea(attrs={"rows": 10}))
    materials = forms.CharField(label=FIELD_LABELS["materials"], required=False, max_length=20000,
                                widget=forms.Textarea(attrs={"rows": 8}))
    steps = forms.CharField(label=FIELD_LABELS["steps"], required=False, max_length=20000,
                            widget=forms.Textarea(attrs={"rows": 8}))
    time_limits = forms.CharField(label=FIELD_LABELS["time_limits"], required=False, max_length=20000,
                                  widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text="可写 {submitted}、{accepted}、{needs_correction}，"
                                            "显示时替换为各步骤的办理期限（日）。")
    basis = forms.CharField(label=FIELD_LABELS["basis"], required=False, max_length=20000,
                            widget=forms.Textarea(attrs={"rows": 6}))
    reason = forms.CharField(label="修改说明", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean(self):
        data = super().clean()
        if not any((data.get(name) or "").strip() for name in FIELDS):
            raise forms.ValidationError("请至少填写一项内容。")
        return data


@require_http_methods(["GET", "POST"])
def guide_edit(request, kind):
    """The province's own text of a guide (province-level administrators and civil-affairs staff only)."""
    if kind not in LABELS:
        raise Http404("没有这种办事事项。")
    user = request.user
    asked = request.POST.get("province") if request.method == "POST" else request.GET.get("province")
    code = province_code(asked or user.division_id)
    province = get_object_or_404(Division, code=code or "", level=codes.PROVINCE)
    require(user, "applications.guide_edit", province)
    current = guide_for(kind, province.code)
    preview = None
    if request.method == "POST":
        form = GuideForm(request.POST)
        if form.is_valid():
            data = {name: form.cleaned_data[name].strip() for name in FIELDS}
            if request.POST.get("then") == "preview":
                preview = GuideText(kind, LABELS[kind], "本省", province.code,
                                    {name: fill_limits(text) for name, text in data.items()})
            else:
                with transaction.atomic():
                    guide = Guide.objects.select_for_update().filter(kind=kind, province=province).first()
                    guide = guide or Guide(kind=kind, province=province)
                    for name, value in data.items():
                        setattr(guide, name, value)
                    guide.updated_by = user
                    guide._history_user = user
                    guide._change_reason = form.cleaned_data["reason"] or "修改办事指南"
                    guide.save()
                messages.success(request, f"已保存{province.name}的“{LABELS[kind]}”办事指南。")
                return redirect(reverse("applications:guide", args=[kind]) + f"?province={province.code}")
    else:
        form = GuideForm(initial=current.raw or current.fields)
    history = list(Guide.history.filter(kind=kind, province_id=province.code)
                   .select_related("history_user").order_by("-history_date")[:50])
    return render(request, "applications/guide_edit.html", {
        "kind": kind, "label": LABELS[kind], "province": province, "form": form, "current": current,
        "preview": preview, "history": history, "breadcrumbs": _crumbs(LABELS[kind], "修改"),
    })
