"""Safe reading of uploaded spreadsheets (.xlsx, .csv) for every importer.

``check_upload(name, data)`` refuses, with a clear Chinese message, anything that is not a plain
spreadsheet we can read safely — and does so *before* any parser sees the bytes:

- too large (``CSO_IMPORT_MAX_BYTES``, 20 MB by default);
- a name that is not .xlsx / .csv (.xlsm and other macro formats are refused by name *and* by content);
- an OLE/CFB container (header ``D0CF11E0``): a password-protected workbook or an old .xls;
- a .xlsx that is not a zip, lacks the workbook parts, or carries a VBA project;
- a zip bomb: too many members, too large a declared uncompressed total, or a compression ratio
  beyond any real workbook. Python's ``zipfile`` never inflates a member past its declared size,
  so checking the declared sizes bounds what openpyxl can ever read;
- a .csv that is binary or in none of UTF-8, UTF-8 with BOM or GB18030.

``read_table(upload)`` then yields the header and the rows (``(row_number, values)``, row numbers as
the user sees them in Excel), refusing a file with more than ``CSO_IMPORT_MAX_ROWS`` data rows.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings

OLE_HEADER = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_HEADER = b"PK\x03\x04"
MACRO_EXTENSIONS = {".xlsm", ".xltm", ".xlam", ".xlsb", ".docm", ".pptm"}
ALLOWED_EXTENSIONS = {".xlsx", ".csv"}
REQUIRED_XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_bytes() -> int:
    return _limit("CSO_IMPORT_MAX_BYTES", 20 * 1024 * 1024)


def max_rows() -> int:
    return _limit("CSO_IMPORT_MAX_ROWS", 200_000)


def max_uncompressed() -> int:
    return _limit("CSO_IMPORT_MAX_UNCOMPRESSED", 400 * 1024 * 1024)


def max_ratio() -> int:
    return _limit("CSO_IMPORT_MAX_RATIO", 200)


def max_members() -> int:
    return _limit("CSO_IMPORT_MAX_MEMBERS", 500)


class UploadRefused(Exception):
    """The file cannot be imported; ``message`` says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Upload:
    name: str
    kind: str  # "xlsx" or "csv"
    data: bytes
    text: str | None = None  # decoded CSV
    encoding: str | None = None


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def check_upload(name: str, data: bytes) -> Upload:
    """Check an uploaded file before anything parses it; raise ``UploadRefused`` or return it typed."""
    name = PurePath(name or "").name
    ext = PurePath(name).suffix.lower()
    if not data:
        raise UploadRefused("文件是空的，请选择填写好的 .xlsx 或 .csv 文件。")
    if len(data) > max_bytes():
        raise UploadRefused(
            f"文件过大（{len(data) / 1024 / 1024:.1f} MB），单个文件不能超过 {_mb(max_bytes())}；请拆分成几个文件分别导入。"  # noqa: E501
        )
    if ext in MACRO_EXTENSIONS:
        raise UploadRefused("不接受含宏的 Excel 文件（.xlsm 等）。请在 Excel 中“另存为”不含宏的 .xlsx 工作簿后再上传。")
    if data[:8] == OLE_HEADER:
        raise UploadRefused(
            "该文件已加密（设置了打开密码）或是旧版 Excel（.xls）格式，无法读取。"
            "请取消密码保护，并“另存为” .xlsx 工作簿后再上传。"
        )
    if ext == ".xls":
        raise UploadRefused("不支持旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 工作簿后再上传。")
    if ext not in ALLOWED_EXTENSIONS:
        raise UploadRefused(f"不支持“{ext or '无扩展名'}”文件，只能上传 Excel 工作簿（.xlsx）或 CSV 文件（.csv）。")
    if ext == ".xlsx":
        _check_xlsx(data)
        return Upload(name=name, kind="xlsx", data=data)
    text, encoding = _decode_csv(data)
    return Upload(name=name, kind="csv", data=data, text=text, encoding=encoding)


def _check_xlsx(data: bytes) -> None:
    not_xlsx = "文件不是有效的 Excel 工作簿（.xlsx），可能已损坏或只是改了扩展名。请用 Excel 打开后重新“另存为” .xlsx 再上传。"  # noqa: E501
    if data[:4] != ZIP_HEADER:
        raise UploadRefused(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise UploadRefused(not_xlsx) from exc
    if len(infos) > max_members():
        raise UploadRefused(f"文件内部包含 {len(infos)} 个部件，超过上限 {max_members()}，不像正常的工作簿，已拒绝。")
    total = sum(i.file_size for i in infos)
    if total > max_uncompressed():
        raise UploadRefused(
            f"文件解压后达 {_mb(total)}，超过上限 {_mb(max_uncompressed())}（疑似“压缩炸弹”），已拒绝。"
        )
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > max_ratio() * max(info.compress_size, 1):
            raise UploadRefused(
                f"文件内部“{info.filename}”的压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍，"
                f"疑似“压缩炸弹”），已拒绝。"
            )
    names = {i.filename for i in infos}
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UploadRefused("工作簿中含有宏（VBA），不予接受。请“另存为”不含宏的 .xlsx 工作簿后再上传。")
    missing = [p for p in REQUIRED_XLSX_PARTS if p not in names]
    if missing:
        raise UploadRefused(not_xlsx)
    if any(i.flag_bits & 0x1 for i in infos):
        raise UploadRefused("该文件已加密，无法读取。请取消密码保护后再上传。")


def _decode_csv(data: bytes) -> tuple[str, str]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:65536]:
        raise UploadRefused("CSV 文件中含有二进制内容（可能是 UTF-16 编码或并非文本），请用 UTF-8 或 GB18030 编码另存后再上传。")  # noqa: E501
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8-BOM"
        except UnicodeDecodeError as exc:
            raise UploadRefused(f"CSV 文件声明为 UTF-8 编码，但第 {exc.start} 字节处无法解码，文件可能已损坏。") from exc  # noqa: E501
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as exc:
        raise UploadRefused("无法识别 CSV 文件的编码，请用 UTF-8 或 GB18030（GBK）编码另存后再上传。") from exc


# --- reading -----------------------------------------------------------------------------------
@dataclass
class Table:
    """The header row and an iterator over the data rows of the first worksheet (or the CSV)."""

    header: list[str]
    header_row: int
    rows: Iterator[tuple[int, tuple]]
    estimated_rows: int


def _blank(row) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def read_table(upload: Upload, sheet: str | None = None) -> Table:
    """Open the checked file and return its header and rows. Raises ``UploadRefused``."""
    if upload.kind == "csv":
        return _read_csv(upload)
    return _read_xlsx(upload, sheet)


def _limited(rows: Iterator[tuple[int, tuple]]) -> Iterator[tuple[int, tuple]]:
    limit = max_rows()
    count = 0
    for number, row in rows:
        if _blank(row):
            continue
        count += 1
        if count > limit:
            raise UploadRefused(f"数据行超过上限 {limit:,} 行，请拆分成几个文件分别导入。")
        yield number, row


def _header_and_rows(rows: Iterator[tuple], estimated: int) -> Table:
    numbered = ((i, r) for i, r in enumerate(rows, start=1))
    for number, row in numbered:
        if not _blank(row):
            header = ["" if v is None else str(v).strip() for v in row]
            while header and not header[-1]:
                header.pop()
            return Table(header=header, header_row=number, rows=_limited(numbered),
                         estimated_rows=max(estimated - number, 0))
    raise UploadRefused("文件中没有任何内容：第一行应为列标题，从第二行起每行一个组织。")


def _read_csv(upload: Upload) -> Table:
    text = upload.text or ""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    estimated = text.count("\n") + 1
    if estimated > max_rows() + 50:
        raise UploadRefused(f"数据行超过上限 {max_rows():,} 行，请拆分成几个文件分别导入。")
    reader = csv.reader(io.StringIO(text, newline=""), dialect)

    def rows():
        try:
            for row in reader:
                yield tuple(v if v.strip() else None for v in row)
        except csv.Error as exc:
            raise UploadRefused(f"CSV 文件格式有误（第 {reader.line_num} 行）：{exc}") from exc

    return _header_and_rows(rows(), estimated)


def _read_xlsx(upload: Upload, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    broken = "Excel 工作簿已损坏或格式不正确，无法读取。请用 Excel 打开后重新“另存为” .xlsx 再上传。"
    try:
        wb = load_workbook(io.BytesIO(upload.data), read_only=True, data_only=True)
        ws = wb[sheet] if sheet and sheet in wb.sheetnames else wb.worksheets[0]
    except UploadRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise UploadRefused(broken) from exc
    declared = ws.max_row or 0
    if declared > max_rows() + 50:
        raise UploadRefused(f"工作表有 {declared:,} 行，超过上限 {max_rows():,} 行，请拆分成几个文件分别导入。")

    def rows():
        try:
            yield from ws.iter_rows(values_only=True)
        except UploadRefused:
            raise
        except Exception as exc:
            raise UploadRefused(broken) from exc
        finally:
            wb.close()

    try:
        return _header_and_rows(rows(), declared)
    except UploadRefused:
        wb.close()
        raise
