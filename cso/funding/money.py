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
    by_kind = {row["kind"]: row for row in awards.values("kind").annotate(
        committed=Sum("amount"), paid=Sum("paid"), n=Count("pk"))}
    rows = []
    for kind, label in Kind.choices:
        if kind not in budgets and kind not in by_kind:
            continue
        got = by_kind.get(kind, {})
        committed, paid = got.get("committed") or ZERO, got.get("paid") or ZERO
        budget = budgets.get(kind) or ZERO
        rows.append({"kind": kind, "label": label, "budget": budget, "committed": committed, "paid": paid,
                     "unpaid": committed - paid, "remaining": budget - committed, "n": got.get("n", 0)})
    totals = awards.aggregate(
        committed=Sum("amount"), paid=Sum("paid"), n=Count("pk"),
        rural=Sum("amount", filter=Q(rural=True)), charity=Sum("amount", filter=Q(charity=True)),
        gov=Sum("amount", filter=Q(gov_function=True)))
    committed = totals["committed"] or ZERO
    budget = sum(budgets.values(), ZERO)
    shares = {key: {"amount": totals[key] or ZERO, "pct": _pct(totals[key] or ZERO, committed)}
              for key in ("rural", "charity", "gov")}
    children = []
    level = division.level if division else None
    if level and level < codes.COMMUNITY:
        n = codes.PREFIX_LENGTH[level + 1]
        children = list(awards.annotate(child=Substr("division_id", 1, n)).values("child")
                        .annotate(committed=Sum("amount"), paid=Sum("paid"), n=Count("pk")).order_by("child"))
        for child in children:
            child["code"] = codes.pad_code(child["child"])
    return {"rows": rows, "budget": budget, "committed": committed, "paid": totals["paid"] or ZERO,
            "remaining": budget - committed, "n": totals["n"], "shares": shares, "children": children}
