"""Forms of cultivation's support side."""

from __future__ import annotations

from django import forms

from cso.core.widgets import SearchSelect
from cso.orgs.forms import DivisionCodeField
from cso.orgs.models import Category, Organization
from cso.regions.models import Division

from .choices import OFFERS, FacilityType, PlaceKind, PlannedTrack, ServiceKind
from .models import Place, Room


def _styled(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


def _division_field(user, label="所在区划", help_text="输入名称或代码的前几位后从列表选择。"):
    return DivisionCodeField(label=label, queryset=Division.objects.visible_to(user), help_text=help_text,
                             widget=SearchSelect("regions.divisions", user=user, placeholder="输入名称或区划代码"))


class PlaceForm(forms.ModelForm):
    offers = forms.MultipleChoiceField(label="提供服务", choices=OFFERS, required=False,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Place
        fields = ["kind", "level", "facility_type", "name", "division", "address", "area", "opening_hours", "offers",
                  "capacity", "free_of_charge", "operator", "opened_on", "closed_on", "notes"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"] = _division_field(user)
        if self.instance.pk:
            self.initial["division"] = self.instance.division_id
            self.initial["offers"] = self.instance.offer_codes
            if self.instance.base_id:  # a base stays a base: the registry refers to it
                self.fields["kind"].choices = [(PlaceKind.BASE, PlaceKind.BASE.label)]
        self.fields["operator"].queryset = Organization.objects.visible_to(user).live().order_by("name")
        self.fields["operator"].widget = SearchSelect("support.organizations", field=self.fields["operator"], user=user,
                                                      placeholder="输入组织名称搜索（可不填）")
        self.fields["opened_on"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["closed_on"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["facility_type"].choices = [("", "（非社区设施）"), *FacilityType.choices]
        _styled(self)

    def clean_offers(self):
        codes = self.cleaned_data.get("offers") or []
        return f",{','.join(codes)}," if codes else ""

    def clean(self):
        data = super().clean()
        opened, closed = data.get("opened_on"), data.get("closed_on")
        if opened and closed and closed < opened:
            self.add_error("closed_on", "停用日期不能早于建成（启用）日期。")
        return data


class PhotoForm(forms.Form):
    photo = forms.FileField(label="照片（JPEG 或 PNG）")
    caption = forms.CharField(label="说明", max_length=100, required=False)


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "capacity", "opens_at", "closes_at", "bookable", "notes"]
        widgets = {"opens_at": forms.TimeInput(attrs={"type": "time"}),
                   "closes_at": forms.TimeInput(attrs={"type": "time"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class _IntakeFields(forms.Form):
    group_name = forms.CharField(label="团队（拟定）名称", max_length=200)
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=30)
    planned_category = forms.ModelChoiceField(label="拟定类别", queryset=Category.objects.filter(is_active=True),
                                              required=False, empty_label="（暂不选择）")
    planned_track = forms.ChoiceField(label="出壳后拟办理", choices=PlannedTrack.choices, initial=PlannedTrack.FILED)
    member_count = forms.IntegerField(label="成员人数", min_value=1, max_value=100000, required=False)
    activity = forms.CharField(label="主要活动", max_length=300, required=False)

    def _setup(self, user):
        self.fields["division"] = _division_field(user, "所在社区（村）", "团队活动所在的社区（村）。")
        bases = Place.objects.visible_to(user).filter(kind=PlaceKind.BASE).order_by("level", "name")
        self.fields["base"] = forms.ModelChoiceField(label="孵化基地", queryset=bases, required=False,
                                                     empty_label="（由街道或基地安排）")
        self.order_fields(["base", "division"])


class IntakeApplyForm(_IntakeFields):
    """A group's own account asks to be incubated."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup(user)
        linked = Organization.objects.filter(account_links__user=user).order_by("name")
        self.fields["organization"] = forms.ModelChoiceField(
            label="已成立的组织", queryset=linked, required=False, empty_label="（尚未备案或登记的团队）")
        if user is not None and user.division_id:
            self.fields["division"].initial = user.division_id
        _styled(self)


class IntakePlaceForm(_IntakeFields):
    """The street (bureau, operator) places a group into a base."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup(user)
        self.fields["base"].queryset = Place.placeable_by(user).select_related("division").order_by("level", "name")
        self.fields["base"].label_from_instance = lambda p: f"{p.name}（{p.get_level_display()}，{p.division.name}）"
        self.fields["base"].required = True
        self.fields["base"].empty_label = None
        self.fields["base"].help_text = "可选择本街道的基地，也可选择服务本街道的县（区）级基地。"
        self.fields["organization"] = forms.ModelChoiceField(
            label="已成立的组织", queryset=Organization.objects.visible_to(user).live(), required=False,
            widget=SearchSelect("support.organizations", user=user, placeholder="已成立的组织（可不填）"))
        self.fields["account_username"] = forms.CharField(
            label="团队账号（用户名或手机号码）", required=False, max_length=150,
            help_text="团队已注册组织账号的，填写后由该账号出壳办理备案或登记。")
        _styled(self)

    def clean_account_username(self):
        from django.contrib.auth import get_user_model

        value = (self.cleaned_data.get("account_username") or "").strip()
        if not value:
            return None
        account = get_user_model().objects.filter(role="organization", is_active=True).filter(
            username=value).first() or get_user_model().objects.filter(
            role="organization", is_active=True, phone=value).first()
        if account is None:
            raise forms.ValidationError("没有该组织账号。")
        return account


class MilestoneForm(forms.Form):
    title = forms.CharField(label="节点", max_length=200)
    due_on = forms.DateField(label="计划完成日期", widget=forms.DateInput(attrs={"type": "date"}))


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label="服务类别", choices=ServiceKind.choices)
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label="内容", max_length=300)
    amount = forms.DecimalField(label="金额（元）", min_value=0, max_digits=12, decimal_places=2, required=False)
    hours = forms.DecimalField(label="时长（小时）", min_value=0, max_digits=6, decimal_places=1, required=False)


class BookingForm(forms.Form):
    organization = forms.ModelChoiceField(label="组织", queryset=Organization.objects.none(), empty_label=None)
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label="开始时间", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="结束时间", widget=forms.TimeInput(attrs={"type": "time"}))
    purpose = forms.CharField(label="活动内容", max_length=200)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(account_links__user=user).live()
        _styled(self)
