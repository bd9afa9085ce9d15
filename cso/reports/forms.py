from django import forms

from cso.core.validators import validate_phone

TEXT = {"class": "form-control"}
SMALL_SELECT = {"class": "form-select form-select-sm"}


class PhoneMixin:
    def clean_contact_phone(self):
        value = self.cleaned_data.get("contact_phone", "")
        return validate_phone(value) if value else ""


class GenerateForm(PhoneMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, widget=forms.HiddenInput)
    quarter = forms.IntegerField(label="季度", min_value=1, max_value=4, widget=forms.HiddenInput)
    prepared_by_name = forms.CharField(label="制表人", max_length=50, widget=forms.TextInput(attrs=TEXT),
                                       error_messages={"required": "请填写制表人姓名。"})
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False,
                                    widget=forms.TextInput(attrs={**TEXT, "inputmode": "tel"}))


class ReviewForm(forms.Form):
    reviewer_name = forms.CharField(label="审核人", max_length=50, widget=forms.TextInput(attrs=TEXT),
                                    error_messages={"required": "请填写审核人姓名。"})
    note = forms.CharField(label="审核意见", required=False, max_length=500,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 2}))


class SubmitForm(forms.Form):
    note = forms.CharField(label="报送说明", required=False, max_length=500,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 2}))


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=500, widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
                             error_messages={"required": "请填写退回修改的原因。"})


class CorrectForm(PhoneMixin, forms.Form):
    reason = forms.CharField(label="更正原因", max_length=1000, widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
                             error_messages={"required": "请填写更正原因。"},
                             help_text="例如：某街道漏报已备案的社区社会组织。原版本保留，可随时查阅。")
    prepared_by_name = forms.CharField(label="制表人", max_length=50, widget=forms.TextInput(attrs=TEXT),
                                       error_messages={"required": "请填写制表人姓名。"})
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False,
                                    widget=forms.TextInput(attrs={**TEXT, "inputmode": "tel"}))


class QuarterForm(forms.Form):
    """The quarter (and division) a roll-up page shows."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={**SMALL_SELECT, "class": "form-control form-control-sm"}))
    quarter = forms.TypedChoiceField(label="季度", coerce=int, choices=[(q, f"第{q}季度") for q in range(1, 5)],
                                     widget=forms.Select(attrs=SMALL_SELECT))
    division = forms.CharField(label="区划", required=False, max_length=12, widget=forms.HiddenInput)
