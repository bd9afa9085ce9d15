"""The one filter definition of the registry: the HTML list, the API and the export all use it,
so the table a user sees is the table they export.

The queryset given is already scoped (``Organization.objects.visible_to(user)``). With ``as_of``
the facts (status, division, track, type, tier, categories, targets, party building, incubation,
hub, community organization) are read from the span table as of that date instead of the current
record — the statistics pages link here with their date.
"""

from __future__ import annotations

import django_filters
from django import forms

from cso.core.models import ImportJob
from cso.core.scoping import subtree_q
from cso.core.widgets import SearchSelect
from cso.regions import codes

from . import queries
from .choices import LIVE_STATUSES, OrgType, PartyBuilding, Status, Tier, Track
from .models import Category, HubMembership, OrgStateSpan, ServiceTarget

SELECT = {"class": "form-select form-select-sm"}
TEXT = {"class": "form-control form-control-sm"}
YES_NO = [("yes", "是"), ("no", "否")]
HUB_CHOICES = [("hub", "枢纽型组织"), ("member", "枢纽组织的成员"), ("none", "都不是")]


def division_prefix(value: str) -> str | None:
    """A code prefix from a 12-digit code (its subtree) or a shorter digit prefix; None if invalid."""
    value = (value or "").strip()
    if not value.isdigit() or len(value) > codes.CODE_LENGTH:
        return None
    if len(value) == codes.CODE_LENGTH:
        return codes.prefix_of(value, codes.level_of(value)) if value != "0" * 12 else None
    return value


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="检索", method="filter_q",
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "名称、拼音或首字母、信用代码、负责人", "type": "search",
                                      "autocomplete": "off"}),
    )
    division = django_filters.CharFilter(
        label="区划", method="filter_division",
        widget=SearchSelect("regions.divisions", create=True, placeholder="区划名称、12位代码或前几位",
                            attrs=SELECT),
    )
    own = django_filters.ChoiceFilter(
        label="仅本级", choices=[("yes", "仅本级（不含下级区划）")], empty_label="含下级区划", method="filter_noop",
        widget=forms.Select(attrs=SELECT),
        help_text="与区划代码一起使用：只列直接登记在该区划本级的组织（如县级登记的社会组织）。",
    )
    track = django_filters.ChoiceFilter(label="管理方式", choices=Track.choices, empty_label="全部",
                                        method="filter_fact", widget=forms.Select(attrs=SELECT))
    org_type = django_filters.ChoiceFilter(label="组织类型", choices=OrgType.choices, empty_label="全部",
                                           method="filter_fact", widget=forms.Select(attrs=SELECT))
    tier = django_filters.ChoiceFilter(label="管理层级", choices=Tier.choices, empty_label="全部",
                                       method="filter_fact", widget=forms.Select(attrs=SELECT))
    category = django_filters.ModelChoiceFilter(
        label="类别", queryset=Category.objects.all(), to_field_name="code", empty_label="全部",
        method="filter_category", widget=forms.Select(attrs=SELECT),
    )
    target = django_filters.ModelChoiceFilter(
        label="服务对象", queryset=ServiceTarget.objects.all(), to_field_name="code", empty_label="全部",
        method="filter_target", widget=forms.Select(attrs=SELECT),
    )
    status = django_filters.ChoiceFilter(label="状态", choices=[("live", "存续（正常、异常、停止活动）"),
                                                              *Status.choices],
                                         empty_label="全部", method="filter_status",
                                         widget=forms.Select(attrs=SELECT))
    party_building = django_filters.ChoiceFilter(
        label="党建情况", choices=[("any", "已建立或有党建指导员、联络员"), *PartyBuilding.choices], empty_label="全部",
        method="filter_party", widget=forms.Select(attrs=SELECT),
    )
    incubated = django_filters.ChoiceFilter(label="经孵化", choices=YES_NO, empty_label="全部",
                                            method="filter_incubated", widget=forms.Select(attrs=SELECT))
    hub = django_filters.ChoiceFilter(label="枢纽组织", choices=HUB_CHOICES, empty_label="全部",
                                      method="filter_hub", widget=forms.Select(attrs=SELECT))
    community = django_filters.ChoiceFilter(label="社区社会组织", choices=YES_NO, empty_label="全部",
                                            method="filter_community", widget=forms.Select(attrs=SELECT))
    as_of = django_filters.DateFilter(
        label="截至日期", method="filter_as_of",
        widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"),
        help_text="按该日的状态、区划、类别等筛选（历史统计口径）。",
    )
    sort = django_filters.ChoiceFilter(label="排序", choices=queries.SORT_CHOICES, empty_label=None,
                                       method="filter_noop", widget=forms.Select(attrs=SELECT))

    class Meta:
        fields = []

    # Filters whose facts also live in the span table, and the span fields they use there.
    SPAN_FACTS = {"track": "track", "org_type": "org_type", "tier": "tier"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._spans = None  # the span queryset when as_of is given
        # The division drop-down names the chosen division from what the user may see.
        self.form.fields["division"].widget.user = getattr(self.request, "user", None)

    # --- plumbing ------------------------------------------------------------------------
    @property
    def as_of_date(self):
        return self.form.cleaned_data.get("as_of") if self.form.is_valid() else None

    @property
    def sort_order(self) -> queries.Sort:
        if not self.is_bound:
            return queries.get_sort(None)
        return queries.get_sort(self.data.get("sort"))

    def filter_queryset(self, queryset):
        day = self.form.cleaned_data.get("as_of")
        if day:
            # The spans are limited to the user's subtree too (by the division they had on the
            # day), which lets the database start from the span table's division index.
            user = getattr(self.request, "user", None)
            spans = OrgStateSpan.objects.visible_to(user) if user is not None else OrgStateSpan.objects.all()
            self._spans = spans.as_of(day)
        queryset = super().filter_queryset(queryset)
        if self._spans is not None:
            queryset = queryset.filter(pk__in=self._spans.values("organization_id"))
        return queryset

    def _apply(self, queryset, current, span=None):
        """Apply a condition to the current record, or (with as_of) to the spans."""
        if self._spans is not None and span is not None:
            self._spans = span(self._spans)
            return queryset
        return current(queryset)

    def filter_noop(self, queryset, name, value):
        return queryset

    filter_as_of = filter_noop

    # --- filters -------------------------------------------------------------------------
    def filter_q(self, queryset, name, value):
        return queryset.filter(queries.search_q(value))

    def filter_division(self, queryset, name, value):
        prefix = division_prefix(value)
        if prefix is None:
            return queryset.none()
        if self.form.cleaned_data.get("own") == "yes":
            # Only the organizations placed on the division itself (its "本级" row in statistics).
            code = codes.pad_code(prefix)
            return self._apply(queryset, lambda qs: qs.filter(division_id=code),
                               lambda spans: spans.filter(division_id=code))
        return self._apply(queryset, lambda qs: qs.filter(subtree_q("division_id", prefix)),
                           lambda spans: spans.filter(subtree_q("division_id", prefix)))

    def filter_fact(self, queryset, name, value):
        return self._apply(queryset, lambda qs: qs.filter(**{name: value}),
                           lambda spans: spans.filter(**{self.SPAN_FACTS[name]: value}))

    def filter_status(self, queryset, name, value):
        if value == "live":
            return self._apply(queryset, lambda qs: qs.live(),
                               lambda spans: spans.filter(status__in=LIVE_STATUSES))
        return self._apply(queryset, lambda qs: qs.filter(status=value), lambda spans: spans.filter(status=value))

    def filter_party(self, queryset, name, value):
        if value == "any":
            return self._apply(queryset, lambda qs: qs.exclude(party_building=PartyBuilding.NONE),
                               lambda spans: spans.exclude(party_building=PartyBuilding.NONE))
        return self._apply(queryset, lambda qs: qs.filter(party_building=value),
                           lambda spans: spans.filter(party_building=value))

    def filter_category(self, queryset, name, value):
        return self._apply(queryset, lambda qs: qs.filter(categories=value), lambda spans: spans.with_category(value))

    def filter_target(self, queryset, name, value):
        return self._apply(queryset, lambda qs: qs.filter(service_targets=value),
                           lambda spans: spans.with_target(value))

    def filter_incubated(self, queryset, name, value):
        yes = value == "yes"
        return self._apply(queryset, lambda qs: qs.filter(incubated_by__isnull=not yes),
                           lambda spans: spans.filter(is_incubated=yes))

    def filter_community(self, queryset, name, value):
        yes = value == "yes"
        return self._apply(queryset, lambda qs: qs.filter(is_community_org=yes),
                           lambda spans: spans.filter(is_community_org=yes))

    def filter_hub(self, queryset, name, value):
        if value == "hub":
            return self._apply(queryset, lambda qs: qs.filter(is_hub=True), lambda spans: spans.filter(is_hub=True))
        members = HubMembership.objects.filter(left_on__isnull=True).values("member_id")
        day = self.form.cleaned_data.get("as_of")
        if day:
            members = (
                HubMembership.objects.filter(joined_on__lte=day)
                .exclude(left_on__lte=day).values("member_id")
            )
        if value == "member":
            return queryset.filter(pk__in=members)
        return self._apply(queryset, lambda qs: qs.filter(is_hub=False).exclude(pk__in=members),
                           lambda spans: spans.filter(is_hub=False).exclude(organization_id__in=members))

    def filter_import(self, queryset, name, value):
        """The organizations one import created; only for an organization import the user can see."""
        job = self.import_job
        return queryset.filter(import_job=job) if job is not None else queryset.none()

    # --- for views -----------------------------------------------------------------------
    @property
    def import_job(self) -> ImportJob | None:
        """The organization import named by ``import`` when the user may see it; else None."""
        if not hasattr(self, "_import_job"):
            # read on its own, so that another invalid parameter does not hide the import's banner
            value = str(self.data.get("import") or "") if self.is_bound else ""
            user = getattr(self.request, "user", None)
            self._import_job = None
            if value.isdigit() and len(value) < 19 and int(value) > 0 and user is not None:
                self._import_job = (ImportJob.objects.visible_to(user).filter(pk=int(value), kind="orgs")
                                    .defer("content", "payload", "report").first())
        return self._import_job

    @property
    def has_criteria(self) -> bool:
        if not self.is_bound:
            return False
        return any(self.data.get(name) for name in self.filters if name != "sort")



# "import" (the id of an organization import job: the list right after an import) is a Python keyword,
# so the filter is added by name; it travels as a hidden field of the filter form.
OrganizationFilter.base_filters["import"] = django_filters.NumberFilter(
    label="导入任务", method="filter_import", widget=forms.HiddenInput, min_value=1,
)
