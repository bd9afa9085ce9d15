"""What an uploaded file really is: content sniffing by magic bytes, before anything parses it.

``check_file(name, data)`` returns a ``Checked`` file or raises ``UploadRefused`` with a Chinese message:

- an empty file, or one over ``CSO_UPLOAD_MAX_BYTES`` (10 MB by default);
- a type not accepted (PDF, JPEG, PNG, HEIC/HEIF from phones, Word .docx, Excel .xlsx);
- content that does not match the extension (a renamed .exe, a PNG named .jpg …): the magic bytes
  decide, never the name or the browser's Content-Type;
- a .xlsx / .docx that is not a clean Office Open XML package: ``check_ooxml`` looks at the zip's
  central directory only — member count, declared uncompressed total, each member's compression
  ratio (a zip bomb is refused before anything inflates it) — then the ``[Content_Types].xml`` entry
  that names the main part (a macro-enabled workbook or document is refused).

JPEG pictures lose their EXIF/XMP segments (APP1) and Photoshop/IPTC segment (APP13), PNG pictures
their ``eXIf`` and text chunks, so that a phone photo's location never reaches the server's disk; a JPEG
keeps only its EXIF orientation (a fresh segment holding that one tag), so a roster photographed upright
stays upright. The strip is done on the bytes (no image library is installed): it walks the segments up
to the image data and copies the rest unchanged. A HEIC photo's Exif and XMP items are overwritten with zeros
in place (``cso.core.heif``); a HEIC file whose boxes cannot be walked is refused.

One ``check_xlsx`` serves both the importers (``cso.core.uploads``, with their larger limits) and the
attachments of applications.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings

from . import heif

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ZIP_HEADER = b"PK\x03\x04"
OLE_HEADER = bytes.fromhex("D0CF11E0A1B11AE1")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
PDF_MAGIC = b"%PDF-"
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UploadRefused(Exception):
    """The file is refused; ``message`` says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FileType:
    code: str
    label: str  # Chinese, for messages
    content_type: str
    extensions: tuple[str, ...]  # the first is the one a stored file gets


TYPES: dict[str, FileType] = {t.code: t for t in (
    FileType("pdf", "PDF 文件", "application/pdf", (".pdf",)),
    FileType("jpeg", "JPEG 图片", "image/jpeg", (".jpg", ".jpeg")),
    FileType("png", "PNG 图片", "image/png", (".png",)),
    FileType("heic", "HEIC 照片（手机拍摄）", "image/heic", (".heic", ".heif")),
    FileType("xlsx", "Excel 工作簿", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    FileType("docx", "Word 文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             (".docx",)),
)}
BY_EXTENSION = {ext: t for t in TYPES.values() for ext in t.extensions}

# [Content_Types].xml: the main part a package must declare, and the macro-enabled ones refused.
OOXML_MAIN = {
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "docx": ("word/document.xml",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
}
MACRO_CONTENT_TYPES = ("macroenabled", "vbaproject")
OOXML_LABEL = {"xlsx": "Excel 工作簿（.xlsx）", "docx": "Word 文档（.docx）"}


def max_bytes() -> int:
    return int(getattr(settings, "CSO_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


# --- sniffing ---------------------------------------------------------------------------------------
def sniff(data: bytes) -> str | None:
    """The code of the type the content really is (by its first bytes), or None. A zip is reported as
    ``"zip"``: only ``check_ooxml`` can tell a workbook from a document."""
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    if data.startswith(PNG_MAGIC):
        return "png"
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return "heic"
    if data.startswith(ZIP_HEADER):
        return "zip"
    if data.startswith(OLE_HEADER):
        return "ole"
    if data.startswith(b"MZ"):
        return "exe"
    return None


SNIFFED_LABEL = {"zip": "压缩包", "ole": "旧版 Office 文件或加密文件", "exe": "可执行程序"}


@dataclass(frozen=True)
class Checked:
    name: str  # the original name, without any directory part
    type: FileType
    data: bytes  # as stored: a JPEG without its EXIF segments

    @property
    def content_type(self) -> str:
        return self.type.content_type

    @property
    def extension(self) -> str:
        return self.type.extensions[0]


def check_file(name: str, data: bytes, *, allowed: tuple[str, ...] | None = None, limit: int | None = None,
               what: str = "文件") -> Checked:
    """Check an uploaded file by its content; ``what`` names it in the messages (“成员名册”)."""
    name = PurePath(CONTROL.sub("", name or "").replace("\\", "/")).name.strip()[:200] or "file"
    ext = PurePath(name).suffix.lower()
    allowed = tuple(allowed or TYPES)
    limit = max_bytes() if limit is None else limit
    accepted = "、".join(sorted({e for code in allowed for e in TYPES[code].extensions[:1]}))
    if not data:
        raise UploadRefused(f"{what}：文件是空的，请重新选择。")
    if len(data) > limit:
        raise UploadRefused(f"{what}：文件过大（{len(data) / 1024 / 1024:.1f} MB），单个文件不能超过 {_mb(limit)}。")
    declared = BY_EXTENSION.get(ext)
    if declared is None or declared.code not in allowed:
        raise UploadRefused(f"{what}：不接受“{ext or '无扩展名'}”文件，只能上传 {accepted} 文件。")
    actual = sniff(data)
    if declared.code in OOXML_MAIN:
        if actual == "ole":
            raise UploadRefused(f"{what}：该文件已加密（设置了打开密码）或是旧版格式，无法接受。"
                                f"请取消密码并“另存为” {declared.extensions[0]} 后再上传。")
        if actual != "zip":
            raise UploadRefused(_mismatch(what, declared, actual, ext))
        check_ooxml(data, declared.code, what=what)
    elif actual != declared.code:
        raise UploadRefused(_mismatch(what, declared, actual, ext))
    if declared.code == "jpeg":
        data = strip_jpeg_metadata(data, what=what)
    elif declared.code == "png":
        data = strip_png_metadata(data, what=what)
    elif declared.code == "heic":
        try:
            data = heif.blank_metadata(data)
        except heif.HeifError as exc:
            raise UploadRefused(f"{what}：无法读取该 HEIC 照片（文件可能已损坏），"
                                "请在手机上改存为 JPEG 后再上传。") from exc
    return Checked(name=name, type=declared, data=data)


def _mismatch(what: str, declared: FileType, actual: str | None, ext: str) -> str:
    really = TYPES[actual].label if actual in TYPES else SNIFFED_LABEL.get(actual or "", "无法识别的内容")
    return (f"{what}：文件内容与扩展名“{ext}”不符（内容是{really}，不是{declared.label}），"
            f"可能只是改了扩展名，已拒绝。")


# --- Office Open XML (.xlsx, .docx) -----------------------------------------------------------------
def check_ooxml(data: bytes, kind: str = "xlsx", *, max_members: int = 500,
                max_uncompressed: int = 100 * 1024 * 1024, max_ratio: int = 200, what: str = "文件") -> None:
    """Refuse a package that is not a clean .xlsx / .docx — judging the zip's directory before any
    member is inflated (Python's ``zipfile`` never inflates a member past its declared size)."""
    label = OOXML_LABEL[kind]
    prefix = "" if what == "文件" else f"{what}："
    if kind == "xlsx":
        broken = (f"{prefix}文件不是有效的 Excel 工作簿（.xlsx），可能已损坏或只是改了扩展名。"
                  "请用 Excel 打开后重新“另存为” .xlsx 再上传。")
    else:
        broken = f"{prefix}文件不是有效的{label}，可能已损坏或只是改了扩展名。"
    if data[:4] != ZIP_HEADER:
        raise UploadRefused(broken)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > max_members:
                raise UploadRefused(f"{prefix}文件内部包含 {len(infos)} 个部件，超过上限 {max_members}，"
                                    f"不像正常的{label}，已拒绝。")
            total = sum(i.file_size for i in infos)
            if total > max_uncompressed:
                raise UploadRefused(f"{prefix}文件解压后达 {_mb(total)}，超过上限 {_mb(max_uncompressed)}"
                                    "（疑似“压缩炸弹”），已拒绝。")
            for info in infos:
                if info.file_size > 1024 * 1024 and info.file_size > max_ratio * max(info.compress_size, 1):
                    ratio = info.file_size // max(info.compress_size, 1)
                    raise UploadRefused(f"{prefix}文件内部“{info.filename}”的压缩比异常（{ratio} 倍，"
                                        "疑似“压缩炸弹”），已拒绝。")
            names = {i.filename for i in infos}
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise UploadRefused(f"{prefix}文件中含有宏（VBA），不予接受。请“另存为”不含宏的{label}后再上传。")
            main_part, main_type = OOXML_MAIN[kind]
            if "[Content_Types].xml" not in names or main_part not in names:
                raise UploadRefused(broken)
            if any(i.flag_bits & 0x1 for i in infos):
                raise UploadRefused(f"{prefix}该文件已加密，无法读取。请取消密码保护后再上传。")
            types = zf.getinfo("[Content_Types].xml")
            if types.file_size > 1024 * 1024:
                raise UploadRefused(broken)
            declared = zf.read(types).decode("utf-8", "replace")
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, NotImplementedError, KeyError,
            EOFError) as exc:
        raise UploadRefused(broken) from exc
    lowered = declared.lower()
    if "<!doctype" in lowered or "<!entity" in lowered:
        raise UploadRefused(f"{prefix}文件中含有不允许的 XML 声明（DOCTYPE/ENTITY），已拒绝。")
    if any(m in lowered for m in MACRO_CONTENT_TYPES):
        raise UploadRefused(f"{prefix}文件中含有宏，不予接受。请“另存为”不含宏的{label}后再上传。")
    if main_type not in lowered and not _strict_main(kind, lowered):
        raise UploadRefused(broken)


def _strict_main(kind: str, lowered: str) -> bool:
    """Older test fixtures and the strict OOXML flavour declare the main part differently; any
    declaration of the main part is enough once the directory is sound."""
    part = "/" + OOXML_MAIN[kind][0]
    return f'partname="{part}"' in lowered


def check_xlsx(data: bytes, *, max_members: int = 500, max_uncompressed: int = 100 * 1024 * 1024,
               max_ratio: int = 200, what: str = "文件") -> None:
    """The one check of a .xlsx package, for the importers and the attachments."""
    check_ooxml(data, "xlsx", max_members=max_members, max_uncompressed=max_uncompressed, max_ratio=max_ratio,
                what=what)


# --- metadata strip ---------------------------------------------------------------------------------
STRIPPED_JPEG_MARKERS = {0xE1, 0xED}  # APP1 (EXIF, XMP), APP13 (Photoshop / IPTC)
STANDALONE_MARKERS = {0x01, *range(0xD0, 0xD8)}  # TEM, RST0–7: no length


def strip_jpeg_metadata(data: bytes, what: str = "文件") -> bytes:
    """The JPEG without its APP1 / APP13 segments (EXIF with the GPS position, XMP, IPTC)."""
    broken = f"{what}：JPEG 图片已损坏，无法接受。请重新拍照或导出后再上传。"
    if not data.startswith(b"\xff\xd8"):
        raise UploadRefused(broken)
    out = bytearray(b"\xff\xd8")
    i = 2
    n = len(data)
    kept_orientation = False
    while True:
        if i >= n or data[i] != 0xFF:
            raise UploadRefused(broken)
        while i < n and data[i] == 0xFF:  # fill bytes before a marker
            i += 1
        if i >= n:
            raise UploadRefused(broken)
        marker = data[i]
        i += 1
        if marker == 0xD9:  # EOI without image data
            out += b"\xff\xd9"
            return bytes(out)
        if marker in STANDALONE_MARKERS:
            out += bytes((0xFF, marker))
            continue
        if i + 2 > n:
            raise UploadRefused(broken)
        (length,) = struct.unpack(">H", data[i:i + 2])
        if length < 2 or i + length > n:
            raise UploadRefused(broken)
        segment = data[i:i + length]
        i += length
        if marker == 0xDA:  # start of scan: the compressed image and everything after it, unchanged
            out += bytes((0xFF, marker)) + segment + data[i:]
            return bytes(out)
        if marker not in STRIPPED_JPEG_MARKERS:
            out += bytes((0xFF, marker)) + segment
        elif marker == 0xE1 and not kept_orientation:
            orientation = exif_orientation(segment[2:])
            if orientation is not None:  # a phone photo keeps which way is up, and nothing else
                out += orientation_segment(orientation)
                kept_orientation = True


def exif_orientation(body: bytes) -> int | None:
    """The Orientation tag (0x0112) of IFD0 in an APP1 EXIF body, or None."""
    if not body.startswith(b"Exif\0\0"):
        return None
    tiff = body[6:]
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or len(tiff) < 8:
        return None
    try:
        (offset,) = struct.unpack(order + "I", tiff[4:8])
        (count,) = struct.unpack(order + "H", tiff[offset:offset + 2])
        for k in range(min(count, 200)):
            entry = offset + 2 + 12 * k
            tag, kind, _ = struct.unpack(order + "HHI", tiff[entry:entry + 8])
            if tag == 0x0112 and kind == 3:
                (value,) = struct.unpack(order + "H", tiff[entry + 8:entry + 10])
                return value if 1 <= value <= 8 else None
    except struct.error:
        return None
    return None


def orientation_segment(orientation: int) -> bytes:
    """An APP1 segment whose EXIF holds the orientation only."""
    tiff = b"MM\0*" + struct.pack(">IH", 8, 1) + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + b"\0\0\0\0"
    body = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def strip_png_metadata(data: bytes, what: str = "文件") -> bytes:
    """The PNG without its ``eXIf`` chunk (and the text chunks that may carry the same)."""
    broken = f"{what}：PNG 图片已损坏，无法接受。"
    if not data.startswith(PNG_MAGIC):
        raise UploadRefused(broken)
    out = bytearray(PNG_MAGIC)
    i = len(PNG_MAGIC)
    n = len(data)
    while i < n:
        if i + 8 > n:
            raise UploadRefused(broken)
        (length,) = struct.unpack(">I", data[i:i + 4])
        kind = data[i + 4:i + 8]
        end = i + 12 + length
        if end > n:
            raise UploadRefused(broken)
        if kind not in (b"eXIf", b"zTXt", b"tEXt", b"iTXt"):
            out += data[i:end]
        i = end
        if kind == b"IEND":
            return bytes(out)
    raise UploadRefused(broken)
