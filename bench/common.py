"""Helpers shared by the benchmark scripts in this folder (run as ``python bench/<script>.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cso.core.timing import median_ms  # noqa: E402

__all__ = ["PG_SERVER", "ROOT", "bench_db_name", "median_ms", "postgres_database"]

PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def bench_db_name(default: str) -> str:
    """The PostgreSQL database a benchmark uses: ``default``, or ``$CSO_BENCH_PG_DB`` when set (so that two
    people benchmarking on one server do not drop each other's database)."""
    import os
    import re

    name = os.environ.get("CSO_BENCH_PG_DB", "").strip() or default
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SystemExit(f"CSO_BENCH_PG_DB: not a plain database name: {name!r}")
    return name


def postgres_database(name: str, *, fresh: bool) -> str:
    """The URL of database ``name`` on the local server: dropped and created anew when ``fresh``,
    else created only when missing (a cache kept between runs)."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        elif not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f"CREATE DATABASE {name}")
    return f"{PG_SERVER}/{name}"


