"""Forms of 执法监察 cases."""

from __future__ import annotations

from django import forms

from .credit_forms import Styled
from .models.credit import PenaltyType


class OpenCaseForm(Styled, forms.Form):
    facts = forms.CharField(label="违法事实", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                            error_messages={"required": "请填写违法事实。"})
    basis = forms.CharField(label="依据（拟适用的条款）", max_length=300, required=False)
    opened_on = forms.DateField(label="立案日期", widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"required": "请填写立案日期。", "invalid": "立案日期格式不正确。"})


class DecideCaseForm(Styled, forms.Form):
    decision = forms.CharField(label="处理决定", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": "请填写处理决定。"})
    basis = forms.CharField(label="处罚（处理）依据", max_length=300, error_messages={"required": "请填写处罚依据。"})
    penalty_type = forms.ChoiceField(label="处罚种类", required=False,
                                     choices=[("", "不予处罚（不产生信用记录）"), *PenaltyType.choices])
    fine_amount = forms.DecimalField(label="罚款金额（元）", required=False, min_value=0, max_digits=12,
                                     decimal_places=2)
    decided_on = forms.DateField(label="决定日期", widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"required": "请填写决定日期。", "invalid": "决定日期格式不正确。"})
