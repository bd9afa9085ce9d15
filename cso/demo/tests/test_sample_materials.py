"""The demo's generated PDF is well formed: its cross-reference table points at each object, its stream length is
right, and the upload checks accept it as a PDF."""

import re

from cso.core import filetypes
from cso.demo.sample_materials import pdf


def test_the_generated_pdf_is_well_formed_and_accepted_as_a_pdf():
    data = pdf(["演示材料（非真实文件）", "章程"])
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    start = int(re.search(rb"startxref\n(\d+)", data).group(1))
    assert data[start:start + 4] == b"xref"
    offsets = [int(o) for o in re.findall(rb"(\d{10}) 00000 n ", data)]
    assert len(offsets) == 7
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(b"%d 0 obj" % number)
    length = int(re.search(rb"/Length (\d+)", data).group(1))
    body = data.index(b"stream\n") + len(b"stream\n")
    assert data[body + length:].startswith(b"\nendstream")
    assert "演示材料".encode("utf-16-be").hex().upper().encode() in data
    assert filetypes.check_file("章程（演示）.pdf", data, allowed=("pdf",)).content_type == "application/pdf"
