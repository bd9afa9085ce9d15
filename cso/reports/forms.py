from django import forms

from cso.core.validators import validate_phone

from .columns import choosable

TEXT = {"class": "form-control"}
SMALL_SELECT = {"class": "form-select form-select-sm"}


class PhoneMixin:
    def clean_contact_phone(self):
        value = self.cleaned_data.get("contact_phone", "")
        return validate_phone(value) if value else ""


class GenerateForm(PhoneMixin, forms.Form):
    reference = forms.DateField(label="截至日期", widget=forms.HiddenInput)
    prepared_by_name = forms.CharField(label="制表人", max_length=50, widget=forms.TextInput(attrs=TEXT),
                                       error_messages={"required": "请填写制表人姓名。"})
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False,
                                    widget=forms.TextInput(attrs={**TEXT, "inputmode": "tel"}))


class SubmitForm(forms.Form):
    reviewer_name = forms.CharField(label="审核人", max_length=50, widget=forms.TextInput(attrs=TEXT),
                                    error_messages={"required": "请填写审核人姓名。"})
    note = forms.CharField(label="审核意见、报送说明", required=False, max_length=500,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 2}))


class AcceptForm(forms.Form):
    note = forms.CharField(label="审批意见（选填）", required=False, max_length=500,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 2}))


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=500, widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
                             error_messages={"required": "请填写退回原因。"})


class CorrectForm(PhoneMixin, forms.Form):
    reason = forms.CharField(label="更正说明", max_length=1000, required=False,
                             widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
                             help_text="例如：已补录某街道漏报的备案组织。不填则记为“按退回意见更正”。被退回的版本保留备查。")
    prepared_by_name = forms.CharField(label="制表人", max_length=50, widget=forms.TextInput(attrs=TEXT),
                                       error_messages={"required": "请填写制表人姓名。"})
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False,
                                    widget=forms.TextInput(attrs={**TEXT, "inputmode": "tel"}))


class ChaseForm(forms.Form):
    reference = forms.DateField(label="截至日期", widget=forms.HiddenInput)
    note = forms.CharField(label="催报说明（选填）", required=False, max_length=500,
                           widget=forms.TextInput(attrs={**TEXT, "placeholder": "催报说明（选填）"}))


class RoundForm(forms.Form):
    """The round (and division) an overview page shows."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}))
    round = forms.IntegerField(label="轮次", min_value=1, max_value=24, widget=forms.Select(attrs=SMALL_SELECT))
    division = forms.CharField(label="区划", required=False, max_length=12, widget=forms.HiddenInput)


class AddRoundForm(forms.Form):
    reference_month = forms.IntegerField(label="截至（月）", min_value=1, max_value=12,
                                         widget=forms.NumberInput(attrs=TEXT))
    reference_day = forms.IntegerField(label="截至（日）", min_value=1, max_value=31,
                                       widget=forms.NumberInput(attrs=TEXT))
    deadline_month = forms.IntegerField(label="报送期限（月）", min_value=1, max_value=12,
                                        widget=forms.NumberInput(attrs=TEXT))
    deadline_day = forms.IntegerField(label="报送期限（日）", min_value=1, max_value=31,
                                      widget=forms.NumberInput(attrs=TEXT))
    source = forms.CharField(label="依据（文件名称）", max_length=200, required=False,
                             widget=forms.TextInput(attrs=TEXT))


class ColumnsForm(forms.Form):
    columns = forms.MultipleChoiceField(label="栏目", required=False, widget=forms.CheckboxSelectMultiple,
                                        help_text="按指标定义的顺序排列；不选任何栏目即恢复本平台建议的栏目。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["columns"].choices = choosable()
