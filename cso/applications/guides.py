"""办事指南: which text of a kind's guide a province shows, and how its plain text becomes safe HTML.

``guide_for(kind, province)`` → the province's own text (``Guide`` row of that province), else the national row,
else the platform's text (``guides_default``). Guides are written as plain text with a few marks (list items,
paragraphs, bold); every character a person typed is escaped — no HTML from users reaches a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cso.regions import codes

from .guides_default import DEFAULTS, FIELD_LABELS, FIELDS, LABELS
from .models import Guide, step_days

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LIMIT = re.compile(r"\{(submitted|accepted|needs_correction)\}")
_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.、)])\s+")


def render(text: str) -> SafeString:
    """Plain text → HTML: paragraphs, ``- `` list items, ``**bold**``; everything else escaped."""
    out: list[str] = []
    items: list[str] = []
    para: list[str] = []

    def inline(line: str) -> str:
        return _BOLD.sub(r"<strong>\1</strong>", escape(line.strip()))

    def flush():
        if para:
            out.append("<p>" + "<br>".join(inline(x) for x in para) + "</p>")
            para.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{inline(x)}</li>" for x in items) + "</ul>")
            items.clear()

    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if not line.strip():
            flush()
        elif _ITEM.match(line):
            if para:
                flush()
            items.append(_ITEM.sub("", line, count=1))
        else:
            if items:
                flush()
            para.append(line)
    flush()
    return mark_safe("".join(out))  # every piece of text above went through escape()


def province_code(division_code: str | None) -> str | None:
    """The 12-digit code of the province of a division code (or of a 2-digit province prefix)."""
    if not division_code or not str(division_code)[:2].isdigit():
        return None
    return codes.pad_code(str(division_code)[:2])


def fill_limits(text: str) -> str:
    """The step limits (days) put in for {submitted}, {accepted} and {needs_correction}."""
    days = step_days()
    # a plain substitution, never str.format on text a person typed
    return _LIMIT.sub(lambda m: str(days.get(m.group(1), m.group(0))), text or "")


@dataclass
class GuideText:
    kind: str
    label: str
    source: str  # "本省" / "全国" / "本平台"
    province: str | None
    fields: dict[str, str]  # raw text
    updated_by: str = ""
    updated_at: datetime | None = None
    raw: dict[str, str] | None = None  # as written, step limits still as {submitted} … (for the edit form)

    @property
    def sections(self) -> list[tuple[str, str, SafeString]]:
        """(field, label, html) of each section, in order."""
        return [(name, FIELD_LABELS[name], render(self.fields.get(name, ""))) for name in FIELDS]


def default_fields(kind: str) -> dict[str, str]:
    return {name: fill_limits(DEFAULTS[kind][name]) for name in FIELDS}


def guide_for(kind: str, province: str | None = None) -> GuideText | None:
    """The guide shown for ``kind`` in ``province`` (any division code of it, or none); None for an unknown kind."""
    if kind not in DEFAULTS:
        return None
    code = province_code(province)
    row = Guide.objects.filter(kind=kind, province_id=code).select_related("updated_by").first() if code else None
    if row is None:
        row = Guide.objects.filter(kind=kind, province__isnull=True).select_related("updated_by").first()
    if row is not None:
        raw = {name: getattr(row, name) for name in FIELDS}
        return GuideText(kind, LABELS[kind], "本省" if row.province_id else "全国", row.province_id,
                         {name: fill_limits(text) for name, text in raw.items()},
                         row.updated_by.display_name if row.updated_by else "", row.updated_at, raw)
    return GuideText(kind, LABELS[kind], "本平台", None, default_fields(kind),
                     raw={name: DEFAULTS[kind][name] for name in FIELDS})
