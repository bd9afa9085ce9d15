"""Sample materials for the demo cases: a one-page PDF, generated here (no binary file in the repository), that
says it is a 演示材料, attached through ``cso.applications.materials.add`` so the same checks run as for an
applicant's upload. ``attach_required(application, user)`` attaches one to every material the case must carry."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile


def _hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF (A4) showing ``lines`` in the standard Chinese font STSong-Light (a font every PDF
    reader substitutes; nothing embedded), with a correct cross-reference table."""
    text = ["BT", "/F1 16 Tf", "72 760 Td", "22 TL"]
    for line in lines:
        text.append(f"<{_hex(line)}> Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def sample_file(application, material) -> SimpleUploadedFile:
    """The 演示材料 standing in for ``material`` of ``application``."""
    title = application.kind_spec.title(application) or application.kind_spec.label
    data = pdf(["演示材料（非真实文件）", material.label, f"申请事项：{application.kind_spec.label}", f"申请：{title}"])
    return SimpleUploadedFile(f"{material.label}（演示）.pdf", data, content_type="application/pdf")


def attach_required(application, user) -> int:
    """Attach a 演示材料 to each required material of the case not yet carrying a file; returns how many."""
    from cso.applications import materials

    missing = materials.missing_required(application)
    for material in missing:
        materials.add(application, user, material.code, sample_file(application, material))
    return len(missing)
