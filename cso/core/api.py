"""Shared pieces of the apps' REST APIs (django-ninja): the limit / offset page.

A list endpoint scopes and filters its rows itself (``visible_to``, its filters, its errors); what every
offset-paged list then answers is the same shape — ``{"count", "limit", "offset", "items"}`` — with the
limit capped at ``MAX_LIMIT``. The registry's organization list pages by cursor and is not of this shape.
"""

from __future__ import annotations

from collections.abc import Callable

from ninja import Schema

MAX_LIMIT = 500


class OffsetPage(Schema):
    """Base of a page schema; a subclass adds ``items: list[ItsOut]`` (fields keep this order)."""

    count: int
    limit: int
    offset: int


def offset_page(rows, limit: int, offset: int, *, items: Callable = list) -> dict:
    """One page of ``rows`` (a QuerySet, or anything with ``count()`` and slicing) from ``offset``.

    The limit is capped at ``MAX_LIMIT``; ``items`` turns the page's slice into the listed rows (by default
    a list of them).
    """
    limit = min(limit, MAX_LIMIT)
    return {"count": rows.count(), "limit": limit, "offset": offset, "items": items(rows[offset:offset + limit])}
