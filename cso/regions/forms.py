"""Forms of the regions pages. ``DivisionFiguresForm`` also validates the figures API."""

from decimal import Decimal

from django import forms

from .models import Division
from .services import FACILITY_AREA_MAX

# A residents' or villagers' committee rarely exceeds 100,000 residents; a city far more. The
# bound only stops typos (an extra zero), not real large units.
POPULATION_MAX = 50_000_000


def _int_messages(label: str, unit: str) -> dict:
    return {
        "required": f"请填写{label}。",
        "invalid": f"{label}应为整数（单位：{unit}），不要带小数点、逗号或文字。",
        "min_value": f"{label}不能为负数。",
        "max_value": f"{label}超过合理范围（%(limit_value)s），请核实。",
    }


class DivisionFiguresForm(forms.Form):
    """Population, households and facility area of one division, with Chinese messages.

    A plain form (not a ModelForm) so that an invalid submission never touches the instance.
    """

    population = forms.IntegerField(
        label="常住人口（人）",
        min_value=0,
        max_value=POPULATION_MAX,
        error_messages=_int_messages("常住人口", "人"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 1}),
    )
    households = forms.IntegerField(
        label="户数（户）",
        min_value=0,
        max_value=POPULATION_MAX,
        error_messages=_int_messages("户数", "户"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 1}),
    )
    facility_area = forms.DecimalField(
        label="社区综合服务设施面积（㎡）",
        required=False,
        min_value=Decimal("0"),
        max_value=FACILITY_AREA_MAX,
        max_digits=12,
        decimal_places=2,
        help_text="单位为平方米，可保留两位小数；没有设施或暂不掌握可留空。",
        error_messages={
            "invalid": "设施面积应为数字（单位：平方米）。",
            "min_value": "设施面积不能为负数。",
            "max_value": "设施面积超过 100,000 ㎡，请核实单位是否为平方米。",
            "max_digits": "设施面积数字过长，请核实。",
            "max_decimal_places": "设施面积最多保留两位小数。",
            "max_whole_digits": "设施面积数字过长，请核实。",
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "min": 0, "step": "0.01"}),
    )
    reason = forms.CharField(
        label="变更说明",
        required=False,
        max_length=200,
        help_text="例如：2025年入户摸底数据。留空时记为“工作人员填报”。",
        error_messages={"max_length": "变更说明不能超过 %(limit_value)d 个字。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    @classmethod
    def initial_for(cls, division: Division) -> dict:
        return {
            "population": division.population,
            "households": division.households,
            "facility_area": division.facility_area,
        }

    def clean(self):
        cleaned = super().clean()
        population = cleaned.get("population")
        households = cleaned.get("households")
        if population is not None and households is not None and households > population:
            self.add_error("households", "户数不能多于常住人口，请核实。")
        return cleaned
