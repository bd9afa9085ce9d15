#!/usr/bin/env python
"""Benchmark: supervision at scale — the yearly run of the credit rules and a county's supervision dashboard.

    .venv/bin/python bench/bench_supervision.py [--orgs 200000] [--runs 10] [--reuse]

PostgreSQL only: the database ``cso_bench_supervision`` (``$CSO_BENCH_PG_DB`` overrides the name) on 127.0.0.1,
dropped and created again (``--reuse`` keeps an earlier run's data): migrate, import the divisions, generate about
``--orgs`` organizations with ``cso.demo.generator`` (up to 400,000: 广西 scaled; above: the whole country
scaled, e.g. ``--orgs 3500000`` for the issue's target — needs ``data/divisions/divisions_2023_national.csv.gz``,
≈1 h to build and ≈15 GB of disk), then with set-based SQL:

- annual reports of last year for 70 % of the registered organizations (5 % of them late);
- credit events for 3 % of all organizations (an annual report missing, an inspection failed, a warning);

``VACUUM ANALYZE``, then times:

(a) the yearly full run of the credit rules as the background task function (``run_credit_rules`` called
    directly, ``full=True``, as of 31 December of the year);
(b) the supervision dashboard of the county with the most organizations, rendered through Django's test client
    as its civil-affairs official: median of ``--runs`` after one warm-up (target ≤ 300 ms), and the queries.
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
NATIONAL = ROOT / "data" / "divisions" / "divisions_2023_national.csv.gz"
GUANGXI_ORGS = 97_000  # organizations the generator makes for 广西 at scale 1 (per_urban=10, per_rural=5)
GUANGXI_MAX = 400_000  # above this the whole country, scaled
NATIONAL_ORGS = 3_797_507
PG_DATABASE = bench_db_name("cso_bench_supervision")  # $CSO_BENCH_PG_DB overrides it
DASHBOARD_TARGET_MS = 300


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def setup(n_orgs: int, reuse: bool) -> dict:
    os.environ["DATABASE_URL"] = postgres_database(PG_DATABASE, fresh=not reuse)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cso.settings"
    os.environ.setdefault("CSO_HTTPS", "0")
    os.environ["CSO_TASKS_BACKEND"] = "database"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cso.orgs.models import Organization
    from cso.regions.importer import import_divisions

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not (reuse and Organization.objects.exists()):
        from cso.demo.generator import generate, national_prefixes

        national = n_orgs > GUANGXI_MAX
        log("== 导入区划")
        import_divisions(NATIONAL if national else GUANGXI, edition=2023)
        prefixes = national_prefixes() if national else ["45"]
        scale = n_orgs / (NATIONAL_ORGS if national else GUANGXI_ORGS)
        log(f"== 生成组织（比例 {scale:.3f}）")
        generate(prefixes, per_urban=10, per_rural=5, seed=1, scale=scale, defer_indexes=True)
        year = date.today().year - 1
        log("== 年报、信用记录")
        with connection.cursor() as cursor:
            cursor.execute(f"""
                INSERT INTO supervision_annualreport (organization_id, year, state, work_compliance, work_changes,
                  work_activities, work_personnel, work_funds, work_awards, work_public_benefit, party_activities,
                  remediation_report, submitted_at, due_on, late, result, reason, created_at, updated_at)
                SELECT id, {year}, 'submitted', '', '', '', '', '', '', '', '', '', now(), '{year + 1}-05-31',
                       (id % 20 = 0), '', '', now(), now()
                FROM orgs_organization WHERE track = 'registered' AND id % 10 < 7""")
            cursor.execute(f"""
                INSERT INTO supervision_creditevent (organization_id, kind, penalty_type, date, source, basis, note,
                  recorded_at)
                SELECT id, CASE id % 3 WHEN 0 THEN 'annual_report_missing' WHEN 1 THEN 'inspection_failed'
                                      ELSE 'penalty' END,
                       CASE id % 3 WHEN 2 THEN 'warning' ELSE '' END,
                       DATE '{year}-06-01' + (id % 180)::int, '基准测试', '', '', now()
                FROM orgs_organization WHERE id % 100 < 3""")
            cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE n_live_tup > 0")
            for (table,) in cursor.fetchall():
                if table.startswith(("orgs_", "supervision_")) and not table.startswith("orgs_historical"):
                    cursor.execute(f"VACUUM ANALYZE {table}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT SUBSTR(division_id, 1, 6) AS c, COUNT(*) AS n FROM orgs_organization "
                       "GROUP BY c ORDER BY n DESC LIMIT 1")
        county, county_orgs = cursor.fetchone()
        counts = {}
        for table in ("orgs_organization", "supervision_annualreport", "supervision_creditevent"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    return {"county": county + "000000", "county_orgs": county_orgs, "counts": counts,
            "built_s": time.perf_counter() - started}


def credit_run() -> dict:
    from cso.supervision.credit_runner import run_credit_rules
    from cso.supervision.models import CreditRun

    as_of = date(date.today().year - 1, 12, 31).isoformat()
    started = time.perf_counter()
    status = run_credit_rules.func(as_of, None, True)
    seconds = time.perf_counter() - started
    run = CreditRun.objects.order_by("-pk").first()
    return {"what": f"credit rules, yearly full run (as of {as_of}): {status}, {run.organizations:,} organizations, "
                    f"{run.proposed:,} proposed", "median_ms": seconds * 1000, "max_ms": seconds * 1000,
            "queries": None}


def dashboard(county: str, runs: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cso.accounts.choices import Role
    from cso.accounts.models import User

    official, _ = User.objects.get_or_create(username="bench_sv_county", defaults={
        "role": Role.CIVIL_AFFAIRS, "division_id": county, "full_name": "县民政局监管", "password": "!"})
    client = Client()
    client.force_login(official)
    url = "/supervision/dashboard/"
    assert client.get(url).status_code == 200  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return {"what": f"supervision dashboard of county {county} (target ≤ {DASHBOARD_TARGET_MS} ms)",
            "median_ms": statistics.median(times), "max_ms": max(times), "queries": len(ctx.captured_queries)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--orgs", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run")
    args = parser.parse_args(argv)
    info = setup(args.orgs, args.reuse)
    rows = [dashboard(info["county"], args.runs), credit_run(), dashboard(info["county"], args.runs)]
    load = os.getloadavg()
    print(f"built in {info['built_s']:.0f} s; rows: " + ", ".join(f"{k} {v:,}" for k, v in info["counts"].items())
          + f"; county {info['county']}: {info['county_orgs']:,} organizations; load {load[0]:.1f}")
    print(f"| {'what':<100} | median ms | max ms | queries |")
    print(f"|{'-' * 102}|-----------|--------|---------|")
    for r in rows:
        print(f"| {r['what']:<100} | {r['median_ms']:9.1f} | {r['max_ms']:6.1f} | {r['queries'] or '':>7} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
