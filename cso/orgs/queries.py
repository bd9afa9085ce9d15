"""Search and pagination of the registry list (HTML, API and export share them).

Search (``search_q``): a name substring; full pinyin (``laonian``) or initials (``lnxh``) anywhere
in the name, when the term is ASCII letters; a credit code (18 characters, or a prefix of at least 6) or the registry's
own uid; a leader's name (exact or prefix, through the indexed Leader table).

Pagination: keyset (a cursor on the sort key plus ``id``) for next / previous, so that a deep page
costs the same as the first; a ``page`` number jump by OFFSET over the ids only (an index-only
scan on PostgreSQL), then one query for the rows of that page; and a count that stops at
``COUNT_CAP`` so that a 150,000-row city does not count its whole table on every page.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import date

from django.db import OperationalError, connections, transaction
from django.db.models import BooleanField, Expression, F, Q, Value

from .models import Leader
from .search import normalize_term
from .validators import normalize_credit_code

PAGE_SIZE = 50
COUNT_CAP = 10_000  # beyond it the page says "超过 10,000 条": counting a whole city costs 40 ms or more
MAX_PAGE = 2_000  # page-number jumps reach 100,000 rows deep in the default order (an index-only scan)
MAX_PAGE_OTHER_SORTS = 200  # other orders have no index inside a division subtree: deeper, use the cursors

# A national search for a 1–2 character term cannot use the trigram index: counting it (and
# finding a rare one) reads every name, ≈0.5 s for 3.8 million. Such a term needs a division.
MIN_NATIONAL_TERM = 3
NATIONAL_TERM_NOTICE = "在全国范围内检索时，检索词至少 3 个字；检索 1–2 个字请先填写所在区划（省、市或区县代码）。"
# The first pages of a search are tried by walking the list order's index (see ``_probe_order_walk``).
ORDER_WALK_TIMEOUT_MS = 30

LEADER_MATCHES = 5_000
ASCII_LETTERS = re.compile(r"^[a-z]+$")
CODE_LIKE = re.compile(r"^[0-9A-Z]+$")


# --- search ------------------------------------------------------------------------------------
def search_q(text: str) -> Q:
    """The condition a search term puts on organizations (empty term: no condition)."""
    text = normalize_term(text)
    if not text:
        return Q()
    lowered = text.lower().replace(" ", "")
    q = Q(name__contains=text)
    if ASCII_LETTERS.match(lowered):
        q |= Q(name_pinyin__contains=lowered) | Q(name_initials__contains=lowered)
    code = normalize_credit_code(text)
    if CODE_LIKE.match(code) and any(c.isdigit() for c in code):
        if len(code) == 18:
            q |= Q(credit_code=code)
        elif len(code) >= 6:
            q |= Q(credit_code__startswith=code)
        if code.startswith("ZZ") and len(code) >= 6:
            q |= Q(uid__startswith=code)
    if not text.isascii() and len(text) <= 20:
        # Resolved first (an indexed prefix scan of the leaders), so that the database can OR a
        # list of ids with the name's trigram index instead of re-running a subquery per row.
        ids = list(Leader.objects.filter(name__startswith=text).order_by()
                   .values_list("organization_id", flat=True)[:LEADER_MATCHES])
        if ids:
            q |= Q(id__in=ids)
    return q


def search_needs_scope(text: str | None, *, national: bool, division: str | None) -> bool:
    """True when a national user searches 1–2 characters (spaces not counted) without choosing a division."""
    text = normalize_term(text).replace(" ", "")
    return bool(text) and national and not division and len(text) < MIN_NATIONAL_TERM


# --- sorting -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Key:
    field: str
    descending: bool = False
    nullable: bool = False
    is_date: bool = False


@dataclass(frozen=True)
class Sort:
    code: str
    label: str
    keys: tuple[Key, ...]

    @property
    def max_page(self) -> int:
        return MAX_PAGE if self.code == DEFAULT_SORT else MAX_PAGE_OTHER_SORTS


def _sorts() -> dict[str, Sort]:
    base = [
        ("division", "所在区划", (Key("division_id"), Key("name"))),
        ("name", "名称", (Key("name"),)),
        ("founded", "成立日期", (Key("founded_on", nullable=True, is_date=True),)),
        ("registered", "登记日期", (Key("registered_on", nullable=True, is_date=True),)),
        ("filed", "备案日期", (Key("filed_on", nullable=True, is_date=True),)),
        ("status", "状态", (Key("status"), Key("name"))),
    ]
    out = {}
    for code, label, keys in base:
        out[code] = Sort(code, f"{label}（升序）", (*keys, Key("id")))
        out[f"-{code}"] = Sort(
            f"-{code}", f"{label}（降序）",
            (*(Key(k.field, True, k.nullable, k.is_date) for k in keys), Key("id", True)),
        )
    return out


SORTS = _sorts()
DEFAULT_SORT = "division"
SORT_CHOICES = [(code, sort.label) for code, sort in SORTS.items()]


def get_sort(code: str | None) -> Sort:
    return SORTS.get(code or DEFAULT_SORT) or SORTS[DEFAULT_SORT]


def _order_by(sort: Sort, reverse: bool = False) -> list:
    """Order expressions; NULLs always come last in the reading direction."""
    out = []
    for key in sort.keys:
        descending = key.descending != reverse
        expr = F(key.field)
        nulls = ({"nulls_first": True} if reverse else {"nulls_last": True}) if key.nullable else {}
        out.append(expr.desc(**nulls) if descending else expr.asc(**nulls))
    return out


def order(queryset, sort: Sort):
    return queryset.order_by(*_order_by(sort))


# --- cursors -----------------------------------------------------------------------------------
def encode_cursor(sort: Sort, row) -> str:
    values = []
    for key in sort.keys:
        value = getattr(row, key.field) if not isinstance(row, dict) else row[key.field]
        values.append(value.isoformat() if isinstance(value, date) else value)
    raw = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(sort: Sort, cursor: str) -> list | None:
    """The key values of a cursor, or None when it is malformed or belongs to another sort."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, TypeError):
        return None
    if not isinstance(values, list) or len(values) != len(sort.keys):
        return None
    out = []
    for key, value in zip(sort.keys, values, strict=True):
        if value is None:
            if not key.nullable:
                return None
            out.append(None)
            continue
        if key.field == "id":
            if not isinstance(value, int):
                return None
        elif key.is_date:
            try:
                value = date.fromisoformat(value)
            except (TypeError, ValueError):
                return None
        elif not isinstance(value, str):
            return None
        out.append(value)
    return out


class RowCompare(Expression):
    """``(a, b, c) > (%s, %s, %s)``: a row-value comparison, usable in ``filter()``.

    PostgreSQL answers it with one range scan of a ``(a, b, c)`` index (0.5 ms for a deep page of
    3.8 million organizations, against 22 ms for the equivalent ``a > x OR (a = x AND b > y) …``);
    SQLite has row values since 3.15. Comparison is lexicographic in the columns' own order and
    collation, exactly the order ``ORDER BY a, b, c`` reads (for non-NULL values).
    """

    conditional = True
    output_field = BooleanField()
    OPERATORS = ("<", "<=", ">", ">=")

    def __init__(self, fields, op: str, values):
        if op not in self.OPERATORS or len(fields) != len(values) or not fields:
            raise ValueError("RowCompare needs as many values as fields and one of < <= > >=")
        super().__init__(output_field=BooleanField())
        self.fields, self.op = list(fields), op
        self.lhs = [F(f) for f in fields]
        self.rhs = [v if hasattr(v, "resolve_expression") else Value(v) for v in values]

    def get_source_expressions(self):
        return [*self.lhs, *self.rhs]

    def set_source_expressions(self, exprs):
        n = len(self.fields)
        self.lhs, self.rhs = list(exprs[:n]), list(exprs[n:])

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        c = self.copy()
        c.is_summary = summarize
        c.lhs = [e.resolve_expression(query, allow_joins, reuse, summarize, for_save) for e in self.lhs]
        rhs = []
        for column, value in zip(c.lhs, self.rhs, strict=True):
            if isinstance(value, Value) and getattr(column, "target", None) is not None:
                # The column's own conversion (dates, etc.) rather than a guessed type.
                value = Value(value.value, output_field=column.target)
            rhs.append(value.resolve_expression(query, allow_joins, reuse, summarize, for_save))
        c.rhs = rhs
        return c

    def as_sql(self, compiler, connection):
        params: list = []
        sides = []
        for side in (self.lhs, self.rhs):
            parts = []
            for expr in side:
                sql, p = compiler.compile(expr)
                parts.append(sql)
                params.extend(p)
            sides.append(f"({', '.join(parts)})")
        return f"{sides[0]} {self.op} {sides[1]}", params


def keyset_q(sort: Sort, values: list, backwards: bool = False) -> Q:
    """Rows strictly after (``backwards``: before) the cursor ``values`` in ``sort`` order.

    When every key reads in the same direction and none is nullable (the default order
    ``division_id, name, id`` and most others) this is one row-value comparison; otherwise the
    ``OR`` of comparisons of :func:`_beyond`, which also handles NULLs (they come last).
    """
    directions = {key.descending for key in sort.keys}
    if len(directions) == 1 and not any(key.nullable for key in sort.keys) and None not in values:
        forward = sort.keys[0].descending == backwards  # True: the next rows have larger values
        return Q(RowCompare([k.field for k in sort.keys], ">" if forward else "<", values))
    return _beyond(sort, values, backwards)


def _beyond(sort: Sort, values: list, backwards: bool) -> Q:
    """Rows strictly after (or before) the cursor in the sort order, NULLs last (the general form)."""
    result = Q(pk__in=[])
    equal = Q()
    # A redundant bound on the first key turns the OR below into an index range scan.
    first, first_value = sort.keys[0], values[0]
    bound = Q()
    if first_value is not None and (not first.nullable or backwards):
        forward = first.descending == backwards
        bound = Q(**{f"{first.field}__{'gte' if forward else 'lte'}": first_value})
    for key, value in zip(sort.keys, values, strict=True):
        forward = key.descending == backwards  # True: the next rows have larger values
        op = "gt" if forward else "lt"
        if value is None:
            # NULLs are last: after a NULL only NULLs follow; before it come all non-NULLs.
            step = Q(**{f"{key.field}__isnull": False}) if backwards else Q(pk__in=[])
            same = Q(**{f"{key.field}__isnull": True})
        else:
            step = Q(**{f"{key.field}__{op}": value})
            if key.nullable and not backwards:
                step |= Q(**{f"{key.field}__isnull": True})
            same = Q(**{key.field: value})
        result |= equal & step
        equal &= same
    return bound & result


# --- pages -------------------------------------------------------------------------------------
@dataclass
class Page:
    rows: list
    sort: Sort
    number: int | None = None  # the page number when reached by number
    count: int | None = None  # None: more than COUNT_CAP
    has_next: bool = False
    has_previous: bool = False
    next_cursor: str | None = None
    previous_cursor: str | None = None
    per_page: int = PAGE_SIZE
    extra: dict = field(default_factory=dict)

    @property
    def count_capped(self) -> bool:
        return self.count is None

    @property
    def num_pages(self) -> int | None:
        if self.count is None:
            return None
        return max(1, -(-self.count // self.per_page))

    @property
    def max_jump(self) -> int:
        return min(self.num_pages or self.sort.max_page, self.sort.max_page)

    @property
    def start_index(self) -> int | None:
        if self.number is None or not self.rows:
            return None
        return (self.number - 1) * self.per_page + 1

    @property
    def end_index(self) -> int | None:
        start = self.start_index
        return None if start is None else start + len(self.rows) - 1


def capped_count(queryset, cap: int | None = None) -> int | None:
    """The number of rows, or None when there are more than ``cap`` (default ``COUNT_CAP``)."""
    cap = COUNT_CAP if cap is None else cap
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return None if n > cap else n


PROBE_MAX_OFFSET = 10 * PAGE_SIZE


def _probe_order_walk(keys_qs) -> list | None:
    """The page's keys found by walking the sort order's index, or None if that takes too long.

    For a name search PostgreSQL estimates the matches of ``LIKE '%…%'`` from the trigram index
    badly (380 for 太极拳, which 52,710 of 3.8 million names contain), so it collects every match
    through the trigram index and sorts them (≈200 ms). A frequent term is found sooner by walking
    the ``(division_id, name, id)`` index and stopping after a page of matches (a few ms). This
    tries that walk — bitmap scans, the only way to use a GIN index, and parallel workers switched
    off — under a short ``statement_timeout``; a rare term times out and the caller runs the ordinary plan, which the
    trigram index makes fast for rare terms. The settings are ``SET LOCAL`` inside a savepoint and
    restored, so nothing leaks into the rest of the request.
    """
    connection = connections[keys_qs.db]
    if connection.vendor != "postgresql":
        return None
    settings = {
        "enable_bitmapscan": "off",
        # A walk that stops after one page gains nothing from workers; starting them costs 10–30 ms.
        "max_parallel_workers_per_gather": "0",
        "statement_timeout": f"{ORDER_WALK_TIMEOUT_MS}ms",
    }
    current = ", ".join(f"current_setting('{name}')" for name in settings)
    try:
        with transaction.atomic(using=keys_qs.db), connection.cursor() as cursor:
            cursor.execute(f"SELECT {current}")
            previous = cursor.fetchone()
            cursor.execute("SELECT " + ", ".join(f"set_config('{name}', %s, true)" for name in settings),
                           list(settings.values()))
            keys = list(keys_qs)
            cursor.execute("SELECT " + ", ".join(f"set_config('{name}', %s, true)" for name in settings),
                           list(previous))
    except OperationalError:  # canceled by the timeout: the savepoint's rollback undid the settings
        return None
    return keys


def _fetch(queryset, ids: list[int]) -> list:
    by_id = {obj.pk: obj for obj in queryset.order_by().filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


def paginate(queryset, *, sort: Sort, page=None, after: str | None = None, before: str | None = None,
             offset: int | None = None, per_page: int = PAGE_SIZE, with_count: bool = True,
             rows_queryset=None, probe_order: bool = False) -> Page:
    """One page of ``queryset`` (already filtered and scoped) in ``sort`` order.

    ``after`` / ``before`` are keyset cursors; otherwise ``page`` (1-based) is an offset jump,
    limited to ``MAX_PAGE``. The page's ids are found first (cheap, index-only where possible) and
    the rows are then loaded by id from ``rows_queryset`` (``queryset`` with its joins).
    ``probe_order`` (a name search): try the list order's index first, see ``_probe_order_walk``.
    """
    rows_queryset = rows_queryset if rows_queryset is not None else queryset
    key_fields = [k.field for k in sort.keys]
    number = None
    backwards = False
    keyed = queryset
    cursor = before or after
    values = decode_cursor(sort, cursor) if cursor else None
    if values is not None:
        backwards = bool(before)
        keyed = queryset.filter(keyset_q(sort, values, backwards))
        ordered = keyed.order_by(*_order_by(sort, reverse=backwards))
        offset = 0
    elif offset is not None:
        offset = max(0, min(offset, sort.max_page * per_page))
        ordered = queryset.order_by(*_order_by(sort))
    else:
        try:
            number = max(1, min(int(page or 1), sort.max_page))
        except (TypeError, ValueError):
            number = 1
        ordered = queryset.order_by(*_order_by(sort))
        offset = (number - 1) * per_page
    keys_qs = ordered.values(*key_fields)[offset : offset + per_page + 1]
    keys = _probe_order_walk(keys_qs) if probe_order and offset <= PROBE_MAX_OFFSET else None
    if keys is None:
        keys = list(keys_qs)
    more = len(keys) > per_page
    keys = keys[:per_page]
    if backwards:
        keys.reverse()
    rows = _fetch(rows_queryset, [k["id"] for k in keys])
    result = Page(rows=rows, sort=sort, number=number, per_page=per_page)
    if with_count:
        result.count = capped_count(queryset)
    if backwards:
        result.has_previous = more
        result.has_next = True
    else:
        result.has_next = more
        result.has_previous = bool(values is not None or offset)
    if keys:
        if result.has_next:
            result.next_cursor = encode_cursor(sort, keys[-1])
        if result.has_previous:
            result.previous_cursor = encode_cursor(sort, keys[0])
    return result
