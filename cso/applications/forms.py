"""The forms of the application kinds (short, for a phone)."""

from __future__ import annotations

from django import forms

from cso.orgs.choices import FILED_TYPES, OrgType
from cso.orgs.models import Category
from cso.regions import codes
from cso.regions.models import Division

PARTY_REPORTED = [
    ("yes", "已全部到社区报到"),
    ("partly", "部分已报到"),
    ("no", "尚未报到"),
    ("none", "团队中没有党员"),
]


class FilingForm(forms.Form):
    """备案 of a 群众活动团队 / 社区活动小组 (seed 002; RULES.md: what a filing holds)."""

    division = forms.ChoiceField(label="所在社区", help_text="团队活动所在的社区（村）")
    name = forms.CharField(label="团队名称", max_length=200, help_text="如“兴宁社区太极拳队”")
    org_type = forms.ChoiceField(label="类型", choices=[(t, OrgType(t).label) for t in FILED_TYPES],
                                 initial=OrgType.ACTIVITY_TEAM)
    leader_name = forms.CharField(label="负责人姓名", max_length=50)
    leader_phone = forms.CharField(label="负责人电话", max_length=30)
    member_count = forms.IntegerField(label="成员人数", min_value=1, max_value=100000)
    activity = forms.CharField(label="活动内容", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    schedule = forms.CharField(label="活动时间", max_length=200, help_text="如“每周二、四上午8点”")
    place = forms.CharField(label="活动地点", max_length=300)
    category = forms.ChoiceField(label="类别", required=False)
    party_reported = forms.ChoiceField(
        label="党员到社区报到情况", choices=PARTY_REPORTED,
        help_text="种子文件003：社会组织党员到社区报到和参加社区活动情况是备案核查的重要内容。")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        communities = Division.objects.visible_to(user).filter(level=codes.COMMUNITY).order_by("code")
        self.fields["division"].choices = [(d.code, d.name) for d in communities]
        if user is not None and user.division_id and user.division.level == codes.COMMUNITY:
            self.fields["division"].initial = user.division_id
        self.fields["category"].choices = [("", "（暂不选择）")] + [
            (c.code, c.name) for c in Category.objects.filter(is_active=True).order_by("order", "bit")]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-lg" if isinstance(
                field.widget, forms.Select) else "form-control form-control-lg")
