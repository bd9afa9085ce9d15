"""The forms of the registered track's kinds: 筹备 (a 社会团体's approval to prepare) and 成立登记.

RULES.md (registration procedure) and seed 000: 城乡社区服务类 and 公益慈善类 community organizations may apply
directly (直接登记) without a supervising unit's consent; every other one names its supervising unit."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from cso.orgs import validators
from cso.orgs.choices import REGISTERED_TYPES, OrgType
from cso.orgs.models import Category
from cso.regions import codes
from cso.regions.models import Division

# How the organization comes to register (RULES.md: 直接登记 or with a supervising unit's consent).
DIRECT_CLASSES = {
    "community_service": "城乡社区服务类（直接登记，无需业务主管单位）",
    "charity": "公益慈善类（直接登记，无需业务主管单位）",
}
REGISTRATION_CLASSES = [*DIRECT_CLASSES.items(), ("supervised", "其他类别（须经业务主管单位同意）")]
CLASS_HELP = ("种子文件000：符合直接登记条件的可以直接提出申请。城乡社区服务类、公益慈善类社区社会组织直接登记，"
              "不需要业务主管单位；其他类别须填写业务主管单位并取得其同意。")


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
            continue
        field.widget.attrs.setdefault("class", "form-select form-select-lg" if isinstance(
            field.widget, forms.Select) else "form-control form-control-lg")


class RegisteredTrackForm(forms.Form):
    """What 筹备 and 成立登记 share: where, the name, the category, the leader."""

    division = forms.ChoiceField(label="所在社区（街道）", help_text="组织住所所在的社区（村）或街道（乡镇）")
    name = forms.CharField(label="拟定名称", max_length=200, help_text="如“兴宁区民生街道邻里互助服务中心”",
                           widget=forms.TextInput(attrs={"data-name-check": "1"}))
    registration_class = forms.ChoiceField(label="登记方式", choices=REGISTRATION_CLASSES, help_text=CLASS_HELP,
                                           widget=forms.RadioSelect)
    supervising_unit = forms.CharField(label="业务主管单位", max_length=200, required=False,
                                       help_text="直接登记的（城乡社区服务类、公益慈善类）不填；其他类别必填。")
    categories = forms.MultipleChoiceField(label="活动类别", required=False, widget=forms.CheckboxSelectMultiple)
    residence = forms.CharField(label="住所（活动场所）", max_length=300)
    business_scope = forms.CharField(label="业务范围", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    leader_name = forms.CharField(label="法定代表人（负责人）姓名", max_length=50)
    leader_phone = forms.CharField(label="法定代表人（负责人）电话", max_length=30)
    leader_id_number = forms.CharField(label="法定代表人（负责人）身份证号码", max_length=18)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        places = Division.objects.visible_to(user).filter(level__in=(codes.STREET, codes.COMMUNITY)).order_by("code")
        self.fields["division"].choices = [(d.code, d.name) for d in places]
        if user is not None and user.division_id and user.division.level in (codes.STREET, codes.COMMUNITY):
            self.fields["division"].initial = user.division_id
        self.fields["categories"].choices = [
            (c.code, c.name) for c in Category.objects.filter(is_active=True).order_by("order", "bit")]
        _style(self)

    def clean_leader_phone(self):
        return validators.validate_phone(self.cleaned_data["leader_phone"])

    def clean_leader_id_number(self):
        return validators.validate_id_number(self.cleaned_data["leader_id_number"])

    def clean(self):
        data = super().clean()
        klass = data.get("registration_class")
        unit = (data.get("supervising_unit") or "").strip()
        if klass in DIRECT_CLASSES:
            data["supervising_unit"] = ""  # 直接登记: no supervising unit
        elif klass and not unit:
            self.add_error("supervising_unit", "非直接登记类别须填写业务主管单位（并取得其同意）。")
        if klass:
            data["registration_class_label"] = dict(REGISTRATION_CLASSES)[klass]
        names = dict(self.fields["categories"].choices)
        data["categories_label"] = "、".join(names.get(c, c) for c in data.get("categories") or [])
        return data


class PreparationForm(RegisteredTrackForm):
    """筹备: a 社会团体 asks for approval to prepare (RULES.md: approval to prepare, then founding registration)."""

    member_count = forms.IntegerField(label="拟发展会员数", min_value=1, max_value=1000000,
                                      help_text="筹备期间拟发展的会员（个人或单位）数")

    def clean(self):
        data = super().clean()
        data["org_type"] = OrgType.SOCIAL_GROUP
        return data


class RegistrationForm(RegisteredTrackForm):
    """成立登记 of a 社会团体, 社会服务机构 or 基金会 with the county's registering body."""

    org_type = forms.ChoiceField(label="组织类型", choices=[(t, OrgType(t).label) for t in REGISTERED_TYPES],
                                 initial=OrgType.SOCIAL_SERVICE)
    member_count = forms.IntegerField(
        label="会员数", min_value=0, max_value=1000000, required=False,
        help_text="社会团体必填（个人会员与单位会员合计；街道、乡镇社区社会组织联合会为会员组织数）")
    registered_capital = forms.DecimalField(label="注册资金（元）", min_value=0, max_digits=14, decimal_places=2)
    preparation_number = forms.CharField(
        label="筹备批准的申请编号", max_length=20, required=False,
        help_text="社会团体须先经筹备批准，在此填写已批准的筹备申请编号（如 SQ2026-000012）。")
    credit_code = forms.CharField(label="统一社会信用代码", max_length=30, required=False,
                                  help_text="已赋码的填写；未赋码的由登记管理机关批准登记时赋码。")

    field_order = ["division", "name", "org_type", "registration_class", "supervising_unit", "categories",
                   "residence", "business_scope", "leader_name", "leader_phone", "leader_id_number", "member_count",
                   "registered_capital", "preparation_number", "credit_code"]

    def clean_credit_code(self):
        return validators.normalize_credit_code(self.cleaned_data.get("credit_code"))

    def clean_preparation_number(self):
        return (self.cleaned_data.get("preparation_number") or "").strip().upper()

    def clean(self):
        data = super().clean()
        if data.get("org_type") == OrgType.SOCIAL_GROUP:
            if data.get("member_count") in (None, ""):
                self.add_error("member_count", "社会团体须填写会员数。")
            if not data.get("preparation_number"):
                self.add_error("preparation_number", "社会团体须先经筹备批准，请填写已批准的筹备申请编号。")
        if data.get("registered_capital") is not None:
            data["registered_capital"] = str(data["registered_capital"])  # the payload is JSON
        return data


def validate_credit_code_for(code: str, org_type: str) -> str:
    """The credit code given on an application, checked (ValidationError naming the field)."""
    try:
        return validators.validate_credit_code(code, org_type if org_type in REGISTERED_TYPES else None)
    except ValidationError as exc:
        raise ValidationError({"credit_code": f"统一社会信用代码：{exc.messages[0]}"}) from exc
