"""Forms of funding programmes (Bootstrap classes from cso.accounts.forms.BootstrapMixin)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from cso.accounts.forms import BootstrapMixin
from cso.orgs.models import Category, Organization

from .choices import Stage
from .models import GuidanceList, Programme, Qualification

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0.01")}


class ProgrammeForm(BootstrapMixin, forms.ModelForm):
    categories = forms.ModelMultipleChoiceField(Category.objects.filter(is_active=True), required=False,
                                                widget=forms.CheckboxSelectMultiple, label="限定类别（任一，可不选）")

    class Meta:
        model = Programme
        fields = ["title", "kind", "funder", "year", "budget", "max_award", "opens_on", "closes_on", "description",
                  "grade_rule", "min_grade", "categories", "rural_only", "track_rule", "cross_district"]
        widgets = {"opens_on": DATE, "closes_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "截止日期不能早于开始日期。")
        return data


class ApplyForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="服务项目名称", max_length=200)
    plan = forms.CharField(label="项目计划书（目标、内容、进度、预期成效）", max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 6}))
    requested = forms.DecimalField(label="申请金额（元）", **MONEY)
    budget = forms.CharField(
        label="预算明细", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一项：科目 金额，例如“活动物料 3000”。合计应等于申请金额。")
    files = forms.FileField(label="附件（PDF、图片、Word、Excel）", required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))

    def clean_budget(self):
        lines = []
        for n, raw in enumerate((self.cleaned_data.get("budget") or "").splitlines(), 1):
            raw = raw.strip()
            if not raw:
                continue
            item, _, amount = raw.replace("\t", " ").rpartition(" ")
            try:
                value = Decimal(amount.replace(",", "").replace("元", ""))
            except Exception:
                raise forms.ValidationError(f"第{n}行：请写成“科目 金额”。") from None
            if not item.strip() or value <= 0:
                raise forms.ValidationError(f"第{n}行：请写成“科目 金额”，金额大于0。")
            lines.append((item.strip()[:100], value))
        return lines


class ReviewerForm(BootstrapMixin, forms.Form):
    username = forms.CharField(label="评审人员账号（用户名）", max_length=150)


class ScoreForm(BootstrapMixin, forms.Form):
    points = forms.DecimalField(label="评分（百分制）", min_value=0, max_value=100, decimal_places=1)
    comment = forms.CharField(label="评审意见", max_length=1000, required=False)


class ConflictForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label="回避理由", max_length=300)


class AwardForm(BootstrapMixin, forms.Form):
    amount = forms.DecimalField(label="立项金额（元）", **MONEY)
    reason = forms.CharField(label="立项理由（依据）", max_length=1000)


class RejectForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label="不予立项的理由", max_length=1000)


class ContractForm(BootstrapMixin, forms.Form):
    number = forms.CharField(label="协议编号", max_length=60)
    signed_on = forms.DateField(label="签订日期", widget=DATE)
    instalments = forms.IntegerField(label="拨款期数", min_value=1, max_value=12, initial=2)
    custodian = forms.ModelChoiceField(
        Organization.objects.none(), label="财务代管单位", required=False, empty_label="（请选择）",
        help_text="备案的组织须由所在街道（乡镇）的社会组织服务中心财务代管（种子文件002）：可选的是该街道已录入为"
                  "培育载体的社会组织服务中心的运营方。")

    def __init__(self, *args, custodians=None, **kwargs):
        super().__init__(*args, **kwargs)
        if custodians is None:
            del self.fields["custodian"]
        else:
            self.fields["custodian"].queryset = custodians


class DisburseForm(BootstrapMixin, forms.Form):
    amount = forms.DecimalField(label="拨付金额（元）", **MONEY)
    paid_on = forms.DateField(label="拨付日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=300, required=False)


class EvaluationForm(BootstrapMixin, forms.Form):
    stage = forms.ChoiceField(label="评估阶段", choices=Stage.choices)
    passed = forms.TypedChoiceField(label="结论", choices=[("1", "通过"), ("0", "未通过")], coerce=lambda v: v == "1")
    evaluated_on = forms.DateField(label="评估日期", widget=DATE)
    beneficiaries = forms.IntegerField(label="服务人次", min_value=0, initial=0)
    activities = forms.IntegerField(label="开展活动（场次）", min_value=0, initial=0)
    volunteer_hours = forms.IntegerField(label="志愿服务时长（小时）", min_value=0, initial=0)
    findings = forms.CharField(label="评估意见", max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class QualificationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Qualification
        fields = ["kind", "granted_on", "valid_until", "basis"]
        widgets = {"granted_on": DATE, "valid_until": DATE}


class GuidanceListForm(BootstrapMixin, forms.ModelForm):
    items = forms.CharField(label="条目", widget=forms.Textarea(attrs={"rows": 8}),
                            help_text="每行一项：名称，可用“｜”分隔说明，例如“社区养老服务｜助餐、助洁、探访”。")

    class Meta:
        model = GuidanceList
        fields = ["kind", "year", "title"]
