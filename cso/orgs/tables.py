"""The registry list table. Rows are organizations loaded with their community, its street and
their categories (see ``views.list_rows_queryset``).

``OrganizationTable`` keeps django-tables2's declarative shape (columns with ``render_*``
methods) but renders each row with one ``format_html`` in ``orgs/includes/table.html``: going
through django-tables2's per-cell machinery cost about 1 ms per row, a third of the page budget.
"""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .choices import PartyBuilding, Status, Track

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


class OrganizationTable:
    # (name, header, nowrap)
    columns = [
        ("name", "名称", False),
        ("kind", "管理方式 / 类型", True),
        ("community", "所在社区（街道）", False),
        ("categories", "类别", False),
        ("status", "状态", True),
        ("party_building", "党建", True),
    ]
    empty_text = "没有符合条件的社会组织"

    def __init__(self, records):
        self.records = list(records)

    @property
    def headers(self):
        return [{"name": name, "label": label, "nowrap": nowrap} for name, label, nowrap in self.columns]

    def rows(self) -> list[dict]:
        out = []
        for record in self.records:
            cells = [
                {"html": getattr(self, f"render_{name}")(record), "nowrap": nowrap}
                for name, _, nowrap in self.columns
            ]
            out.append({"uid": record.uid, "cells": cells})
        return out

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
        return format_html("{}", division.name)

    def render_categories(self, record):
        names = [c.name for c in record.categories.all()]
        return format_html("{}", "、".join(names)) if names else SafeString(DASH)

    def render_status(self, record):
        return status_badge(record.status, record.get_status_display())

    def render_party_building(self, record):
        if record.party_building == PartyBuilding.NONE:
            return format_html('<span class="text-muted">{}</span>', "无")
        return format_html("{}", record.get_party_building_display())
