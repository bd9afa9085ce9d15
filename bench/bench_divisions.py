#!/usr/bin/env python
"""Benchmark: import the whole national division file and time province subtree counts.

    .venv/bin/python bench/bench_divisions.py [--db sqlite|postgres|both] [--runs 20] [--prefix 44]

For each database the script starts a fresh copy (a new SQLite file in a temporary directory; the
PostgreSQL database ``cso_bench`` on 127.0.0.1, dropped and created again), migrates it, imports
data/divisions/divisions_2023_national.csv.gz (665,271 rows) through ``import_divisions``, imports it
a second time (the idempotent run: nothing changes), and times two subtree counts — every division
under the prefix, and the level-5 units under it — through the ORM and in hand-written SQL (median
of ``--runs`` runs after one warm-up, in milliseconds). Each database runs in its own child process
(Django's settings are read once per process); the parent prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from common import ROOT, median_ms, postgres_database

NATIONAL = ROOT / "data" / "divisions" / "divisions_2023_national.csv.gz"
PG_DATABASE = "cso_bench"
TARGET_IMPORT_SECONDS = 60
TARGET_COUNT_MS = 50


def run_one(db: str, runs: int, prefix: str) -> dict:
    """Runs in the child process: set up the database, import twice, time the counts."""
    tmp = tempfile.TemporaryDirectory(prefix="cso_bench_")
    url = f"sqlite:///{tmp.name}/bench.sqlite3" if db == "sqlite" else postgres_database(PG_DATABASE, fresh=True)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cso.settings"
    os.environ.setdefault("CSO_HTTPS", "0")  # the benchmarks request pages over plain http
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cso.regions import codes
    from cso.regions.importer import ProgressPrinter, import_divisions
    from cso.regions.models import Division

    call_command("migrate", verbosity=0)

    sys.stderr.write(f"== {db}: 第一次导入（空库）\n")
    started = time.perf_counter()
    first = import_divisions(NATIONAL, edition=2023, progress=ProgressPrinter(sys.stderr))
    import_seconds = time.perf_counter() - started
    assert first.applied and first.added == first.rows_read and not first.rejected, first.summary()

    sys.stderr.write(f"== {db}: 第二次导入（同一文件）\n")
    started = time.perf_counter()
    second = import_divisions(NATIONAL, edition=2023, progress=ProgressPrinter(sys.stderr))
    reimport_seconds = time.perf_counter() - started
    assert not second.changed, second.summary()

    low, high = codes.subtree_bounds(prefix)
    table = connection.ops.quote_name(Division._meta.db_table)

    def sql_count(level=None):
        sql = f"SELECT COUNT(*) FROM {table} WHERE code >= %s AND code <= %s"
        params = [low, high]
        if level is not None:
            sql += " AND level = %s"
            params.append(level)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    orm_all_ms, orm_all = median_ms(lambda: Division.objects.within(prefix).count(), runs)
    sql_all_ms, sql_all = median_ms(lambda: sql_count(), runs)
    orm_l5_ms, orm_l5 = median_ms(lambda: Division.objects.within(prefix).filter(level=5).count(), runs)
    sql_l5_ms, sql_l5 = median_ms(lambda: sql_count(5), runs)
    assert orm_all == sql_all and orm_l5 == sql_l5

    if db == "sqlite":
        version = f"SQLite {connection.Database.sqlite_version}"
    else:
        version = f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"
    connection.close()
    tmp.cleanup()
    return {
        "db": db,
        "version": version,
        "rows": first.rows_read,
        "import_seconds": import_seconds,
        "rows_per_second": first.rows_read / import_seconds,
        "reimport_seconds": reimport_seconds,
        "reimport_summary": second.summary(),
        "prefix": prefix,
        "count_all": orm_all,
        "count_level5": orm_l5,
        "orm_all_ms": orm_all_ms,
        "sql_all_ms": sql_all_ms,
        "orm_l5_ms": orm_l5_ms,
        "sql_l5_ms": sql_l5_ms,
        "runs": runs,
    }


def print_table(results: list[dict]) -> None:
    prefix, runs = results[0]["prefix"], results[0]["runs"]
    rows = [
        ("engine", lambda r: r["version"]),
        ("rows imported", lambda r: f"{r['rows']:,}"),
        ("first import, s", lambda r: f"{r['import_seconds']:.1f}"),
        ("rows/s", lambda r: f"{r['rows_per_second']:,.0f}"),
        ("re-import (no change), s", lambda r: f"{r['reimport_seconds']:.1f}"),
        (f"units under {prefix}", lambda r: f"{r['count_all']:,}"),
        ("  count, ORM, ms", lambda r: f"{r['orm_all_ms']:.2f}"),
        ("  count, SQL, ms", lambda r: f"{r['sql_all_ms']:.2f}"),
        (f"level-5 units under {prefix}", lambda r: f"{r['count_level5']:,}"),
        ("  count, ORM, ms", lambda r: f"{r['orm_l5_ms']:.2f}"),
        ("  count, SQL, ms", lambda r: f"{r['sql_l5_ms']:.2f}"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"\nNational division import and subtree counts (median of {runs} runs for counts)")
    print(f"{'':<{width}}  " + "  ".join(f"{r['db']:>16}" for r in results))
    for label, cell in rows:
        print(f"{label:<{width}}  " + "  ".join(f"{cell(r):>16}" for r in results))
    ok = all(
        r["import_seconds"] < TARGET_IMPORT_SECONDS
        and max(r["orm_all_ms"], r["orm_l5_ms"], r["sql_all_ms"], r["sql_l5_ms"]) < TARGET_COUNT_MS
        for r in results
    )
    print(
        f"\nTargets: import < {TARGET_IMPORT_SECONDS} s, subtree count < {TARGET_COUNT_MS} ms: "
        + ("met" if ok else "NOT met")
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per count (median reported)")
    parser.add_argument("--prefix", default="44", help="province (or any) code prefix for the subtree counts")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(run_one(args.child, args.runs, args.prefix)))
        return 0

    results = []
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        child = subprocess.run(
            [sys.executable, __file__, "--child", db, "--runs", str(args.runs), "--prefix", args.prefix],
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            print(f"{db}: benchmark failed (exit {child.returncode})", file=sys.stderr)
            return child.returncode
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
