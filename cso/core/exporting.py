"""How a list export is answered: written in the request when it is small, a background job (``cso.core.jobs``)
when it is large — and, for the lists whose file is CSV or .xlsx, that file written the same way in both places.

A view calls ``now_or_submit(rows, answer, submit)``: ``answer()`` gives the file's response, ``submit()`` records the
app's job (its kind, title and parameters); a large export sends the user to the job's page, which shows the progress
and offers the file. A ``ListFile`` writes a list's file, CSV or .xlsx, the same way in the request (``response``) and
in the worker (``output``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header

from . import csvfiles
from .jobs import CSV, XLSX, Output
from .models import Job


def fits_the_request(rows) -> bool:
    """Whether an export of ``rows`` is written in the request: at most ``settings.CSO_EXPORT_SYNC_ROWS`` rows. A
    queryset is counted up to one more than that, no further; anything else (a list with ``len``) is measured whole."""
    limit = settings.CSO_EXPORT_SYNC_ROWS
    if isinstance(rows, QuerySet):
        return rows.order_by()[: limit + 1].count() <= limit
    return len(rows) <= limit


def now_or_submit(rows, answer: Callable[[], HttpResponse], submit: Callable[[], Job]) -> HttpResponse:
    """Answer an export of ``rows``: at once (``answer()``, the file) when they fit the request; otherwise
    ``submit()`` records its job, the worker writes the file, and the user is sent to the job's page."""
    if fits_the_request(rows):
        return answer()
    return redirect("core:job", job=submit().pk)


@dataclass
class ListFile:
    """A list's export file: named by ``filename(ext)``; as CSV its ``header`` and ``rows()`` through ``csvfiles``
    (streamed in the request); as .xlsx whatever ``write_xlsx(handle)`` writes on a temporary file."""

    filename: Callable[[str], str]
    header: Iterable
    rows: Callable[[], Iterable[Iterable]]
    write_xlsx: Callable[[IO[bytes]], object]

    def response(self, fmt: str) -> HttpResponse:
        """The file answered in the request."""
        if fmt == "csv":
            out = StreamingHttpResponse(csvfiles.lines(self.header, self.rows()), content_type=CSV)
            out["Content-Disposition"] = content_disposition_header(True, self.filename("csv"))
            return out
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse after streaming
        self.write_xlsx(handle)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=self.filename("xlsx"), content_type=XLSX)

    def output(self, fmt: str) -> Output:
        """The same file written by the worker, kept by its job."""
        if fmt == "csv":
            return Output(self.filename("csv"), CSV, "".join(csvfiles.lines(self.header, self.rows())).encode("utf-8"))
        with tempfile.TemporaryFile() as handle:
            self.write_xlsx(handle)
            handle.seek(0)
            return Output(self.filename("xlsx"), XLSX, handle.read())
