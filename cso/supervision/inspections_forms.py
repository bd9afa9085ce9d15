"""Forms of random inspections (Chinese labels and messages naming the field)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from cso.accounts.forms import BootstrapMixin
from cso.orgs.choices import REGISTERED_TYPES, OrgType
from cso.orgs.models import Category

from .models import InspectionPlan, InspectionResult


class PlanForm(BootstrapMixin, forms.ModelForm):
    org_type = forms.ChoiceField(label="组织类型（筛选）", required=False,
                                 choices=[("", "全部类型"), *[(t.value, t.label) for t in OrgType
                                                          if t in REGISTERED_TYPES]])
    categories = forms.ModelMultipleChoiceField(label="类别（筛选）", required=False,
                                                queryset=Category.objects.filter(is_active=True).order_by("order"),
                                                widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = InspectionPlan
        fields = ["year", "kind", "title", "matter", "org_type", "categories", "rate", "site_share",
                  "inspectors_per_visit"]

    def __init__(self, *args, division=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.division = division
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("year", timezone.localdate().year)
            self.initial.setdefault("rate", self.instance.min_rate)
        self.fields["rate"].help_text = f"本级最低比例为{self.instance.min_rate}%（设置 CSO_INSPECTION_MIN_RATES）。"


class ResultForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = InspectionResult
        fields = ["method", "inspected_on", "findings", "conclusion", "fix_by"]
        widgets = {"inspected_on": forms.DateInput(attrs={"type": "date"}),
                   "fix_by": forms.DateInput(attrs={"type": "date"}),
                   "findings": forms.Textarea(attrs={"rows": 4})}


class FollowUpForm(BootstrapMixin, forms.Form):
    follow_up = forms.CharField(label="整改情况（跟进）", widget=forms.Textarea(attrs={"rows": 3}),
                                error_messages={"required": "请填写整改情况。"})
    follow_up_on = forms.DateField(label="跟进日期", widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"required": "请填写跟进日期。"})


class VisitForm(BootstrapMixin, forms.Form):
    visit_on = forms.DateField(label="实地检查日期", widget=forms.DateInput(attrs={"type": "date"}),
                               error_messages={"required": "请填写实地检查日期。"})


class CloseForm(BootstrapMixin, forms.Form):
    close_note = forms.CharField(label="结束说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AddInspectorForm(BootstrapMixin, forms.Form):
    user = forms.ModelChoiceField(label="账号", queryset=None, error_messages={"required": "请选择账号。"})
    badge = forms.CharField(label="执法证件号", required=False, max_length=40)

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts


class ActiveForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label="调整原因", max_length=300, error_messages={"required": "请填写调整原因。"})


class ConflictForm(BootstrapMixin, forms.Form):
    organization = forms.CharField(label="组织（组织标识或统一社会信用代码）", max_length=18,
                                   error_messages={"required": "请填写组织标识或统一社会信用代码。"})
    reason = forms.CharField(label="回避原因", max_length=300,
                             help_text="如：本人或近亲属在该组织任职、曾在该组织任职、与该组织有利害关系。",
                             error_messages={"required": "请填写回避原因。"})
