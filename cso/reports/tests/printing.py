"""Helpers of the print checks: convert a workbook to PDF with LibreOffice and count its pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_pages(workbook: bytes, tmp_path: Path) -> int:
    """Convert the workbook with ``soffice --headless --convert-to pdf`` and count the PDF's pages."""
    if not Path(SOFFICE).exists():
        pytest.skip("未安装 LibreOffice（/usr/bin/soffice），跳过单页打印检查")
    source = tmp_path / "table.xlsx"
    source.write_bytes(workbook)
    home = tmp_path / "home"
    home.mkdir()
    out = tmp_path / "pdf"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{home}/lo", "--headless", "--convert-to", "pdf", "--outdir",
         str(out), str(source)],
        check=True, capture_output=True, timeout=180, env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
    )
    pdf = (out / "table.pdf").read_bytes()
    return len(PAGE.findall(pdf))
