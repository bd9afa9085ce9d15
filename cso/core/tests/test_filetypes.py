"""Uploaded files are judged by their content: wrong type under a renamed extension, empty, oversized or a
zip bomb inside an .xlsx are refused with a Chinese message; JPEG pictures lose their EXIF (location)."""

import io
import struct
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cso.core import filetypes
from cso.core.filetypes import UploadRefused, check_file

PNG = (filetypes.PNG_MAGIC + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
       + b"\0\0\0\0" + struct.pack(">I", 0) + b"IEND" + b"\xaeB`\x82")


def segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


def jpeg(with_exif: bool = True) -> bytes:
    exif = b"Exif\0\0MM\0*GPSLatitude=22.8170N;GPSLongitude=108.3665E"
    return (b"\xff\xd8" + segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0")
            + (segment(0xE1, exif) if with_exif else b"") + segment(0xED, b"Photoshop 3.0\0IPTC-city")
            + segment(0xDB, bytes(65)) + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00") + b"\x12\x34\xff\x00\x56"
            + b"\xff\xd9")


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    wb.active.append(["张三", "13800000000"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_real_small_xlsx_passes():
    checked = check_file("成员名册.xlsx", xlsx_bytes())
    assert checked.type.code == "xlsx" and checked.name == "成员名册.xlsx"
    assert checked.content_type.endswith("spreadsheetml.sheet")


def test_pdf_png_heic_and_docx_pass_by_their_content():
    assert check_file("章程.pdf", b"%PDF-1.7\n...").type.code == "pdf"
    assert check_file("场地.PNG", PNG).type.code == "png"
    from cso.core.tests.test_heif import heic as make_heic

    heic = make_heic()
    assert check_file("IMG_0001.HEIC", heic).content_type == "image/heic"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<Types><Override PartName="/word/document.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        zf.writestr("word/document.xml", "<document/>")
    assert check_file("章程.docx", buffer.getvalue()).type.code == "docx"


def test_a_renamed_exe_is_refused():
    exe = b"MZ\x90\x00" + bytes(200)
    for name in ("名册.pdf", "名册.jpg", "名册.png", "名册.xlsx"):
        with pytest.raises(UploadRefused, match=r"不符|不是有效"):
            check_file(name, exe, what="成员名册")
    with pytest.raises(UploadRefused, match=r"不接受“\.exe”"):
        check_file("setup.exe", exe)


def test_a_png_named_jpg_is_refused_naming_what_it_is():
    with pytest.raises(UploadRefused, match="内容是PNG 图片") as exc:
        check_file("roster.jpg", PNG, what="成员名册")
    assert exc.value.message.startswith("成员名册：")


def test_an_empty_file_is_refused():
    with pytest.raises(UploadRefused, match="空的"):
        check_file("a.pdf", b"")


def test_an_oversized_file_is_refused(settings):
    settings.CSO_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(UploadRefused, match="文件过大"):
        check_file("a.pdf", b"%PDF-1.4" + bytes(2000))
    assert check_file("a.pdf", b"%PDF-1.4" + bytes(900))


def test_a_zip_bomb_inside_an_xlsx_is_refused_before_anything_inflates_it(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 200_000
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda *a, **k: pytest.fail("a zip bomb must not be inflated"))
    with pytest.raises(UploadRefused, match="压缩炸弹"):
        check_file("名册.xlsx", data)


def test_a_zip_with_too_many_members_or_a_macro_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for i in range(600):
            zf.writestr(f"x{i}.xml", "x")
    with pytest.raises(UploadRefused, match="部件"):
        check_file("名册.xlsx", buffer.getvalue())
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes())) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\x01" * 100)
    with pytest.raises(UploadRefused, match="宏"):
        check_file("名册.xlsx", buffer.getvalue())


def test_a_docx_renamed_xlsx_is_refused_by_its_content_types():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UploadRefused, match="不是有效的 Excel"):
        check_file("名册.xlsx", buffer.getvalue())


def test_exif_is_stripped_from_a_jpeg_and_the_image_kept():
    original = jpeg()
    stripped = check_file("IMG_2024.jpg", original).data
    assert b"GPSLatitude" in original and b"GPSLatitude" not in stripped and b"Exif" not in stripped
    assert b"IPTC-city" not in stripped
    assert stripped.startswith(b"\xff\xd8\xff\xe0") and b"JFIF" in stripped
    assert stripped.endswith(b"\x12\x34\xff\x00\x56\xff\xd9")  # the scan data unchanged
    assert check_file("again.jpg", stripped).data == stripped


def test_the_orientation_survives_the_strip_and_nothing_else():
    for order, pack in ((b"II", "<"), (b"MM", ">")):
        tiff = (order + struct.pack(pack + "HI", 42, 8) + struct.pack(pack + "H", 2)
                + struct.pack(pack + "HHI", 0x0110, 2, 4) + b"iPh\0"  # Model
                + struct.pack(pack + "HHIHH", 0x0112, 3, 1, 6, 0) + b"\0\0\0\0" + b"GPSLatitude=22.8N")
        original = b"\xff\xd8" + segment(0xE1, b"Exif\0\0" + tiff) + segment(0xDA, b"\x00") + b"\xff\xd9"
        stripped = check_file("IMG.jpg", original).data
        assert b"GPSLatitude" not in stripped and b"iPh" not in stripped
        assert filetypes.exif_orientation(stripped[6:]) == 6
        assert check_file("again.jpg", stripped).data == stripped


def test_a_broken_jpeg_is_refused():
    with pytest.raises(UploadRefused, match="损坏"):
        check_file("a.jpg", b"\xff\xd8\xff\xe1\xff\xff" + bytes(10))


def test_exif_chunk_is_stripped_from_a_png():
    exif = b"Exif-GPS"
    chunk = struct.pack(">I", len(exif)) + b"eXIf" + exif + b"\0\0\0\0"
    data = PNG[:33] + chunk + PNG[33:]
    stripped = check_file("a.png", data).data
    assert b"eXIf" not in stripped and stripped == PNG


@settings(max_examples=200, deadline=None)
@given(data=st.binary(min_size=0, max_size=256), name=st.sampled_from(["名册.pdf", "photo.jpg", "x.JPEG"]),
       prefix=st.sampled_from([b"", b"%PDF-", b"\xff\xd8\xff", b"%PD", b"\xff\xd8"]))
def test_random_bytes_never_pass_unless_they_really_start_with_the_magic(data, name, prefix):
    content = prefix + data
    magic = filetypes.PDF_MAGIC if name.endswith(".pdf") else filetypes.JPEG_MAGIC
    try:
        checked = check_file(name, content)
    except UploadRefused as exc:
        assert exc.message
        return
    assert content.startswith(magic)
    assert checked.data.startswith(magic[:2])
