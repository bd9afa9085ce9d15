"""Bad files are refused with a clear Chinese message and nothing is written."""

import io
import os
import zipfile

import pytest

from cso.core import uploads
from cso.core.models import ImportStatus
from cso.orgs import importing
from cso.orgs.models import Organization
from cso.orgs.tests.test_import import row, xlsx


def refused(user, name, data):
    job = importing.validate_job(importing.start_job(user, name, data))
    assert job.status == ImportStatus.FAILED
    assert Organization.objects.count() == 0
    return job.message


def test_random_bytes_named_xlsx_are_refused(cast):
    assert "不是有效的 Excel" in refused(cast["registrar"], "orgs.xlsx", os.urandom(4096))


def test_a_zip_that_is_not_a_workbook_is_refused(cast):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert "不是有效的 Excel" in refused(cast["registrar"], "orgs.xlsx", buffer.getvalue())


def test_an_encrypted_workbook_is_refused(cast):
    data = bytes.fromhex("D0CF11E0A1B11AE1") + os.urandom(2048)
    assert "加密" in refused(cast["registrar"], "orgs.xlsx", data)


def test_an_oversized_file_is_refused(cast, settings):
    settings.CSO_IMPORT_MAX_BYTES = 1000
    assert "文件过大" in refused(cast["registrar"], "orgs.xlsx", xlsx([row()] * 50))


def test_a_zip_bomb_is_refused_before_it_is_opened(cast):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200_000
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("openpyxl must not open a zip bomb"))
        message = refused(cast["registrar"], "orgs.xlsx", buffer.getvalue())
    assert "压缩炸弹" in message


def test_a_zip_with_too_many_members_is_refused(cast, settings):
    settings.CSO_IMPORT_MAX_MEMBERS = 10
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for i in range(20):
            zf.writestr(f"x{i}.xml", "x")
    assert "部件" in refused(cast["registrar"], "orgs.xlsx", buffer.getvalue())


def test_a_macro_workbook_is_refused_by_name_and_by_content(cast):
    assert "宏" in refused(cast["registrar"], "orgs.xlsm", xlsx([row()]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([row()]))) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\x01" * 100)
    assert "宏" in refused(cast["registrar"], "orgs.xlsx", buffer.getvalue())


def test_other_file_types_are_refused(cast):
    assert "不支持" in refused(cast["registrar"], "orgs.pdf", b"%PDF-1.4")
    assert ".xls" in refused(cast["registrar"], "orgs.xls", b"\x09\x08" + b"0" * 100)


def test_too_many_rows_are_refused(cast, settings):
    settings.CSO_IMPORT_MAX_ROWS = 3
    assert "上限" in refused(cast["registrar"], "orgs.xlsx", xlsx([row(名称=f"协会{i}") for i in range(10)]))


def test_a_truncated_workbook_is_refused(cast):
    data = xlsx([row()])
    assert "Excel" in refused(cast["registrar"], "orgs.xlsx", data[: len(data) // 2])


def test_binary_or_undecodable_csv_is_refused(cast):
    assert "二进制" in refused(cast["registrar"], "orgs.csv", "名称".encode("utf-16"))
    assert "编码" in refused(cast["registrar"], "orgs.csv", b"\x81\x30\xff\xff\xff" * 10)


def test_csv_encodings_are_detected():
    assert uploads.check_upload("a.csv", "名称\n甲".encode()).encoding == "UTF-8"
    assert uploads.check_upload("a.csv", "\ufeff名称\n甲".encode()).encoding == "UTF-8-BOM"
    assert uploads.check_upload("a.csv", "名称\n甲".encode("gb18030")).encoding == "GB18030"


def test_the_fast_readers_read_what_openpyxl_reads(settings):
    import datetime

    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet()
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    cn_day = wb.add_format({"num_format": 'yyyy"年"m"月"d"日"'})
    ws.write_row(0, 0, ["名称", "日期", "数", "真"])
    ws.write_string(1, 0, "甲协会")
    ws.write_datetime(1, 1, datetime.datetime(2024, 5, 1), day)
    ws.write_number(1, 2, 5000)
    ws.write_boolean(1, 3, True)
    ws.write_string(3, 0, "乙协会")  # a gap: row 3 is empty
    ws.write_datetime(3, 1, datetime.datetime(2020, 1, 2), cn_day)
    ws.write_number(3, 2, 2.5)
    wb.close()
    upload = uploads.check_upload("a.xlsx", buffer.getvalue())

    def read(reader):
        settings.CSO_IMPORT_XLSX_READER = reader
        table = uploads.read_table(upload)
        return table.header, [(n, tuple(v for v in r)) for n, r in table.rows]

    rust, fast, slow = read("calamine"), read("fast"), read("openpyxl")
    assert rust == fast  # calamine (the default) and the streaming reader give the same values
    assert fast[0] == slow[0] == ["名称", "日期", "数", "真"]
    def padded(rows):  # openpyxl pads every row to the widest one
        return [(n, (*r, None, None, None, None)[:4]) for n, r in rows]

    assert padded(fast[1]) == padded(slow[1])
    assert fast[1][0] == (2, ("甲协会", datetime.datetime(2024, 5, 1), 5000, True))
    assert fast[1][1][0] == 4


def test_a_workbook_with_a_doctype_is_refused(cast):
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([row()]))) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/sharedStrings.xml":
                body = body.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
            dst.writestr(item, body)
    assert "DOCTYPE" in refused(cast["registrar"], "orgs.xlsx", buffer.getvalue())


def test_the_calamine_reader_keeps_columns_in_place_when_the_sheet_starts_further_right(settings):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B2"], ws["C2"], ws["C4"] = "名称", "成员数", 5
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = uploads.check_upload("a.xlsx", buffer.getvalue())
    tables = {}
    for reader in ("calamine", "fast"):
        settings.CSO_IMPORT_XLSX_READER = reader
        table = uploads.read_table(upload)
        tables[reader] = (table.header, table.header_row, list(table.rows))
    assert tables["calamine"] == tables["fast"] == (["", "名称", "成员数"], 2, [(4, (None, None, 5))])


def test_the_calamine_reader_refuses_a_sheet_over_the_row_limit(settings):
    settings.CSO_IMPORT_MAX_ROWS = 3
    settings.CSO_IMPORT_XLSX_READER = "calamine"
    upload = uploads.check_upload("a.xlsx", xlsx([row(名称=f"协会{i}") for i in range(60)]))
    with pytest.raises(uploads.UploadRefused, match="超过上限"):
        list(uploads.read_table(upload).rows)
