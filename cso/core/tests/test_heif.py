"""A phone's HEIC photo loses its Exif (GPS position) and XMP items, in place; the picture's bytes and every
offset stay as they were; a file whose boxes cannot be walked is refused, and no input makes the walk crash."""

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cso.core import heif
from cso.core.filetypes import UploadRefused, check_file

PICTURE = b"HEVC-PICTURE-BYTES" * 4
EXIF = b"Exif\0\0MM\0*GPS:22.8170N,108.3665E"
XMP = b'<x:xmpmeta><rdf:RDF><exif:GPSLatitude>22.8170</exif:GPSLatitude></rdf:RDF></x:xmpmeta>'


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def full(kind: bytes, payload: bytes, version: int = 0) -> bytes:
    return box(kind, bytes((version, 0, 0, 0)) + payload)


def infe(item_id: int, kind: bytes, extra: bytes = b"") -> bytes:
    return full(b"infe", struct.pack(">HH", item_id, 0) + kind + b"\0" + extra, version=2)


def heic(xmp_in_idat: bool = False) -> bytes:
    """ftyp, meta (hdlr, pitm, iinf, iloc[, idat]), mdat: item 1 the picture, 2 Exif, 3 XMP."""
    ftyp = box(b"ftyp", b"heic\0\0\0\0mif1heic")
    iinf = full(b"iinf", struct.pack(">H", 3) + infe(1, b"hvc1") + infe(2, b"Exif")
                + infe(3, b"mime", b"application/rdf+xml\0"))
    hdlr = full(b"hdlr", b"\0\0\0\0pict" + b"\0" * 12 + b"\0")
    pitm = full(b"pitm", struct.pack(">H", 1))
    idat = box(b"idat", XMP) if xmp_in_idat else b""

    def iloc(mdat_payload_start: int) -> bytes:
        rows = [(1, 0, mdat_payload_start, len(PICTURE)), (2, 0, mdat_payload_start + len(PICTURE), len(EXIF))]
        rows.append((3, 1, 0, len(XMP)) if xmp_in_idat
                    else (3, 0, mdat_payload_start + len(PICTURE) + len(EXIF), len(XMP)))
        body = struct.pack(">HH", 0x4400, len(rows))  # offset 4, length 4, base 0, index 0
        for item_id, method, offset, length in rows:
            body += struct.pack(">HHH", item_id, method, 0) + struct.pack(">HII", 1, offset, length)
        return full(b"iloc", body, version=1)

    def build(start: int) -> bytes:
        meta = full(b"meta", hdlr + pitm + iinf + iloc(start) + idat)
        return ftyp + meta

    head = build(0)
    head = build(len(head) + 8)  # the mdat payload starts after its 8-byte header
    mdat = box(b"mdat", PICTURE + EXIF + (b"" if xmp_in_idat else XMP))
    return head + mdat


@pytest.mark.parametrize("xmp_in_idat", [False, True])
def test_exif_and_xmp_are_blanked_in_place(xmp_in_idat):
    original = heic(xmp_in_idat)
    stored = check_file("IMG_0001.HEIC", original).data
    assert len(stored) == len(original)
    assert PICTURE in stored and b"GPS" not in stored and b"22.8170" not in stored
    assert stored.replace(b"\0", b"") != original.replace(b"\0", b"")
    assert heif.blank_metadata(stored) == stored  # idempotent


def test_a_photo_without_metadata_is_kept_as_it_came():
    ftyp = box(b"ftyp", b"heic\0\0\0\0mif1heic")
    data = ftyp + full(b"meta", full(b"iinf", struct.pack(">H", 1) + infe(1, b"hvc1"))) + box(b"mdat", PICTURE)
    assert check_file("a.heic", data).data == data


def test_a_heic_whose_boxes_cannot_be_walked_is_refused():
    broken = heic()[:60]
    with pytest.raises(UploadRefused, match="无法读取该 HEIC 照片"):
        check_file("IMG_0002.HEIC", broken)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.integers(min_value=0, max_value=700))
def test_no_input_makes_the_walk_crash(noise, at):
    data = bytearray(heic())
    data[at:at + len(noise)] = noise
    try:
        out = heif.blank_metadata(bytes(data))
    except heif.HeifError:
        return
    assert len(out) == len(data)
