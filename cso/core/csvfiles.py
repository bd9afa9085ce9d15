"""The one way the platform writes CSV files: Excel reads them as UTF-8, and no cell runs as a formula.

A spreadsheet program treats a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (CSV injection: a name like ``=HYPERLINK(...)`` becomes a live link). Every text cell
that begins so is written with a leading apostrophe, which spreadsheets show as text and do not
display. The escape is reversible: a text that already begins with apostrophes followed by one of those
characters gets one more, and ``restore`` (used when a CSV file is read back) takes exactly one away, so
export → import → export gives the same file. Numbers are written as numbers (a negative figure stays
a number). The .xlsx exports write strings as strings and need none of this.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_ESCAPE = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")
BOM = "\ufeff"


def neutralise(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet evaluates."""
    return "'" + text if _NEEDS_ESCAPE.match(text) else text


def restore(text: str) -> str:
    """The text ``neutralise`` was given (for a cell read back from a CSV file)."""
    return text[1:] if _ESCAPED.match(text) else text


def cell(value) -> str | int | float:
    """One value as a CSV cell: empty for None, ISO dates, whole floats without ``.0``, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | Decimal):
        return value
    return neutralise(str(value))


class _Echo:
    def write(self, value):
        return value


def lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The file as lines of text: a BOM (so that Excel reads UTF-8), the header, then the rows."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([cell(v) for v in header])
    for row in rows:
        yield writer.writerow([cell(v) for v in row])


__all__ = ["FORMULA_STARTS", "cell", "lines", "neutralise", "restore"]
