"""Benchmark of the round tables at national scale, on a scratch PostgreSQL database.

    .venv/bin/python -m cso.reports.bench

Creates (afresh) the database ``cso_bench_reports`` on the local server, migrates it, copies the
province, city and county divisions from the national database ``cso_bench_orgs`` (read-only: one
SELECT in a read-only session), writes one submitted frozen table per county for one round (seed
000's first, 截至 5/31) and prints, beside a hand-written SQL baseline run in the same process:

- the national roll-up served from the frozen tables (``services.rollup``; target ≤ 100 ms),
- the largest province's roll-up,
- one county's frozen table page and its .xlsx export (target ≤ 50 ms for the table),
- the national and provincial overview pages (server time through the test client).

The frozen tables hold random numbers: a roll-up's cost does not depend on the values. The tables'
size is that of a real county (15 street rows, every indicator including categories and service
targets). Nothing is ever written to ``cso_bench_orgs``.
"""

from __future__ import annotations

import os
import random
import sys
from datetime import datetime

from cso.core import timing

SERVER = "postgres://postgres@127.0.0.1:5432"
SCRATCH = os.environ.get("BENCH_REPORTS_DB", "cso_bench_reports")
NATIONAL = os.environ.get("BENCH_NATIONAL_DB", "cso_bench_orgs")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
YEAR, ROUND = 2025, 1
REFERENCE = "2025-05-31"
STREETS = 15

BASELINE = """
SELECT SUBSTR(division_id, 1, %(n)s) AS k, COUNT(*), {sums}
FROM reports_quarterlyreport
WHERE reference_date = %(reference)s AND status IN ('submitted', 'accepted')
  AND division_id BETWEEN %(low)s AND %(high)s
GROUP BY 1
"""


def median_ms(fn, runs: int = RUNS):
    return timing.median_ms(fn, runs)


def national_divisions() -> list[tuple]:
    import psycopg

    with psycopg.connect(f"{SERVER}/{NATIONAL}") as conn:
        conn.execute("SET default_transaction_read_only = on")
        return conn.execute(
            "SELECT code, name, level, parent_id FROM regions_division WHERE level <= 3 AND abolished_in IS NULL "
            "ORDER BY level, code"
        ).fetchall()


def scratch_database() -> str:
    import psycopg

    if SCRATCH == NATIONAL:
        raise SystemExit("the scratch database must not be the national one")
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
        conn.execute(f"CREATE DATABASE {SCRATCH}")
    return f"{SERVER}/{SCRATCH}"


def frozen_table(county_code: str, county_name: str, keys: list[str], kinds: dict, rng: random.Random) -> dict:
    from cso.reports import services
    from cso.reports.columns import COLUMN_KEYS
    from cso.stats import indicators

    def values():
        counts = {key: rng.randint(0, 400) for key in keys if kinds.get(key, "count") == "count"}
        counts["population"] = rng.randint(20_000, 90_000)
        return {key: services._jsonable(value) for key, value in indicators.finish_ratios(counts).items()}

    rows = [{"code": county_code[:6] + f"{i + 1:03d}000", "name": f"第{i + 1}街道", "level": 4, "direct": False,
             "values": values()} for i in range(STREETS)]
    return {
        "schema": services.SCHEMA, "county": {"code": county_code, "name": county_name},
        "as_of": "2025-06-30", "period_start": "2025-04-01",
        "columns": [services._definition(key) for key in COLUMN_KEYS], "kinds": kinds, "rows": rows,
        "total": {"code": county_code, "name": county_name, "level": 3, "direct": False, "values": values()},
        "urban_rule": "committee", "urban_rule_label": "按委员会类型：居委会为城市社区，村委会为农村社区",
        "targets": {"per_10k": "6.5", "avg_urban": "10", "avg_rural": "5"},
    }


def main() -> int:
    divisions = national_divisions()
    os.environ["DATABASE_URL"] = scratch_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cso.settings")
    os.environ.setdefault("CSO_HTTPS", "0")  # the benchmarks request pages over plain http
    os.environ.setdefault("CSO_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from cso.accounts.choices import Role
    from cso.accounts.models import User
    from cso.orgs.models import Category, ServiceTarget
    from cso.regions.codes import PREFIX_LENGTH, subtree_bounds
    from cso.regions.models import Division
    from cso.reports import rounds, services
    from cso.reports.models import QuarterlyReport
    from cso.stats import indicators

    Division.objects.bulk_create(
        [Division(code=code, name=name, level=level, parent_id=parent, edition=2023, first_edition=2023)
         for code, name, level, parent in divisions], batch_size=2000)
    counties = [(code, name) for code, name, level, _ in divisions if level == 3]
    keys = [*indicators.INDICATORS, *indicators.HELPER_KEYS,
            *(f"category:{c}" for c in Category.objects.values_list("code", flat=True)),
            *(f"target:{c}" for c in ServiceTarget.objects.values_list("code", flat=True))]
    kinds = {key: (indicators.INDICATORS[key].kind if key in indicators.INDICATORS else "count") for key in keys}
    rng = random.Random(2025)
    now = timezone.make_aware(datetime(2025, 6, 18, 10))
    reports = []
    for code, name in counties:
        report = QuarterlyReport(division_id=code, year=YEAR, reference_date=REFERENCE, deadline="2025-06-20",
                                 round_label="第1轮", version=1, status="submitted", as_of=REFERENCE,
                                 period_start="2024-12-01", generated_at=now, submitted_at=now,
                                 prepared_by_name="制表人", reviewer_name="审核人")
        services._set_table(report, frozen_table(code, name, keys, kinds, rng))
        reports.append(report)
    QuarterlyReport.objects.bulk_create(reports, batch_size=500)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    superuser = User.objects.create(username="bench", role=Role.ADMIN, is_superuser=True, is_staff=True)
    by_province: dict[str, int] = {}
    for code, _ in counties:
        by_province[code[:2]] = by_province.get(code[:2], 0) + 1
    province = Division.objects.get(code=max(by_province, key=by_province.get).ljust(12, "0"))
    county = QuarterlyReport.objects.within(province.prefix).order_by("division_id").first()
    rollup_keys = services.rollup_keys(reports[0].data["columns"])
    sums = ", ".join(f"SUM((totals->>'{key}')::bigint)" for key in rollup_keys)

    def baseline(prefix: str, n: int):
        low, high = subtree_bounds(prefix) if prefix else ("000000000000", "999999999999")
        with connection.cursor() as cursor:
            cursor.execute(BASELINE.format(sums=sums), {"n": n, "reference": REFERENCE, "low": low,
                                                         "high": high})
            return cursor.fetchall()

    print(f"counties {len(counties):,}, frozen tables {len(reports):,} ({STREETS} street rows each), "
          f"{len(rollup_keys)} counts summed per table")
    print(f"{'case':<44}{'code ms':>10}{'raw SQL ms':>12}")
    rnd = rounds.rounds_of(None, YEAR)[ROUND - 1]
    national_ms, national = median_ms(lambda: services.rollup(None, rnd, superuser))
    raw_ms, raw = median_ms(lambda: baseline("", 2))
    assert national.total.values["orgs_live"] == sum(r[2 + rollup_keys.index("orgs_live")] for r in raw)
    print(f"{'national roll-up from frozen tables':<44}{national_ms:>10.1f}{raw_ms:>12.1f}")
    province_ms, _ = median_ms(lambda: services.rollup(province, rnd, superuser))
    raw_ms, _ = median_ms(lambda: baseline(province.prefix, PREFIX_LENGTH[2]))
    print(f"{'province ' + province.name + ' roll-up':<44}{province_ms:>10.1f}{raw_ms:>12.1f}")

    client = Client()
    client.force_login(superuser)

    def page(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    for label, url in [
        ("county table page (frozen)", f"/reports/{county.pk}/"),
        ("county table .xlsx export", f"/reports/{county.pk}/export/"),
        ("national overview page", f"/reports/overview/?year={YEAR}&round={ROUND}"),
        ("province overview page", f"/reports/overview/?division={province.code}&year={YEAR}&round={ROUND}"),
        ("national roll-up .xlsx export", f"/reports/overview/export/?year={YEAR}&round={ROUND}"),
    ]:
        ms, _ = median_ms(lambda url=url: page(url))
        print(f"{label:<44}{ms:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
