#!/usr/bin/env python
"""Benchmark: statistics at national scale — the engine, the frozen quarterly tables, the dashboard.

    .venv/bin/python bench/bench_stats.py [--runs 5] [--only engine|reports|dashboard]

Needs the national registry database ``cso_bench_orgs`` (made by ``bench/bench_orgs.py --db postgres``:
about 3.8 million organizations on 620,000 communities). Runs the three measurements that live beside
the code they measure, each in its own process, and prints their tables:

- ``cso.stats.bench`` (read-only session on ``cso_bench_orgs``): the national roll-up of one quarter
  computed fresh by the engine (target ≤ 5 s), the largest province live (≤ 1 s) and its largest county
  (≤ 50 ms), each beside a hand-written GROUP BY over the span table run in the same process;
- ``cso.reports.bench`` (scratch database ``cso_bench_reports`` with every county of the national tree
  and one submitted frozen table each): the national roll-up served from the frozen tables (≤ 100 ms)
  beside hand-written SQL, a county's frozen table page and its export, the overview pages;
- ``cso.dashboards.bench`` (``cso_bench_orgs``): a county dashboard's server time through the test
  client (≤ 300 ms), with its query count. Statistics tables missing from that database are read
  as empty; the dashboard is then computed live, which is the slow path.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from common import PG_SERVER, ROOT

MODULES = {
    "engine": ("cso.stats.bench", "cso_bench_orgs"),
    "reports": ("cso.reports.bench", "cso_bench_orgs"),
    "dashboard": ("cso.dashboards.bench", "cso_bench_orgs"),
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=sorted(MODULES))
    args = parser.parse_args(argv)
    status = 0
    for name, (module, database) in MODULES.items():
        if args.only and name != args.only:
            continue
        env = {**os.environ, "DATABASE_URL": f"{PG_SERVER}/{database}", "DJANGO_SETTINGS_MODULE": "cso.settings",
               "BENCH_RUNS": str(args.runs), "CSO_DEBUG": "0", "CSO_HTTPS": "0", "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", module]
        if name == "dashboard":
            command += ["--runs", str(args.runs)]
        print(f"\n== {name}: python -m {module}", flush=True)
        result = subprocess.run(command, cwd=ROOT, env=env, check=False)
        if result.returncode:
            print(f"!! {module} failed (exit {result.returncode})")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
