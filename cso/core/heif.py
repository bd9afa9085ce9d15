"""Removing the location from a phone's HEIC/HEIF photo without an image library.

A HEIF file (ISO/IEC 23008-12, on the ISO base media file format) keeps its metadata as *items* beside the image:
an ``Exif`` item (with the GPS position) and an XMP packet as a ``mime`` item of type ``application/rdf+xml``.
The ``meta`` box lists the items (``iinf`` → ``infe``) and where their bytes lie (``iloc``: extents in the file,
or inside the ``idat`` box). ``blank_metadata(data)`` overwrites the bytes of those items with zeros, in place:
every offset in the file stays valid, the picture is untouched, and the position is gone. A file whose boxes
cannot be walked is refused (``HeifError``): phones write well-formed files, and a file we cannot read is a file
whose metadata we cannot vouch for.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

METADATA_MIME = (b"application/rdf+xml", b"application/xmp")


class HeifError(ValueError):
    """The file's boxes cannot be walked."""


@dataclass
class _Box:
    kind: bytes
    start: int  # of the payload
    end: int


def _boxes(data: bytes, start: int, end: int) -> list[_Box]:
    out = []
    pos = start
    while pos < end:
        if pos + 8 > end:
            raise HeifError("truncated box header")
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if pos + 16 > end:
                raise HeifError("truncated large size")
            size = struct.unpack_from(">Q", data, pos + 8)[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise HeifError(f"box {kind!r} runs past its parent")
        out.append(_Box(kind, pos + header, pos + size))
        pos += size
    return out


def _uint(data: bytes, pos: int, size: int, limit: int) -> tuple[int, int]:
    if size == 0:
        return 0, pos
    if pos + size > limit or size not in (1, 2, 4, 8):
        raise HeifError("truncated field")
    return int.from_bytes(data[pos:pos + size], "big"), pos + size


@dataclass
class _Item:
    construction: int = 0
    base: int = 0
    extents: list[tuple[int, int]] = field(default_factory=list)


def _iloc(data: bytes, box: _Box) -> dict[int, _Item]:
    end = box.end
    version, pos = _uint(data, box.start, 1, end)
    pos += 3  # flags
    sizes, pos = _uint(data, pos, 2, end)
    offset_size, length_size = sizes >> 12, (sizes >> 8) & 0xF
    base_size, index_size = (sizes >> 4) & 0xF, (sizes & 0xF) if version in (1, 2) else 0
    count, pos = _uint(data, pos, 2 if version < 2 else 4, end)
    items: dict[int, _Item] = {}
    for _ in range(count):
        item_id, pos = _uint(data, pos, 2 if version < 2 else 4, end)
        item = _Item()
        if version in (1, 2):
            method, pos = _uint(data, pos, 2, end)
            item.construction = method & 0xF
        pos += 2  # data_reference_index
        item.base, pos = _uint(data, pos, base_size, end)
        extents, pos = _uint(data, pos, 2, end)
        for _ in range(extents):
            _, pos = _uint(data, pos, index_size, end)
            offset, pos = _uint(data, pos, offset_size, end)
            length, pos = _uint(data, pos, length_size, end)
            item.extents.append((offset, length))
        items[item_id] = item
    return items


def _metadata_items(data: bytes, box: _Box) -> set[int]:
    """Ids of the Exif and XMP items listed in ``iinf``."""
    version = data[box.start]
    pos = box.start + 4 + (2 if version == 0 else 4)
    found = set()
    for entry in _boxes(data, pos, box.end):
        if entry.kind != b"infe":
            continue
        v = data[entry.start]
        if v < 2:
            continue  # versions 0 and 1 carry no item type (not written by phones)
        p = entry.start + 4
        item_id, p = _uint(data, p, 2 if v == 2 else 4, entry.end)
        p += 2  # item_protection_index
        if p + 4 > entry.end:
            raise HeifError("truncated infe")
        kind = data[p:p + 4]
        rest = data[p + 4:entry.end]
        if kind == b"Exif":
            found.add(item_id)
        elif kind == b"mime":
            content_type = rest.split(b"\0")[1] if rest.count(b"\0") >= 2 else b""  # item_name\0content_type\0
            if content_type.strip().lower() in METADATA_MIME:
                found.add(item_id)
    return found


def blank_metadata(data: bytes) -> bytes:
    """The file with the bytes of its Exif and XMP items set to zero (see the module's text)."""
    try:
        return _blank(data)
    except (IndexError, struct.error) as exc:
        raise HeifError("truncated box") from exc


def _blank(data: bytes) -> bytes:
    top = _boxes(data, 0, len(data))
    if not top or top[0].kind != b"ftyp":
        raise HeifError("no ftyp box first")
    metas = [b for b in top if b.kind == b"meta"]
    if len(metas) != 1:
        raise HeifError("expected one meta box")
    meta = metas[0]
    children = _boxes(data, meta.start + 4, meta.end)  # meta is a full box: version and flags first
    by_kind: dict[bytes, _Box] = {}
    for child in children:
        by_kind.setdefault(child.kind, child)
    if b"iinf" not in by_kind:
        return data
    wanted = _metadata_items(data, by_kind[b"iinf"])
    if not wanted:
        return data
    if b"iloc" not in by_kind:
        raise HeifError("items without locations")
    locations = _iloc(data, by_kind[b"iloc"])
    idat = by_kind.get(b"idat")
    out = bytearray(data)
    for item_id in wanted:
        item = locations.get(item_id)
        if item is None:
            continue
        if item.construction == 0:
            origin, limit = 0, len(data)
        elif item.construction == 1 and idat is not None:
            origin, limit = idat.start, idat.end
        else:
            raise HeifError("metadata item stored in a way we cannot blank")
        for offset, length in item.extents:
            first = origin + item.base + offset
            last = limit if length == 0 else first + length
            if first < origin or last > limit or first > last:
                raise HeifError("metadata extent outside the file")
            out[first:last] = bytes(last - first)
    return bytes(out)
