"""Benchmark of the statistics engine on the national-scale PostgreSQL database, read-only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cso_bench_orgs .venv/bin/python -m cso.stats.bench

Prints, for one quarter's end, the engine's time beside a hand-written SQL baseline run in the same
process (the raw GROUP BY over the span table, no targets, no communities): the national roll-up,
the largest province, its largest county, and the county's community to-do list.

The session is read-only (``default_transaction_read_only``): nothing is written to the database.
When the database predates the statistics app's tables (no ``stats_target``), target rows and the
province setting are taken as absent (seed defaults, committee rule) — they are a few rows at most
and do not change the cost of the aggregation.
"""

from __future__ import annotations

import os
import sys
from datetime import date

from cso.core import timing

RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def median_ms(fn, runs: int = RUNS):
    return timing.median_ms(fn, runs)


BASELINE = """
SELECT SUBSTR(s.division_id, 1, %(n)s) AS k,
       COUNT(*) FILTER (WHERE s.status IN ('active', 'abnormal', 'suspended')) AS live,
       COUNT(*) FILTER (WHERE s.status IN ('active', 'abnormal', 'suspended') AND s.track = 'registered') AS reg,
       COUNT(*) FILTER (WHERE s.status IN ('active', 'abnormal', 'suspended') AND s.is_community_org) AS cso
FROM orgs_orgstatespan s
WHERE s.valid_from <= %(day)s AND (s.valid_to > %(day)s OR s.valid_to IS NULL)
  AND s.division_id BETWEEN %(low)s AND %(high)s
GROUP BY 1
"""


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cso.settings")
    os.environ.setdefault("CSO_HTTPS", "0")  # the benchmarks request pages over plain http
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        print("Set DATABASE_URL to the national PostgreSQL database (e.g. cso_bench_orgs).")
        return 2
    import django

    django.setup()
    from django.db import connection
    from django.db.backends.signals import connection_created

    def read_only(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SET default_transaction_read_only = on")

    connection_created.connect(read_only)
    connection.close()

    from cso.regions.codes import subtree_bounds
    from cso.stats import indicators, targets

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('stats_target') IS NOT NULL")
        has_tables = cursor.fetchone()[0]
    if not has_tables:
        targets.code_rule_provinces = lambda prefix="": []
        targets.overrides_in = lambda prefix, year, keys: {k: [] for k in keys}
        indicators._targets_by_division = lambda codes, year: {c: targets.defaults(year) for c in codes}
        print("(no statistics tables in this database: seed-default targets, committee rule)")

    day = date(2025, 6, 30)
    start = date(2025, 4, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM orgs_orgstatespan")
        spans = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM regions_division WHERE level = 5 AND abolished_in IS NULL")
        communities = cursor.fetchone()[0]
    print(f"span rows {spans:,}, communities {communities:,}, day {day}, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, median of {RUNS} runs")

    def baseline(prefix: str, n: int):
        low, high = subtree_bounds(prefix) if prefix else ("000000000000", "999999999999")
        with connection.cursor() as cursor:
            cursor.execute(BASELINE, {"n": n, "day": day, "low": low, "high": high})
            return cursor.fetchall()

    # the largest province and its largest county (by live organizations)
    rows = baseline("", 2)
    province = max(rows, key=lambda r: r[1])[0]
    rows = baseline(province, 6)
    county = max(rows, key=lambda r: r[1])[0]
    province_code, county_code = province.ljust(12, "0"), county.ljust(12, "0")

    cases = [
        ("national roll-up (31 provinces)", "", 2),
        (f"province {province_code}", province_code, 4),
        (f"county {county_code}", county_code, 9),
    ]
    print(f"{'case':<36}{'engine ms':>12}{'raw SQL ms':>12}{'rows':>6}{'live orgs':>12}")
    for label, code, n in cases:
        engine_ms, result = median_ms(lambda code=code: indicators.compute(code, day, period_start=start))
        prefix = indicators._prefix(code)
        raw_ms, raw = median_ms(lambda prefix=prefix, n=n: baseline(prefix, n))
        live = result.parent.values["orgs_live"]
        assert live == sum(r[1] for r in raw), (live, sum(r[1] for r in raw))
        print(f"{label:<36}{engine_ms:>12.1f}{raw_ms:>12.1f}{len(result.rows):>6}{live:>12,}")
    todo_ms, todo = median_ms(lambda: indicators.community_stats(county_code, day, below_target_only=True, limit=20))
    print(f"{'county to-do list (20 communities)':<36}{todo_ms:>12.1f}{'':>12}{len(todo):>6}")
    count_ms, count = median_ms(lambda: len(indicators.CommunityList(province_code, day)))
    print(f"{'province community count':<36}{count_ms:>12.1f}{'':>12}{count:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
