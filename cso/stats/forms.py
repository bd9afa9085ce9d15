"""Forms of the statistics pages: what to compute (division, day, period), the community list
filters, and the target and urban-rule settings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms

from cso.regions import codes

from .choices import SHARE_TARGETS, TARGET_UNITS, BaseLevels, TargetKey, UrbanRule
from .indicators import quarter_bounds, quarter_of

SELECT = {"class": "form-select form-select-sm"}
TEXT = {"class": "form-control form-control-sm"}
YES_NO = [("", "全部"), ("yes", "是"), ("no", "否")]
MAX_VALUE = Decimal("99999999.99")


def quarter_choices(today: date | None = None, years: int = 6) -> list[tuple[str, str]]:
    today = today or date.today()
    year, quarter = quarter_of(today)
    found = [("", "按截至日期")]
    for _ in range(years * 4):
        found.append((f"{year}-{quarter}", f"{year}年第{'一二三四'[quarter - 1]}季度"))
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return found


def clean_division_code(value: str) -> str:
    value = (value or "").strip()
    if value in ("", "0" * codes.CODE_LENGTH):
        return ""
    if value.isdigit() and len(value) < codes.CODE_LENGTH:
        value = value.ljust(codes.CODE_LENGTH, "0")
    if not codes.is_valid_code(value):
        raise forms.ValidationError("区划代码应为12位数字。")
    return value


class PeriodForm(forms.Form):
    """Which division, which day and which period. A quarter sets both: its last day (or today, for
    the current quarter) and its first day as the period start."""

    division = forms.CharField(label="区划代码", required=False, max_length=12,
                               widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric",
                                                             "placeholder": "默认本账号所属区划"}))
    quarter = forms.ChoiceField(label="统计季度", required=False, widget=forms.Select(attrs=SELECT))
    as_of = forms.DateField(label="截至日期", required=False,
                            widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"))
    period_start = forms.DateField(label="本期起始日", required=False,
                                   widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"),
                                   help_text="默认为截至日期所在季度的第一天。")

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or date.today()
        self.fields["quarter"].choices = quarter_choices(self.today)

    def clean_division(self):
        return clean_division_code(self.cleaned_data.get("division"))

    def clean_as_of(self):
        day = self.cleaned_data.get("as_of")
        if day and day > self.today:
            raise forms.ValidationError("截至日期不能晚于今天。")
        if day and day.year < 1990:
            raise forms.ValidationError("截至日期过早。")
        return day

    def clean(self):
        data = super().clean()
        start, day = data.get("period_start"), data.get("as_of") or self.today
        if start and not data.get("quarter") and start > day:
            self.add_error("period_start", "本期起始日不能晚于截至日期。")
        return data

    def period(self) -> tuple[date, date]:
        """(day, period_start) from valid data."""
        data = self.cleaned_data if self.is_valid() else {}
        quarter = data.get("quarter")
        if quarter:
            year, q = (int(x) for x in quarter.split("-"))
            start, end = quarter_bounds(year, q)
            return min(end, self.today), start
        day = data.get("as_of") or self.today
        return day, data.get("period_start") or quarter_bounds(*quarter_of(day))[0]


class CommunityFilterForm(PeriodForm):
    URBAN = [("", "全部"), ("urban", "城市社区"), ("rural", "农村社区")]
    SORTS = [("gap", "差距从大到小"), ("-gap", "差距从小到大"), ("cso", "组织数从多到少"), ("code", "区划代码")]

    urban = forms.ChoiceField(label="城乡", choices=URBAN, required=False, widget=forms.Select(attrs=SELECT))
    at_target = forms.ChoiceField(label="组织数达标", choices=YES_NO, required=False,
                                  widget=forms.Select(attrs=SELECT))
    facility_ok = forms.ChoiceField(label="设施面积达标", choices=YES_NO, required=False,
                                    widget=forms.Select(attrs=SELECT))
    sort = forms.ChoiceField(label="排序", choices=SORTS, required=False, widget=forms.Select(attrs=SELECT))

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}

        def yes_no(value):
            return {"yes": True, "no": False}.get(value or "")

        return {
            "urban": data.get("urban") or None,
            "at_target": yes_no(data.get("at_target")),
            "facility_ok": yes_no(data.get("facility_ok")),
            "sort": data.get("sort") or "gap",
        }


def validate_target_value(key: str, value: Decimal | None) -> list[str]:
    """Messages for a target value (empty when valid): numbers ≥ 0, shares 0–100, base counts whole."""
    if value is None:
        return ["请填写目标值。"]
    errors = []
    if not value.is_finite():
        return ["目标值应为数字。"]
    if value < 0:
        errors.append("目标值不能为负数。")
    if value > MAX_VALUE:
        errors.append("目标值过大。")
    if key in SHARE_TARGETS and value > 100:
        errors.append("比例类目标应在 0 到 100（%）之间。")
    if key in (TargetKey.INCUBATION_BASES_MIN, TargetKey.INCUBATION_BASES_MAX) and value != value.to_integral():
        errors.append("孵化基地数应为整数。")
    if value.as_tuple().exponent < -2:
        errors.append("目标值最多保留两位小数。")
    return errors


class TargetForm(forms.Form):
    """Set (or clear) one target of one division and year."""

    key = forms.ChoiceField(label="指标", choices=TargetKey.choices, widget=forms.Select(attrs=SELECT))
    value = forms.DecimalField(label="目标值", required=False, max_digits=12, decimal_places=4,
                               widget=forms.NumberInput(attrs={**TEXT, "step": "0.01", "min": "0"}))
    note = forms.CharField(label="说明（依据）", required=False, max_length=200,
                           widget=forms.TextInput(attrs={**TEXT, "placeholder": "如：市政府文件名称及文号"}))
    clear = forms.BooleanField(label="取消本级设定（恢复继承）", required=False)

    def __init__(self, *args, effective: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.effective = effective or {}

    def clean(self):
        data = super().clean()
        if data.get("clear") or "key" not in data:
            return data
        key, value = data["key"], data.get("value")
        for message in validate_target_value(key, value):
            self.add_error("value", message)
        if self.errors:
            return data
        low_key, high_key = TargetKey.INCUBATION_BASES_MIN, TargetKey.INCUBATION_BASES_MAX
        if key in (low_key, high_key):
            other_key = high_key if key == low_key else low_key
            other = self.effective.get(other_key)
            if other is not None:
                low, high = (value, other.value) if key == low_key else (other.value, value)
                if low > high:
                    self.add_error("value", f"孵化基地数下限（{low}）不能大于上限（{high}）。")
        data["unit"] = TARGET_UNITS[TargetKey(key)]
        return data


class UrbanRuleForm(forms.Form):
    urban_rule = forms.ChoiceField(label="城市社区口径", choices=UrbanRule.choices,
                                   widget=forms.RadioSelect(attrs={"class": "form-check-input"}))


class BaseLevelsForm(forms.Form):
    base_levels = forms.ChoiceField(label="孵化基地计数口径", choices=BaseLevels.choices,
                                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
