"""The one filter definition for divisions: the search page and the API list both use it."""

import django_filters
from django import forms

from . import codes
from .choices import Level
from .models import Division


def looks_like_code(text: str) -> bool:
    return text.isdigit() and len(text) <= codes.CODE_LENGTH


class DivisionFilter(django_filters.FilterSet):
    """Filters a queryset that is already scoped with ``Division.objects.visible_to(user)``.

    ``q`` matches a name substring, or a code prefix when it is all digits (a code range, so the
    primary-key index answers it). Abolished divisions are left out unless asked for.
    """

    q = django_filters.CharFilter(
        label="名称或代码",
        method="filter_q",
        widget=forms.TextInput(
            attrs={"placeholder": "名称中的字词，或区划代码前几位", "autocomplete": "off", "class": "form-control"}
        ),
    )
    level = django_filters.ChoiceFilter(
        label="层级",
        choices=Level.choices,
        empty_label="全部层级",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    parent = django_filters.CharFilter(label="上级区划代码", method="filter_parent", widget=forms.HiddenInput)
    include_abolished = django_filters.BooleanFilter(
        label="包含已撤销的区划",
        method="filter_include_abolished",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = Division
        fields = ["q", "level", "parent", "include_abolished"]

    def filter_q(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        if looks_like_code(text):
            low, high = codes.subtree_bounds(text)
            return queryset.filter(code__gte=low, code__lte=high)
        return queryset.filter(name__contains=text)

    def filter_parent(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        try:
            parent = codes.pad_code(value)
        except codes.CodeError:
            return queryset.none()
        return queryset.filter(parent_id=parent)

    def filter_include_abolished(self, queryset, name, value):
        return queryset  # applied in filter_queryset, because the default (unset) must also act

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("include_abolished"):
            queryset = queryset.current()
        return queryset.order_by("code")

    @property
    def has_criteria(self) -> bool:
        """Whether the user asked for anything (an empty search lists nothing)."""
        if not self.is_bound:
            return False
        self.form.is_valid()
        data = self.form.cleaned_data
        return bool((data.get("q") or "").strip() or data.get("level") or (data.get("parent") or "").strip())
