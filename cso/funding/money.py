"""Money views: per division (the funder's subtree) and year, committed, paid and remaining by programme kind, the
shares that went to rural, 公益慈善 and 承接政府职能 organizations, and the split by the divisions one level down.
Aggregated in the database (GROUP BY over denormalised award rows; no Python loops over awards)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from cso.regions import codes

from .choices import Kind
from .models import Award, Programme

ZERO = Decimal("0")


def _pct(part, whole) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1")) if whole else None


def summary(user, division, year: int) -> dict:
    """``division``: a Division (the subtree to sum), or None for everything the account sees."""
    prefix = division.code[: codes.PREFIX_LENGTH[division.level]] if division else ""
    awards = Award.objects.visible_to(user).filter(year=year)
    programmes = Programme.objects.visible_to(user).filter(year=year)
    if prefix:
        awards, programmes = awards.within(prefix), programmes.within(prefix)
    budgets = {row["kind"]: row["budget"] for row in programmes.values("kind").annotate(budget=Sum("budget"))}
    level = division.level if division else None
    child_len = codes.PREFIX_LENGTH[level + 1] if level and level < codes.COMMUNITY else 2
    # one pass over the awards: GROUP BY kind and the division one level down, then fold the few rows here
    grouped = (awards.annotate(child=Substr("division_id", 1, child_len)).values("kind", "child")
               .annotate(committed=Sum("amount"), paid=Sum("paid"), n=Count("pk"),
                         rural=Sum("amount", filter=Q(rural=True)), charity=Sum("amount", filter=Q(charity=True)),
                         gov=Sum("amount", filter=Q(gov_function=True))).order_by())
    keys = ("committed", "paid", "n", "rural", "charity", "gov")
    by_kind: dict[str, dict] = {}
    by_child: dict[str, dict] = {}
    totals = dict.fromkeys(keys, ZERO)
    for row in grouped:
        for bucket in (by_kind.setdefault(row["kind"], dict.fromkeys(keys, ZERO)),
                       by_child.setdefault(row["child"], dict.fromkeys(keys, ZERO)), totals):
            for key in keys:
                bucket[key] += row[key] or 0
    rows = []
    for kind, label in Kind.choices:
        if kind not in budgets and kind not in by_kind:
            continue
        got = by_kind.get(kind, {})
        committed, paid = got.get("committed") or ZERO, got.get("paid") or ZERO
        budget = budgets.get(kind) or ZERO
        rows.append({"kind": kind, "label": label, "budget": budget, "committed": committed, "paid": paid,
                     "unpaid": committed - paid, "remaining": budget - committed, "n": got.get("n", 0)})
    committed = totals["committed"]
    budget = sum(budgets.values(), ZERO)
    shares = {key: {"amount": totals[key], "pct": _pct(totals[key], committed)} for key in ("rural", "charity", "gov")}
    children = []
    if level and level < codes.COMMUNITY:
        children = [{"child": child, "code": codes.pad_code(child), **values}
                    for child, values in sorted(by_child.items())]
    return {"rows": rows, "budget": budget, "committed": committed, "paid": totals["paid"],
            "remaining": budget - committed, "n": totals["n"], "shares": shares, "children": children}
