"""Tables of the regions pages (django-tables2): the children of a division and search results."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from cso.core.templatetags.cso_tags import number

from . import codes

NUMERIC = {"th": {"class": "numeric"}, "td": {"class": "numeric"}, "tf": {"class": "numeric"}}
NOWRAP = {"th": {"class": "text-nowrap"}, "td": {"class": "text-nowrap"}, "tf": {"class": "text-nowrap"}}
ESTIMATE_BADGE = format_html(
    '<span class="badge badge-estimate ms-1" title="{}">估算</span>', "按县级普查数据估算，待核实填报"
)
DASH = "—"


def _detail_link(division, text):
    return format_html('<a href="{}">{}</a>', reverse("regions:detail", args=[division.code]), text)


def unit_label(division) -> str:
    if division.unit_type:
        return division.get_unit_type_display()
    return codes.LEVEL_SHORT_NAMES.get(division.level, "")


def urban_cell(division):
    """Both readings of urban/rural for a community, e.g. 居委会 · 111 主城区（2016年版代用）."""
    if division.urban_by_committee is True:
        committee = mark_safe('<span class="badge text-bg-info">城市社区</span>')
    elif division.urban_by_committee is False:
        committee = mark_safe('<span class="badge text-bg-success">农村社区</span>')
    else:
        committee = mark_safe('<span class="badge text-bg-secondary">其他</span>')
    if not division.urban_rural_code:
        return format_html('{} <span class="text-muted small">城乡分类代码：暂无</span>', committee)
    proxy = ""
    if division.urban_rural_is_proxy:
        proxy = format_html('<span class="text-muted small">（{}年版代用）</span>', division.urban_rural_edition)
    return format_html(
        '{} <span class="small">{} {}</span>{}',
        committee,
        division.urban_rural_code,
        division.urban_rural_label,
        proxy,
    )


def committee_counts(stats) -> str:
    if not stats["communities"]:
        return DASH
    return format_html(
        '<span class="text-nowrap">居委会 {}</span> · <span class="text-nowrap">村委会 {}</span>',
        number(stats["residents"]),
        number(stats["villagers"]),
    )


def standard_counts(stats) -> str:
    if not stats["communities_with_area"]:
        return DASH
    return format_html("{} / {}", number(stats["communities_meeting_standard"]), number(stats["communities_with_area"]))


def per_100_cell(division):
    value = division.facility_area_per_100_households
    if value is None:
        return DASH
    if value >= 30:
        return format_html('{} <span class="badge text-bg-success">达标</span>', number(value, 1))
    return format_html('{} <span class="badge text-bg-warning">未达标</span>', number(value, 1))


class CountColumn(tables.Column):
    """Number of current descendants of a child at one lower level."""

    def __init__(self, level, footer):
        self.level = level
        super().__init__(
            f"{codes.LEVEL_SHORT_NAMES[level]}数",
            accessor="division__code",
            empty_values=(),
            attrs={**NUMERIC, "td": {"class": "numeric", "data-level": str(level)}},
            footer=footer,
        )

    def render(self, record):
        return number(record.stats["counts"].get(self.level, 0))


def _footer(name):
    return lambda table: table.footer_values[name]


class ChildrenTable(tables.Table):
    """The children of a division; ``rows`` are ``services.ChildRow``; totals go in the footer."""

    name = tables.Column("名称", accessor="division__name", footer="合计", attrs=NOWRAP)
    code = tables.Column("区划代码", accessor="division__code", footer=_footer("count"), attrs=NOWRAP)
    unit = tables.Column("类型", accessor="division__unit_type", empty_values=(), attrs=NOWRAP)
    population = tables.Column(
        "常住人口（人）",
        accessor="division__population",
        empty_values=(),
        attrs=NUMERIC,
        footer=_footer("population"),
    )
    households = tables.Column(
        "户数（户）",
        accessor="division__households",
        empty_values=(),
        attrs=NUMERIC,
        footer=_footer("households"),
    )
    facility_area = tables.Column(
        "设施面积（㎡）",
        accessor="division__facility_area",
        empty_values=(),
        attrs=NUMERIC,
        footer=_footer("facility_area"),
    )
    standard = tables.Column(
        "每百户面积（㎡）",
        accessor="division__code",
        empty_values=(),
        attrs=NUMERIC,
        footer=_footer("standard"),
    )
    urban = tables.Column("城乡", accessor="division__code", empty_values=(), footer=_footer("urban"), attrs=NOWRAP)

    class Meta:
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle mb-0", "data-testid": "children-table"}
        row_attrs = {"data-code": lambda record: record.division.code}
        empty_text = "没有下级区划"

    def __init__(self, rows, *, lower_levels, subtree, children, **kwargs):
        self.lower_levels = lower_levels
        self.subtree = subtree
        self.children_totals = children
        self.has_communities = bool(rows) and any(r.division.level == codes.COMMUNITY for r in rows)
        extra = [
            (f"count_{level}", CountColumn(level, footer=number(subtree["counts"].get(level, 0))))
            for level in lower_levels
        ]
        super().__init__(
            rows,
            extra_columns=extra,
            sequence=["name", "code", "unit", "...", "population", "households", "facility_area", "standard", "urban"],
            **kwargs,
        )
        if not self.has_communities:
            self.columns["facility_area"].column.verbose_name = "社区设施面积合计（㎡）"
            self.columns["standard"].column.verbose_name = "设施达标社区 / 有数据社区"
        self.footer_values = self._footer_values()

    # cells --------------------------------------------------------------------------------
    def render_code(self, record):
        return _detail_link(record.division, record.division.code)

    def render_name(self, record):
        division = record.division
        link = _detail_link(division, division.name)
        if division.is_abolished:
            return format_html(
                '{} <span class="badge text-bg-secondary">已撤销（{}年）</span>', link, division.abolished_in
            )
        return link

    def render_unit(self, record):
        return unit_label(record.division)

    def _own_or_sum(self, record, field, sum_key):
        division = record.division
        value = getattr(division, field)
        if value is not None:
            if division.figures_estimated:
                return format_html("{}{}", number(value), ESTIMATE_BADGE)
            return number(value)
        total = record.stats[sum_key]
        if total is None:
            return DASH
        return format_html('{} <span class="text-muted small">社区合计</span>', number(total))

    def render_population(self, record):
        return self._own_or_sum(record, "population", "community_population")

    def render_households(self, record):
        return self._own_or_sum(record, "households", "community_households")

    def render_facility_area(self, record):
        division = record.division
        if division.level == codes.COMMUNITY:
            if division.facility_area is None:
                return DASH
            badge = ESTIMATE_BADGE if division.facility_area_estimated else ""
            return format_html("{}{}", number(division.facility_area, 2), badge)
        total = record.stats["community_facility_area"]
        return DASH if total is None else number(total, 2)

    def render_standard(self, record):
        if record.division.level == codes.COMMUNITY:
            return per_100_cell(record.division)
        return standard_counts(record.stats)

    def render_urban(self, record):
        if record.division.level == codes.COMMUNITY:
            return urban_cell(record.division)
        return committee_counts(record.stats)

    # footer -------------------------------------------------------------------------------
    def _footer_figure(self, key):
        """The children's own figures when all have them, else the communities' sum, else a partial sum."""
        totals = self.children_totals
        own = totals[key]
        if totals["n"] and totals[f"with_{key}"] == totals["n"]:
            return number(own)
        community_sum = self.subtree[f"community_{key}"]
        if community_sum is not None:
            return format_html('{} <span class="text-muted small">社区合计</span>', number(community_sum))
        if own is None:
            return DASH
        return format_html('{}<span class="text-muted small d-block">部分单位暂无数据</span>', number(own))

    def _footer_values(self):
        subtree = self.subtree
        area = subtree["community_facility_area"]
        return {
            "count": f"{number(self.children_totals['n'])} 个",
            "population": self._footer_figure("population"),
            "households": self._footer_figure("households"),
            "facility_area": DASH if area is None else number(area, 2),
            "standard": standard_counts(subtree),
            "urban": committee_counts(subtree),
        }


class DivisionSearchTable(tables.Table):
    """Search results: ``path`` set on each row by ``services.attach_paths``."""

    name = tables.Column("名称", attrs=NOWRAP)
    code = tables.Column("区划代码", attrs=NOWRAP)
    level = tables.Column("层级 / 类型", empty_values=(), attrs=NOWRAP)
    path = tables.Column("所属区划", accessor="path_names", empty_values=())
    population = tables.Column("常住人口（人）", empty_values=(), attrs=NUMERIC)
    households = tables.Column("户数（户）", empty_values=(), attrs=NUMERIC)

    class Meta:
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle mb-0", "data-testid": "search-results"}
        row_attrs = {"data-code": lambda record: record.code}
        empty_text = "没有找到符合条件的区划"

    def render_code(self, record):
        return _detail_link(record, record.code)

    def render_name(self, record):
        link = _detail_link(record, record.name)
        if record.is_abolished:
            return format_html(
                '{} <span class="badge text-bg-secondary">已撤销（{}年）</span>', link, record.abolished_in
            )
        return link

    def render_level(self, record):
        level = codes.LEVEL_SHORT_NAMES.get(record.level, "")
        if record.unit_type:
            return format_html("{} · {}", level, record.get_unit_type_display())
        return level

    def render_path(self, record):
        names = getattr(record, "path_names", [])
        if not names:
            return DASH
        return format_html_join(" / ", "{}", ((n,) for n in names))

    def _figure(self, record, field):
        value = getattr(record, field)
        if value is None:
            return DASH
        if record.figures_estimated:
            return format_html("{}{}", number(value), ESTIMATE_BADGE)
        return number(value)

    def render_population(self, record):
        return self._figure(record, "population")

    def render_households(self, record):
        return self._figure(record, "households")
