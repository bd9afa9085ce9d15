"""Forms of the annual report: the organization's three parts (and the remediation report when required), and the
supervising bureau's decision."""

from __future__ import annotations

from django import forms

from .annual_services import FORM_FIELDS
from .models import AnnualReport, Conclusion

PARTS = (  # (heading, fields) — the sections of the form page
    ("一、年度工作报告", ("work_compliance", "work_changes", "work_activities", "work_personnel", "work_funds",
                   "work_awards", "work_public_benefit")),
    ("二、财务会计报告（民间非营利组织会计制度，主要数据，单位：元）",
     ("total_income", "donation_income", "government_grants", "total_expense", "year_end_assets", "liabilities",
      "net_assets")),
    ("三、党建工作报告", ("party_members", "party_organization", "party_activities")),
    ("四、整改情况报告", ("remediation_report",)),
)


class PartyOrganizationSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "请选择"), ("true", "已建立党组织"),
                        ("false", "未建立（写明党建指导员、联络员情况）")]


class AnnualReportForm(forms.ModelForm):
    """Every field may stay empty in a draft; ``annual_services.problems`` says what a submission still lacks."""

    party_organization = forms.NullBooleanField(
        label="已建立党组织", required=False,
        widget=PartyOrganizationSelect(attrs={"class": "form-select"}))

    class Meta:
        model = AnnualReport
        fields = FORM_FIELDS
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in FORM_FIELDS
                   if f.startswith("work_") or f in ("party_activities", "remediation_report")}

    def __init__(self, *args, remediation: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not remediation:
            del self.fields["remediation_report"]
        for name, field in self.fields.items():
            if name == "party_organization":
                continue
            field.widget.attrs.setdefault("class", "form-control")
            if isinstance(field, forms.DecimalField):
                field.widget.attrs.update({"inputmode": "decimal", "min": "0", "step": "0.01"})
                field.error_messages["invalid"] = f"“{field.label}”请填写数字。"
            if isinstance(field, forms.IntegerField):
                field.widget.attrs["min"] = "0"
                field.error_messages["invalid"] = f"“{field.label}”请填写整数。"
                field.error_messages["min_value"] = f"“{field.label}”不能为负数。"

    def parts(self):
        return [(title, [self[f] for f in fields if f in self.fields]) for title, fields in PARTS
                if any(f in self.fields for f in fields)]


DECISIONS = [(Conclusion.PASS, "合格"), (Conclusion.BASIC, "基本合格"), (Conclusion.FAIL, "不合格"),
             ("return", "退回修改（写明需要修改的内容）")]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审查结论", choices=DECISIONS, widget=forms.RadioSelect,
                                 error_messages={"required": "请选择审查结论。", "invalid_choice": "请选择审查结论。"})
    reason = forms.CharField(label="理由或意见", required=False, widget=forms.Textarea(attrs={"rows": 4,
                                                                                       "class": "form-control"}),
                             help_text="基本合格、不合格和退回修改须写明理由。")

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision in (Conclusion.BASIC, Conclusion.FAIL, "return") and not (data.get("reason") or "").strip():
            label = dict(DECISIONS)[decision].split("（")[0]
            self.add_error("reason", f"结论为“{label}”时须填写“理由或意见”。")
        return data
