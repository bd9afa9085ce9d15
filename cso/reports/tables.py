"""What a round's table looks like on a page and in a workbook, built from its frozen data.

The table page, the roll-up page and both .xlsx exports use these helpers, so the numbers a user
sees are the numbers they export. Every number links to the list behind it through
``cso.stats.indicators.drill_url`` with the table's own as-of date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.urls import reverse

from cso.regions import codes
from cso.stats import indicators
from cso.stats.choices import TargetKey

from . import xlsx
from .services import number


@dataclass
class Cell:
    key: str
    value: object
    url: str | None = None
    delta: int | Decimal | None = None

    @property
    def display(self) -> str:
        return fmt(self.value)

    @property
    def delta_display(self) -> str:
        if self.delta is None:
            return ""
        if self.delta > 0:
            return f"+{self.delta:,}"
        if self.delta < 0:
            return f"−{-self.delta:,}"
        return "0"

    @property
    def delta_class(self) -> str:
        if not self.delta:
            return "text-muted"
        return "text-success" if self.delta > 0 else "text-danger"


@dataclass
class Row:
    code: str
    name: str
    cells: list[Cell]
    is_total: bool = False
    url: str | None = None  # where the row's name leads
    extra: dict = field(default_factory=dict)


@dataclass
class HeaderCell:
    label: str
    colspan: int = 1
    rowspan: int = 1
    title: str = ""


def fmt(value) -> str:
    value = number(value)
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else str(value)


def headers(columns: list[dict]) -> tuple[list[HeaderCell], list[HeaderCell]]:
    """The two header rows: groups over their columns (one-column groups span both rows)."""
    top: list[HeaderCell] = []
    bottom: list[HeaderCell] = []
    index = 0
    while index < len(columns):
        group = columns[index]["group"]
        members = [columns[index]]
        while index + len(members) < len(columns) and columns[index + len(members)]["group"] == group:
            members.append(columns[index + len(members)])
        if len(members) == 1 and members[0]["short"] == group:
            column = members[0]
            top.append(HeaderCell(_with_unit(group, column), rowspan=2, title=_title(column)))
        else:
            top.append(HeaderCell(group, colspan=len(members)))
            bottom.extend(HeaderCell(_with_unit(c["short"], c), title=_title(c)) for c in members)
        index += len(members)
    return top, bottom


def targets_line(data: dict) -> str:
    """The targets in force when the table was generated, e.g. "每万人拥有社会组织数 ≥ 6.5；…"."""
    labels = dict(TargetKey.choices)
    items = []
    for key, value in (data.get("targets") or {}).items():
        value = number(value)
        if value is None:
            continue
        shown = f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)
        source = (data.get("target_sources") or {}).get(key)
        items.append(f"{labels.get(key, key)} {'≤' if key.endswith('_max') else '≥'} {shown}"
                     + (f"（{source}）" if source else ""))
    return "；".join(items)


def layout_label(data: dict) -> str:
    """Whose column layout the table uses: this product's proposal (the seeds give none) or the province's."""
    from .columns import PROPOSED_LABEL, PROVINCE_LABEL

    return PROVINCE_LABEL if data.get("proposed_layout") is False else PROPOSED_LABEL


def units_line(columns: list[dict]) -> str:
    """"单位：个、人、…" from the units of the columns shown."""
    seen: list[str] = []
    for column in columns:
        if column.get("unit") and column["unit"] not in seen:
            seen.append(column["unit"])
    return "单位：" + "、".join(seen)


def _with_unit(label: str, column: dict) -> str:
    return f"{label}（{column['unit']}）" if column.get("unit") else label


def _title(column: dict) -> str:
    return f"{column['label']}：{column.get('meaning', '')} 计算方法：{column.get('formula', '')}"


def cells(columns: list[dict], values: dict, code: str | None, as_of: date | None, period_start: date | None,
          deltas: dict | None = None, *, direct: bool = False) -> list[Cell]:
    result = []
    for column in columns:
        key = column["key"]
        url = (indicators.drill_url(key, code, as_of, period_start, direct=direct)
               if code is not None and as_of else None)
        result.append(Cell(key, values.get(key), url, (deltas or {}).get(key)))
    return result


def report_rows(data: dict, differences: dict | None = None) -> list[Row]:
    """The rows of a county's frozen table and its total row, with links and Δ."""
    as_of = date.fromisoformat(data["as_of"])
    start = date.fromisoformat(data["period_start"])
    differences = differences or {}
    rows = []
    for row in data["rows"]:
        # the county's own organizations (本级) link to the county's list limited to its own level
        rows.append(Row(row["code"], row["name"],
                        cells(data["columns"], row["values"], row["code"], as_of, start, differences.get(row["code"]),
                              direct=bool(row.get("direct")))))
    total = data["total"]
    rows.append(Row(total["code"], "合计", cells(data["columns"], total["values"], total["code"], as_of, start,
                                               differences.get("")), is_total=True))
    return rows


def to_sheet_columns(columns: list[dict]) -> list[xlsx.Column]:
    return [xlsx.Column(c["key"], c["group"], c["short"], c["unit"], c["kind"]) for c in columns]


def report_sheet(report) -> xlsx.Sheet:
    data = report.data
    notes = [
        f"说明：1. 统计截止日期 {data['as_of']}，本期新增、注销撤销、清理统计区间为 {report.interval_label}"
        "（不含起日，含止日）；数据由社会组织信息库按统计截止日期的状态生成。"
        f"2. {data.get('urban_rule_label', '')}。"
        "3. 比率类指标由分子、分母计算，合计行的比率按合计数重新计算。"
        f"4. {layout_label(data)}。"
        + (f"5. 目标值：{targets_line(data)}。" if data.get("targets") else ""),
    ]
    if report.version > 1:
        notes.append(f"本表为第{report.version}版（更正）：{report.correction_reason}")
    return xlsx.Sheet(
        title=report.title, unit_name=f"{report.division.name}民政局",
        fill_date=(report.submitted_at.date() if report.submitted_at else report.generated_at.date()),
        as_of=report.as_of, first_label="街道（乡镇）" if report.is_county else "县（市、区）",
        columns=to_sheet_columns(data["columns"]),
        rows=[(row["name"], row["values"]) for row in data["rows"]], total=("合计", data["total"]["values"]),
        prepared_by=report.prepared_by_name, reviewer=report.reviewer_name, phone=report.contact_phone, notes=notes,
    )


def rollup_rows(rollup) -> list[Row]:
    """The roll-up's rows; a county's name leads to its rounds, a city's or province's to its own roll-up."""
    rows = []
    for row in rollup.rows:
        if row.level == codes.COUNTY:
            url = reverse("reports:county", args=[row.code]) + f"?year={rollup.year}"
        else:
            url = reverse("reports:overview") + f"?division={row.code}&year={rollup.year}&round={rollup.round.number}"
        rows.append(Row(row.code, row.name, cells(rollup.columns, row.values, row.code, row.as_of, row.period_start),
                        url=url, extra={"submitted": row.submitted, "expected": row.expected}))
    total = rollup.total
    rows.append(Row(total.code, "合计", cells(rollup.columns, total.values, total.code, total.as_of,
                                            total.period_start),
                    is_total=True, extra={"submitted": total.submitted, "expected": total.expected}))
    return rows


def rollup_sheet(rollup, fill_date: date, unit_name: str) -> xlsx.Sheet:
    notes = [
        f"说明：1. 汇总范围为截至填报日期已报送（待审批或已通过）的统计表（{rollup.total.submitted} 个县（市、区），"
        f"应报送 {rollup.total.expected} 个）；被退回的统计表不计，更正后重新报送的版本计入。"
        "2. 比率类指标由汇总后的分子、分母重新计算，不是各地比率相加。"
        + (f"3. {'；'.join(rollup.urban_rule_labels)}。" if rollup.urban_rule_labels else ""),
    ]
    return xlsx.Sheet(
        title=f"{rollup.parent_name}社区社会组织培育发展情况汇总表（{rollup.round.title}）",
        unit_name=unit_name, fill_date=fill_date, as_of=rollup.total.as_of, first_label=rollup.child_label,
        columns=to_sheet_columns(rollup.columns), rows=[(row.name, row.values) for row in rollup.rows],
        total=("合计", rollup.total.values), notes=notes,
    )
