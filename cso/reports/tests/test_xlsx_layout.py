"""The workbook writer on plain data: layout, merged header, totals and the one-page A4 print."""

import io
from datetime import date

import openpyxl

from cso.reports.columns import GROUPS
from cso.reports.tests.printing import pdf_pages
from cso.reports.xlsx import Column, Sheet, render


def columns():
    return [
        Column(key, group.label, short, "%" if key.endswith(("share", "coverage")) else "个",
               "ratio" if key.startswith(("avg", "per")) or key.endswith(("share", "coverage")) else "count")
        for group in GROUPS for key, short in group.columns
    ]


def sheet(rows=3):
    cols = columns()
    data = [(f"第{i}街道", {c.key: (i * 7 + n if c.kind == "count" else f"{i}.{n:02d}") for n, c in enumerate(cols)})
            for i in range(1, rows + 1)]
    total = {c.key: sum(v[c.key] for _, v in data) if c.kind == "count" else "9.99" for c in cols}
    return Sheet(
        title="兴宁区社区社会组织培育发展情况统计表（2026年第2季度）", unit_name="南宁市兴宁区民政局",
        fill_date=date(2026, 6, 18), as_of=date(2026, 6, 18), first_label="街道（乡镇）", columns=cols,
        rows=data, total=("合计", total), prepared_by="张敏", reviewer="李强", phone="0771-1234567",
        notes=["说明：城市社区口径：居委会为城市社区，村委会为农村社区。"],
    )


def test_the_workbook_has_the_government_layout():
    book = openpyxl.load_workbook(io.BytesIO(render(sheet())))
    ws = book.active
    assert ws["A1"].value == "兴宁区社区社会组织培育发展情况统计表（2026年第2季度）"
    assert ws["A2"].value == "填报单位（盖章）：南宁市兴宁区民政局"
    assert any((c.value or "") == "统计截止日期：2026年6月18日" for c in ws[2])
    assert any((c.value or "") == "填报日期：2026年6月18日" for c in ws[2])
    assert ws["A3"].value.startswith("单位：个")
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A4:A5" in merged  # the name column's header spans both header rows
    assert "B4:D4" in merged  # 社区（村）数 over its three columns
    assert "E4:E5" in merged  # a one-column group is merged down
    assert ws["B4"].value == "社区（村）数"
    assert ws["B5"].value == "合计（个）"
    assert ws["A9"].value == "合计"
    texts = [c.value for row in ws.iter_rows(min_row=10) for c in row if c.value]
    assert "制表人：张敏" in texts and "审核人：李强" in texts and "联系电话：0771-1234567" in texts
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage  # fit to one page wide (1 is the default) and tall
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight in (None, 1)
    assert ws.print_title_rows == "$4:$5"


def test_a_county_with_thirty_streets_prints_on_one_a4_landscape_page(tmp_path):
    assert pdf_pages(render(sheet(rows=30)), tmp_path) == 1
