"""One filter definition per list: accounts, sign-ins, account history, division history."""

import django_filters
from django import forms
from django.db.models import Q

from cso.regions import codes
from cso.regions.models import Division

from .choices import Role
from .models import SignInEvent, User

ACTIVE_CHOICES = [("1", "启用"), ("0", "停用")]
SUCCESS_CHOICES = [("1", "成功"), ("0", "失败")]


def _text(placeholder):
    return forms.TextInput(attrs={"class": "form-control", "placeholder": placeholder})


def _select():
    return forms.Select(attrs={"class": "form-select"})


def _date():
    return forms.DateInput(attrs={"class": "form-control", "type": "date"})


def division_prefix(value: str) -> str | None:
    """A code prefix from what was typed: a full 12-digit code becomes its subtree prefix."""
    value = (value or "").strip()
    if not value.isdigit():
        return None
    if len(value) == codes.CODE_LENGTH:
        try:
            return codes.prefix_of(value, codes.level_of(value))
        except codes.CodeError:
            return None
    return value


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索", widget=_text("用户名、姓名或手机号"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label="角色", empty_label="全部角色",
                                       widget=_select())
    division = django_filters.CharFilter(method="in_division", label="区划代码",
                                         widget=_text("区划代码（含下级）"))
    active = django_filters.ChoiceFilter(choices=ACTIVE_CHOICES, method="by_active", label="状态",
                                         empty_label="全部状态", widget=_select())

    class Meta:
        model = User
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(username__icontains=value) | Q(full_name__icontains=value) | Q(phone__contains=value)
        )

    def in_division(self, queryset, name, value):
        prefix = division_prefix(value)
        if prefix is None:
            return queryset.none() if value.strip() else queryset
        return queryset.within(prefix)

    def by_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")


class DateRangeMixin(django_filters.FilterSet):
    date_from = django_filters.DateFilter(method="from_date", label="开始日期", widget=_date())
    date_to = django_filters.DateFilter(method="to_date", label="结束日期", widget=_date())

    date_field = "created_at"

    def from_date(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__date__gte": value})

    def to_date(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__date__lte": value})


class SignInFilterSet(DateRangeMixin):
    username = django_filters.CharFilter(field_name="username", lookup_expr="icontains", label="用户名",
                                         widget=_text("用户名"))
    success = django_filters.ChoiceFilter(choices=SUCCESS_CHOICES, method="by_success", label="结果",
                                          empty_label="全部结果", widget=_select())

    class Meta:
        model = SignInEvent
        fields = []

    def by_success(self, queryset, name, value):
        return queryset.filter(success=value == "1")


class UserHistoryFilterSet(DateRangeMixin):
    username = django_filters.CharFilter(method="by_username", label="账号或操作人",
                                         widget=_text("账号或操作人用户名"))

    date_field = "history_date"

    class Meta:
        model = User.history.model
        fields = []

    def by_username(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(username__icontains=value) | Q(history_user__username__icontains=value))


class DivisionHistoryFilterSet(DateRangeMixin):
    q = django_filters.CharFilter(method="by_division", label="区划", widget=_text("区划名称或代码"))
    username = django_filters.CharFilter(field_name="history_user__username", lookup_expr="icontains",
                                         label="操作人", widget=_text("操作人用户名"))

    date_field = "history_date"

    class Meta:
        model = Division.history.model
        fields = []

    def by_division(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(code__startswith=value)
        return queryset.filter(name__icontains=value)
