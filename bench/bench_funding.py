#!/usr/bin/env python
"""Benchmark: a province's money view (资金情况) over 200,000 awards.

    .venv/bin/python bench/bench_funding.py [--awards 200000] [--orgs 40000] [--runs 10] [--reuse]

PostgreSQL only: the database ``cso_bench_funding`` (``$CSO_BENCH_PG_DB`` overrides the name) on 127.0.0.1, dropped
and created again (``--reuse`` keeps an earlier run's data): migrate, import 广西's divisions, generate about
``--orgs`` organizations with ``cso.demo.generator``, then with set-based SQL two programmes of this year per county
(kinds in turn), applications spread over the organizations (each organization at most once per programme) and one
award per application (amounts 1,000–5,900 yuan, half of them half paid, a third rural, a quarter 公益慈善);
``VACUUM ANALYZE``, then renders ``/funding/money/`` for the province through Django's test client as its
civil-affairs official: median of ``--runs`` after one warm-up (target ≤ 300 ms server time), and the queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date

from common import ROOT, bench_db_name, postgres_database

GUANGXI = ROOT / "data" / "divisions" / "divisions_2023_guangxi_45.csv"
GUANGXI_ORGS = 97_000  # organizations the generator makes for 广西 at scale 1
PG_DATABASE = bench_db_name("cso_bench_funding")
TARGET_MS = 300
KINDS = ["venture", "purchase", "subsidy_rent", "lottery_elderly", "award_brand", "incubation_fund"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def setup(n_awards: int, n_orgs: int, reuse: bool) -> dict:
    os.environ["DATABASE_URL"] = postgres_database(PG_DATABASE, fresh=not reuse)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cso.settings"
    os.environ.setdefault("CSO_HTTPS", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cso.funding.models import Award

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    year = date.today().year
    if not (reuse and Award.objects.exists()):
        from cso.demo.generator import generate
        from cso.regions.importer import import_divisions

        log("== 导入区划")
        import_divisions(GUANGXI, edition=2023)
        log("== 生成组织")
        generate(["45"], per_urban=10, per_rural=5, seed=1, scale=n_orgs / GUANGXI_ORGS, defer_indexes=True)
        kinds = "ARRAY[" + ",".join(f"'{k}'" for k in KINDS) + "]"
        with connection.cursor() as cursor:
            log("== 项目、申报、立项")
            cursor.execute(f"""
                INSERT INTO funding_programme (title, kind, division_id, funder, year, budget, opens_on, closes_on,
                  description, grade_rule, min_grade, rural_only, track_rule, cross_district, state, created_at)
                SELECT d.name || '资金扶持' || g, ({kinds})[1 + (row_number() OVER () % {len(KINDS)})], d.code,
                       d.name || '民政局', {year}, 2000000, DATE '{year}-01-01', DATE '{year}-12-31', '', 'priority',
                       '', false, 'any', true, 'closed', now()
                FROM regions_division d CROSS JOIN generate_series(1, 2) g
                WHERE d.level = 3 AND d.code LIKE '45%'""")
            cursor.execute("SELECT COUNT(*) FROM funding_programme")
            n_prog = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM orgs_organization")
            n_org = cursor.fetchone()[0]
            per = max(1, n_awards // n_prog)
            stride = max(1, n_org // per)
            cursor.execute(f"""
                INSERT INTO funding_application (programme_id, organization_id, title, plan, requested, state,
                  eligibility, priority, grade, submitted_at)
                SELECT p.id, o.id, '基准项目', '', 1000 + (o.id % 50) * 100, 'awarded', '[]', false, '', now()
                FROM funding_programme p JOIN orgs_organization o ON (o.id + p.id) % {stride} = 0""")
            cursor.execute(f"""
                INSERT INTO funding_award (application_id, programme_id, organization_id, division_id,
                  org_division_id, kind, year, amount, paid, rural, charity, gov_function, state, awarded_on, reason)
                SELECT a.id, p.id, o.id, p.division_id, o.division_id, p.kind, p.year, a.requested,
                       CASE WHEN a.id % 2 = 0 THEN a.requested / 2 ELSE 0 END, a.id % 3 = 0, a.id % 4 = 0,
                       p.kind = 'purchase', 'contracted', DATE '{year}-03-01', '基准'
                FROM funding_application a JOIN funding_programme p ON p.id = a.programme_id
                JOIN orgs_organization o ON o.id = a.organization_id""")
            for table in ("funding_programme", "funding_application", "funding_award", "orgs_organization"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    with connection.cursor() as cursor:
        counts = {}
        for table in ("orgs_organization", "funding_programme", "funding_award"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    return {"counts": counts, "built_s": time.perf_counter() - started, "year": year}


def money_view(year: int, runs: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cso.accounts.choices import Role
    from cso.accounts.models import User

    official, _ = User.objects.get_or_create(username="bench_funding_province", defaults={
        "role": Role.CIVIL_AFFAIRS, "division_id": "450000000000", "full_name": "省民政厅", "password": "!"})
    client = Client()
    client.force_login(official)
    url = f"/funding/money/?division=450000000000&year={year}"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    from cso.funding.models import Award

    n = Award.objects.within("45").filter(year=year).count()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    return {"what": f"money view of 广西 over {n:,} awards (target ≤ {TARGET_MS} ms)",
            "median_ms": statistics.median(times), "max_ms": max(times), "queries": len(ctx.captured_queries),
            "sql_ms": sql_ms}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--awards", type=int, default=200_000)
    parser.add_argument("--orgs", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args(argv)
    built = setup(args.awards, args.orgs, args.reuse)
    log(f"== built in {built['built_s']:.0f} s: {built['counts']}")
    result = money_view(built["year"], args.runs)
    print(f"| {'what':<60} | median ms | max ms | queries | SQL ms |")
    print(f"| {result['what']:<60} | {result['median_ms']:9.1f} | {result['max_ms']:6.1f} | {result['queries']:>7} | "
          f"{result['sql_ms']:6.1f} |")
    return 0 if result["median_ms"] <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
