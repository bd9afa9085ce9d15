"""Forms of the kinds about an existing organization: 变更, 注销 (registered) and 备案注销 (filed)."""

from __future__ import annotations

from datetime import date

from django import forms

from cso.orgs.choices import Track
from cso.orgs.models import Category
from cso.orgs.validators import validate_phone

TEXT, SELECT, CHECK = "form-control form-control-lg", "form-select form-select-lg", "form-check-input"


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", CHECK)
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", SELECT)
        else:
            widget.attrs.setdefault("class", TEXT)


class ChangeForm(forms.Form):
    """变更: starts from the organization's current facts; the applicant edits what changes (RULES.md: changes of
    name, address, scope, legal representative, supervising unit are approved by the same authority)."""

    name = forms.CharField(label="名称", max_length=200)
    leader_name = forms.CharField(label="负责人（法定代表人）姓名", max_length=50,
                                  help_text="名录中排在第一位的负责人。")
    leader_phone = forms.CharField(label="负责人联系电话", max_length=30, required=False)
    address = forms.CharField(label="住所（活动地址）", max_length=300, required=False)
    business_scope = forms.CharField(label="业务范围（活动内容）", required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    categories = forms.MultipleChoiceField(label="类别", required=False, widget=forms.CheckboxSelectMultiple)
    member_count = forms.IntegerField(label="成员（会员）数", min_value=1, max_value=1000000, required=False)
    supervising_unit = forms.CharField(label="业务主管单位", max_length=200, required=False,
                                       help_text="直接登记的组织没有业务主管单位，留空。")
    reason = forms.CharField(label="变更原因和依据", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="如“经2026年3月会员大会表决通过”。")

    def __init__(self, *args, user=None, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [
            (c.code, c.name) for c in Category.objects.filter(is_active=True).order_by("order", "bit")]
        if organization is not None and organization.track == Track.FILED:
            del self.fields["supervising_unit"]  # a filed group has none
            self.fields["name"].label = "团队名称"
            self.fields["leader_name"].label = "负责人姓名"
            self.fields["address"].label = "活动地点"
        _style(self)

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_leader_phone(self):
        phone = (self.cleaned_data.get("leader_phone") or "").strip()
        return validate_phone(phone) if phone else ""


DISSOLUTION_BASIS = [
    ("purpose_done", "完成章程规定的宗旨"),
    ("dissolved", "会员（代表）大会或理事会决议自行解散"),
    ("merged", "分立、合并"),
    ("other", "由于其他原因终止"),
]


class DeregistrationForm(forms.Form):
    """注销 of a registered organization after its 清算 (RULES.md); 简易注销 where the province allows it."""

    basis = forms.ChoiceField(label="注销情形", choices=DISSOLUTION_BASIS)
    reason = forms.CharField(label="注销原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    no_assets_debts = forms.BooleanField(
        label="本组织没有剩余财产，也没有未结清的债权债务（申请简易注销）", required=False,
        help_text="本省允许简易注销：勾选后无须提交清算报告，改为提交全体负责人签署的承诺书。")
    liquidation_done_on = forms.DateField(
        label="清算结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="社会团体应在清算结束之日起15日内申请注销登记。")
    supervising_consent = forms.BooleanField(label="已取得业务主管单位同意注销的文件", required=False)
    materials_ready = forms.BooleanField(label="上列材料已备齐，原件交登记管理机关核对", required=False)

    def __init__(self, *args, user=None, organization=None, simplified_allowed=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not simplified_allowed:
            del self.fields["no_assets_debts"]
        if organization is None or not organization.supervising_unit:
            del self.fields["supervising_consent"]
        else:
            unit = organization.supervising_unit
            self.fields["supervising_consent"].label = f"已取得业务主管单位（{unit}）同意注销的文件"
        _style(self)

    def clean(self):
        data = super().clean()
        simplified = bool(data.get("no_assets_debts"))
        done = data.get("liquidation_done_on")
        if not simplified and not done:
            self.add_error("liquidation_done_on", "请填写清算结束日期：注销登记须在清算结束后申请。")
        if done and done > date.today():
            self.add_error("liquidation_done_on", "清算结束日期不能晚于今天：请在清算结束后再申请注销。")
        if "supervising_consent" in self.fields and not data.get("supervising_consent"):
            self.add_error("supervising_consent", "有业务主管单位的组织，注销须经业务主管单位同意。")
        if not data.get("materials_ready"):
            self.add_error("materials_ready", "请备齐上列材料后再申请。")
        return data


CANCEL_CAUSES = [
    ("stopped", "团队已停止活动"),
    ("unqualified", "不再符合备案条件（如成员不足、没有固定的活动时间地点）"),
    ("other", "其他原因"),
]


class FilingCancelForm(forms.Form):
    """备案注销: a filed group that stops or no longer qualifies (seed 002: 进出通畅)."""

    cause = forms.ChoiceField(label="注销备案的情形", choices=CANCEL_CAUSES)
    reason = forms.CharField(label="原因说明", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    stopped_on = forms.DateField(label="停止活动日期", required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, user=None, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_stopped_on(self):
        day = self.cleaned_data.get("stopped_on")
        if day and day > date.today():
            raise forms.ValidationError("停止活动日期不能晚于今天。")
        return day
