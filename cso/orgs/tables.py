"""The registry list table (django-tables2). Rows are organizations loaded with their community,
its street and their categories (see ``views.list_rows``)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from .choices import PartyBuilding, Status, Track

NOWRAP = {"th": {"class": "text-nowrap"}, "td": {"class": "text-nowrap"}}
DASH = "—"
STATUS_BADGES = {
    Status.ACTIVE: "text-bg-success",
    Status.ABNORMAL: "text-bg-warning",
    Status.SUSPENDED: "text-bg-secondary",
    Status.DEREGISTERED: "text-bg-dark",
    Status.REVOKED: "text-bg-danger",
    Status.CLEARED: "text-bg-dark",
}


def status_badge(status: str, label: str):
    return format_html('<span class="badge {}" data-status="{}">{}</span>',
                       STATUS_BADGES.get(status, "text-bg-secondary"), status, label)


class OrganizationTable(tables.Table):
    name = tables.Column("名称", empty_values=())
    kind = tables.Column("管理方式 / 类型", accessor="track", empty_values=(), attrs=NOWRAP)
    community = tables.Column("所在社区（街道）", accessor="division_id", empty_values=())
    categories = tables.Column("类别", accessor="id", empty_values=())
    status = tables.Column("状态", empty_values=(), attrs=NOWRAP)
    party_building = tables.Column("党建", empty_values=(), attrs=NOWRAP)

    class Meta:
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle mb-0", "data-testid": "org-table"}
        row_attrs = {"data-uid": lambda record: record.uid}
        empty_text = "没有符合条件的社会组织"

    def render_name(self, record):
        code = record.credit_code or record.uid
        return format_html(
            '<a href="{}" class="fw-semibold">{}</a><div class="small text-muted text-nowrap">{}</div>',
            reverse("orgs:detail", args=[record.uid]), record.name, code,
        )

    def render_kind(self, record):
        css = "text-bg-primary" if record.track == Track.REGISTERED else "text-bg-info"
        short = "登记" if record.track == Track.REGISTERED else "备案"
        return format_html('<span class="badge {}">{}</span><div class="small">{}</div>', css, short,
                           record.get_org_type_display())

    def render_community(self, record):
        division = record.division
        parent = division.parent.name if division.parent_id and division.parent else ""
        if parent:
            return format_html('{}<div class="small text-muted">{}</div>', division.name, parent)
        return division.name

    def render_categories(self, record):
        names = [c.name for c in record.categories.all()]
        return "、".join(names) if names else DASH

    def render_status(self, record):
        return status_badge(record.status, record.get_status_display())

    def render_party_building(self, record):
        if record.party_building == PartyBuilding.NONE:
            return format_html('<span class="text-muted">{}</span>', "无")
        return record.get_party_building_display()
