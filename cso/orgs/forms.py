"""Forms of the registry pages. They only collect input: every rule and its Chinese message lives
in the model and ``cso.orgs.services``; ``apply_errors`` puts a service's errors at their fields.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from cso.core.widgets import SearchSelect, search_select
from cso.regions import codes
from cso.regions.models import Authority, Division

from .choices import LeaderRole, OrgType, Status
from .models import Category, IncubationBase, Leader, Organization, ServiceTarget, Venue

TEXT = "form-control"
SELECT = "form-select"
CHECK = "form-check-input"
COMMUNITY_CHOICES = [("", "按规则自动判断"), ("yes", "是"), ("no", "否")]

ORG_FIELDS = [
    "name", "track", "org_type", "tier", "credit_code", "registration_authority", "founded_on", "registered_on",
    "filed_on", "supervising_unit", "business_scope", "address", "member_count", "registered_capital",
    "financial_custody", "contact_name", "contact_phone", "party_building", "is_hub",
]


def apply_errors(form: forms.Form, error: ValidationError, field_map: dict | None = None) -> None:
    """Show a service's ValidationError on the form: each message at its field when the form has
    it (or a mapped one), else above the form."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, errors in error.message_dict.items():
        target = field_map.get(name, name)
        if target not in form.fields:
            target = None
        for message in errors:
            if target is None and name != NON_FIELD_ERRORS:
                label = _label(name)
                message = f"{label}：{message}" if label else message
            form.add_error(target, message)


def _label(name: str) -> str:
    try:
        return str(Organization._meta.get_field(name).verbose_name)
    except Exception:  # not a model field: show the message alone
        return ""


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            # Its attributes go to the list's container as well as to each box: a form-check-input
            # class there squeezed the whole list into one character's width. Native boxes instead.
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", CHECK)
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", SELECT)
        else:
            widget.attrs.setdefault("class", TEXT)


class DivisionCodeField(forms.CharField):
    """A 12-digit division code that must exist and lie inside ``queryset`` (the user's scope)."""

    def __init__(self, *args, queryset=None, **kwargs):
        self.queryset = queryset
        kwargs.setdefault("max_length", 12)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        value = value.strip()
        if not (value.isdigit() and len(value) == 12):
            raise ValidationError("请输入12位区划代码（可输入名称后从列表中选择）。")
        qs = self.queryset if self.queryset is not None else Division.objects.all()
        division = qs.filter(code=value).first()
        if division is None:
            raise ValidationError(f"区划代码“{value}”不存在，或不在您账号所属区划的范围内。")
        return division


def authority_queryset(user, division: Division | None = None, current: Authority | None = None):
    """The registering bodies offered to ``user``: for an organization in ``division`` those that
    may register it; otherwise those that may register in the user's area — the registering
    bodies of its counties (at most a province's) plus the bodies above and 民政部. A national
    account is offered 民政部 and the provincial and city bodies (a county body is reached by
    narrowing to a division), never all the country's bodies at once. The current body of an
    edited organization is always offered."""
    qs = Authority.objects.active()
    if division is not None:
        offered = qs.may_register_for(division)
    else:
        area = getattr(user, "division", None) if not getattr(user, "is_superuser", False) else None
        if area is None:
            offered = qs.filter(division__isnull=True) | qs.filter(division__level__lte=codes.CITY)
        elif area.level >= codes.COUNTY:
            offered = qs.may_register_for(area)
        else:
            low, high = codes.subtree_bounds(area.prefix)
            offered = qs.filter(
                division__gte=low, division__lte=high, division__level=codes.COUNTY, registers=True,
            ) | qs.filter(pk__in=qs.above(area).values("pk")) | qs.filter(
                division__gte=low, division__lte=high, division__level__lt=codes.COUNTY,
            )
    if current is not None:
        offered = offered | Authority.objects.filter(pk=current.pk)
    return offered.select_related("division").order_by("division_id", "order", "name").distinct()


class AuthorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name if obj.registers or obj.level is None or obj.level < codes.COUNTY \
            else f"{obj.name}（不负责登记）"


class OrganizationForm(forms.Form):
    """Create (all fields) and edit (no track; with effective date and reason)."""

    def __init__(self, *args, user, instance: Organization | None = None, **kwargs):
        self.user = user
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(instance)
        super().__init__(*args, **kwargs)
        fields = forms.fields_for_model(Organization, fields=ORG_FIELDS)
        for name in ORG_FIELDS:
            self.fields[name] = fields[name]
        for name in ("founded_on", "registered_on", "filed_on"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["business_scope"].widget = forms.Textarea(attrs={"rows": 3})
        self.fields["tier"].required = False
        self.fields["tier"].help_text = "登记类组织为“依法登记”；留空时按管理方式自动确定。"
        self.fields["tier"].choices = [("", "按管理方式自动确定"), *self.fields["tier"].choices[1:]]
        self.fields["credit_code"].help_text = "18位，登记类组织必填；备案类组织不填。"
        self.fields["registered_capital"].help_text = (
            "登记类社会团体、社会服务机构必填；下限按所在省份的登记规则（如广西不低于2000元，文件001），基金会除外。")
        self.fields["division"] = DivisionCodeField(
            label="所在社区（区划）代码", queryset=Division.objects.visible_to(user),
            help_text="输入名称或代码的前几位后从列表选择；备案类组织须为社区（村）。",
            widget=SearchSelect("regions.divisions", user=user, placeholder="输入社区名称或区划代码"),
        )
        self.fields["registration_authority"] = AuthorityChoiceField(
            label="登记管理机关", required=False, empty_label="（请选择；备案类组织不填）",
            queryset=authority_queryset(user, current=instance.registration_authority if instance else None),
            help_text="登记类组织必填：组织所在县（区）负责登记的机关，或登记它的市级、省级民政部门、民政部。"
                      "备案类组织的备案机关为所在街道（乡镇），不填。",
        )
        # picked by typing, narrowed to the bodies that may register in the division chosen above; the
        # field's queryset still decides on the server what may be submitted
        search_select(self.fields["registration_authority"], "regions.authorities", user=user,
                      forward=("division",), placeholder="输入登记管理机关名称")
        self.fields["categories"] = forms.ModelMultipleChoiceField(
            label="类别", queryset=Category.objects.filter(is_active=True), required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["service_targets"] = forms.ModelMultipleChoiceField(
            label="服务对象", queryset=ServiceTarget.objects.filter(is_active=True), required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["venue"] = forms.ModelChoiceField(
            label="活动场所", queryset=Venue.objects.visible_to(user), required=False, empty_label="（无）",
            widget=SearchSelect("orgs.venues", placeholder="输入场所名称或地址"),
        )
        self.fields["incubated_by"] = forms.ModelChoiceField(
            label="孵化基地", queryset=IncubationBase.objects.visible_to(user), required=False, empty_label="（无）",
            widget=SearchSelect("orgs.incubation_bases", placeholder="输入基地名称"),
        )
        self.fields["is_community_org"] = forms.ChoiceField(
            label="社区社会组织", choices=COMMUNITY_CHOICES, required=False,
            help_text="县级及以下登记且扎根社区的社会团体、社会服务机构，以及全部备案组织；基金会不是。",
        )
        self.fields["tags"] = forms.CharField(label="标签", required=False, help_text="多个标签用逗号或顿号分隔。")
        if instance is not None:
            del self.fields["track"]
            self.fields["is_community_org"].choices = COMMUNITY_CHOICES[1:]
            self.fields["effective_date"] = forms.DateField(
                label="变更生效日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                help_text="所在社区、类别、党建情况等变更的生效日期，默认今天；用于按日期统计。",
            )
            self.fields["reason"] = forms.CharField(label="变更说明", required=False, max_length=200)
        _style(self)

    SECTIONS = [
        ("名称与类型", ["name", "track", "org_type", "tier", "is_community_org", "is_hub"]),
        ("登记（备案）", ["credit_code", "registration_authority", "supervising_unit", "registered_on",
                       "filed_on", "founded_on", "registered_capital", "financial_custody", "business_scope"]),
        ("所在地与联系", ["division", "address", "venue", "contact_name", "contact_phone", "member_count"]),
        ("类别、服务对象与党建", ["categories", "service_targets", "party_building", "incubated_by", "tags"]),
    ]

    def sections(self):
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in self.SECTIONS]

    def change_fields(self):
        return [self[name] for name in ("effective_date", "reason") if name in self.fields]

    @staticmethod
    def initial_for(org: Organization) -> dict:
        initial = {name: getattr(org, name) for name in ORG_FIELDS}
        initial.update(
            division=org.division_id,
            registration_authority=org.registration_authority_id,
            categories=list(org.categories.all()),
            service_targets=list(org.service_targets.all()),
            venue=org.venue_id,
            incubated_by=org.incubated_by_id,
            is_community_org="yes" if org.is_community_org else "no",
            tags="、".join(org.tags or []),
        )
        return initial

    def clean_tags(self):
        text = self.cleaned_data.get("tags") or ""
        for sep in ("，", "、", ";", "；"):
            text = text.replace(sep, ",")
        return [t.strip() for t in text.split(",") if t.strip()]

    def clean_effective_date(self):
        value = self.cleaned_data.get("effective_date")
        if value and value > date.today():
            raise ValidationError("生效日期不能晚于今天。")
        return value

    def service_data(self) -> dict:
        """Values for services.create_organization / update_organization."""
        data = dict(self.cleaned_data)
        data.pop("effective_date", None)
        data.pop("reason", None)
        community = data.pop("is_community_org", "")
        if community:
            data["is_community_org"] = community == "yes"
        if not data.get("tier"):
            data.pop("tier", None)
        data["credit_code"] = (data.get("credit_code") or "").strip() or None
        for key in ("member_count", "registered_capital", "founded_on", "registered_on", "filed_on"):
            if data.get(key) in ("",):
                data[key] = None
        return data

    def changes(self) -> dict:
        """Only what differs from the current record (the history then shows real changes)."""
        data = self.service_data()
        initial = self.initial_for(self.instance)
        out = {}
        for key, value in data.items():
            old = initial.get(key)
            if key in ("division", "registration_authority", "venue", "incubated_by"):
                new_key = getattr(value, "pk", value)
                if (new_key or None) != (old or None):
                    out[key] = value
            elif key in ("categories", "service_targets"):
                if {o.pk for o in value} != {o.pk for o in old}:
                    out[key] = list(value)
            elif key == "is_community_org":
                if value != (old == "yes"):
                    out[key] = value
            elif key == "tags":
                if sorted(value) != sorted(self.instance.tags or []):
                    out[key] = value
            elif value != old and not (value in (None, "") and old in (None, "")):
                out[key] = value
        return out


class LeaderForm(forms.Form):
    leader_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="姓名", max_length=50, required=False)
    role = forms.ChoiceField(label="职务", choices=LeaderRole.choices, initial=LeaderRole.HEAD)
    id_number = forms.CharField(label="身份证号码", max_length=18, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    is_party_member = forms.BooleanField(label="中共党员", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput | forms.HiddenInput):
                field.widget.attrs["class"] += " form-control-sm" if "control" in field.widget.attrs["class"] \
                    else " form-select-sm"

    def clean(self):
        data = super().clean()
        filled = any(data.get(k) for k in ("id_number", "phone"))
        if not data.get("name") and filled and not data.get("DELETE"):
            self.add_error("name", "请填写负责人姓名。")
        return data

    @property
    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("name") or self.cleaned_data.get("leader_id"))

    def leader_data(self) -> dict:
        return {k: self.cleaned_data.get(k) or v for k, v in
                (("name", ""), ("role", LeaderRole.HEAD), ("id_number", ""), ("phone", ""))} | {
            "is_party_member": bool(self.cleaned_data.get("is_party_member"))}


LeaderFormSet = forms.formset_factory(LeaderForm, extra=2, can_delete=True, max_num=30)


def leader_initial(org: Organization) -> list[dict]:
    return [
        {"leader_id": leader.pk, "name": leader.name, "role": leader.role, "id_number": leader.id_number,
         "phone": leader.phone, "is_party_member": leader.is_party_member}
        for leader in org.leaders.all()
    ]


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label="新状态", choices=Status.choices)
    effective_date = forms.DateField(label="生效日期",
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label="原因", widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             help_text="如年检结论、执法决定文号、清理依据等。")

    def __init__(self, *args, org: Organization, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .choices import TRANSITIONS

        if allowed is None:
            allowed = TRANSITIONS.get(Status(org.status), set())
        self.fields["to_status"].choices = [(s.value, s.label) for s in Status if s in allowed]
        _style(self)


class CorrectionForm(forms.Form):
    """更正 a wrong status change (services.correct_status)."""

    reason = forms.CharField(label="更正原因", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="如“误将该组织注销，实际仍在活动”，并注明依据。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class GuidanceForm(forms.Form):
    text = forms.CharField(label="指导意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class MemberForm(forms.Form):
    member = forms.CharField(label="会员组织标识或统一社会信用代码", max_length=32)
    joined_on = forms.DateField(label="加入日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class LinkForm(forms.Form):
    username = forms.CharField(label="账号（用户名）", max_length=150,
                               help_text="本辖区内的社会组织账号或孵化基地运营方账号。")
    role = forms.ChoiceField(label="身份", choices=[("head", "负责人"), ("liaison", "联络员")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class RegistryRulesForm(forms.Form):
    min_registered_capital = forms.DecimalField(
        label="注册资金下限（元）", required=False, min_value=0, max_digits=12, decimal_places=2,
        help_text="社区社会组织（基金会除外）登记时的注册资金下限；空为不设（广西：2000元，种子文件001）。")
    federation_min_members = forms.IntegerField(
        label="街道（乡镇）联合会会员数下限", required=False, min_value=1,
        help_text="空为不设（广西：30个，种子文件001）。")
    filing_level = forms.TypedChoiceField(
        label="备案机关", coerce=int, choices=[(3, "县级民政局"), (4, "街道办事处（乡镇人民政府）")],
        help_text="RULES.md：上海为街道，其他地方多为县级民政局。")
    simplified_deregistration = forms.BooleanField(
        label="允许简易注销", required=False,
        help_text="没有剩余财产、没有债权债务的组织可简易注销，少交材料（种子文件002）。")
    reason = forms.CharField(label="修改说明", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class RegisterForm(forms.Form):
    """A filed group obtains legal-person registration (services.register_filed_group)."""

    credit_code = forms.CharField(label="统一社会信用代码", max_length=20)
    org_type = forms.ChoiceField(
        label="组织类型", choices=[(OrgType.SOCIAL_GROUP.value, OrgType.SOCIAL_GROUP.label),
                                (OrgType.SOCIAL_SERVICE.value, OrgType.SOCIAL_SERVICE.label)],
    )
    registered_on = forms.DateField(label="登记日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    registration_authority = AuthorityChoiceField(
        label="登记管理机关", queryset=Authority.objects.none(),
        help_text="组织所在县（区）负责登记的机关，或登记它的市级、省级民政部门、民政部。",
    )
    registered_capital = forms.DecimalField(label="注册资金（元）", min_value=0, max_digits=16, decimal_places=2)
    reason = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, org: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration_authority"].queryset = authority_queryset(None, org.division)
        _style(self)


__all__ = ["CorrectionForm", "GuidanceForm", "Leader", "LeaderFormSet", "LinkForm", "MemberForm", "OrganizationForm",
           "RegisterForm", "RegistryRulesForm", "StatusForm", "apply_errors"]
