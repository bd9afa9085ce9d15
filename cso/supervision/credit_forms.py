"""Forms of the credit pages."""

from __future__ import annotations

from django import forms

from .models.credit import CreditEvent, EventKind


class Styled:
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault("class", "form-select form-select-sm" if select
                                          else "form-control form-control-sm")


class EventForm(Styled, forms.ModelForm):
    """Staff record a credit fact by hand (penalties come from enforcement cases, reports from the annual reports)."""

    class Meta:
        model = CreditEvent
        fields = ["kind", "penalty_type", "fine_amount", "date", "source", "basis", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        kind, penalty = data.get("kind"), data.get("penalty_type")
        if kind == EventKind.PENALTY and not penalty:
            self.add_error("penalty_type", "行政处罚须选择处罚种类。")
        if kind == EventKind.PENALTY and penalty == "fine" and data.get("fine_amount") is None:
            self.add_error("fine_amount", "罚款须填写金额。")
        return data


class ReasonForm(Styled, forms.Form):
    reason = forms.CharField(label="理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请填写理由。"})


class ObjectionForm(Styled, forms.Form):
    text = forms.CharField(label="异议内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "请填写异议内容。"})


class AnswerForm(Styled, forms.Form):
    answer = forms.CharField(label="答复", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请填写答复内容。"})
