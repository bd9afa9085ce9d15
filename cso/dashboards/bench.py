"""Server time of a dashboard, for the benchmark scripts (reads only; writes nothing to the database).

    DATABASE_URL=postgres://…/cso_bench_orgs .venv/bin/python -m cso.dashboards.bench [--runs 10] [--code …]

``render_for_bench(user, code, day)`` renders the dashboard page through the view itself (a
RequestFactory request: no session, no sign-in row), ``time_dashboard`` gives median server times of
the page and of its chart endpoints, and ``bench_user`` builds an unsaved account bound to a division.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from datetime import date

from cso.core import timing


def bench_user(code: str | None, role: str | None = None):
    """An account bound to ``code`` (None: a national superuser), never saved."""
    from cso.accounts.choices import Role
    from cso.accounts.models import User
    from cso.regions.models import Division

    if code is None:
        return User(username="bench_national", role=Role.ADMIN, is_superuser=True, is_staff=True)
    division = Division.objects.get(code=code)
    return User(username="bench_dashboard", role=role or Role.CIVIL_AFFAIRS, division=division)


def render_for_bench(user, code: str | None, day: date, path: str = "/dashboards/"):
    """The dashboard page (or a chart endpoint, by ``path``) of division ``code`` rendered for ``user``."""
    from django.test import RequestFactory
    from django.urls import resolve

    params = {"as_of": day.isoformat()}
    if code:
        params["division"] = code
    request = RequestFactory().get(path, params)
    request.user = user
    match = resolve(path)
    response = match.func(request, *match.args, **match.kwargs)
    if hasattr(response, "render"):
        response.render()
    return response


def time_dashboard(code: str | None, day: date, runs: int = 10) -> dict:
    """Median server time (ms) of the page and of each chart endpoint, plus their first (cold) run."""
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    user = bench_user(code)
    results = {}
    for label, path in (("page", "/dashboards/"), ("gaps", "/dashboards/data/gaps/"),
                        ("composition", "/dashboards/data/composition/"), ("trend", "/dashboards/data/trend/")):
        cache.clear()
        first, median, response = timing.timed(lambda path=path: render_for_bench(user, code, day, path), runs)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            if path.endswith("trend/"):
                cache.clear()
            render_for_bench(user, code, day, path)
        results[label] = {"status": response.status_code, "first_ms": round(first, 1),
                          "median_ms": round(median, 1), "queries": len(queries)}
    return results


@contextlib.contextmanager
def empty_when_missing():
    """Treat the statistics tables (targets, province settings, quarterly reports) as empty when the
    database has not been migrated for them, so a read-only national database can be measured as
    it is. Yields the names of the tables that were missing (the few indexed lookups on them are
    then not part of the measured time)."""
    from unittest import mock

    from django.db import connection

    from cso.reports.models import QuarterlyReport
    from cso.stats.models import ProvinceSetting, Target

    existing = set(connection.introspection.table_names())
    missing = [m for m in (Target, ProvinceSetting, QuarterlyReport) if m._meta.db_table not in existing]
    with contextlib.ExitStack() as stack:
        for model in missing:
            manager = model.objects
            stack.enter_context(mock.patch.object(manager, "filter", lambda *a, _m=manager, **k: _m.none()))
        yield [m._meta.db_table for m in missing]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", help="the division (default: the county with the most organizations)")
    parser.add_argument("--day", default="2025-06-30")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cso.settings")
    os.environ.setdefault("CSO_HTTPS", "0")  # the benchmarks request pages over plain http
    import django

    django.setup()
    from django.db import connection

    code = args.code
    if code is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT SUBSTR(division_id, 1, 6) AS c, COUNT(*) FROM orgs_organization "
                "GROUP BY c ORDER BY COUNT(*) DESC LIMIT 1"
            )
            code = cursor.fetchone()[0].ljust(12, "0")
    day = date.fromisoformat(args.day)
    print(f"dashboard of {code} as of {day} on {connection.vendor} ({args.runs} runs)")
    with empty_when_missing() as missing:
        if missing:
            print(f"  (not migrated here, read as empty: {', '.join(missing)})")
        results = time_dashboard(code, day, args.runs)
    for label, row in results.items():
        print(f"  {label:<12} status {row['status']}  first {row['first_ms']:>8.1f} ms  "
              f"median {row['median_ms']:>8.1f} ms  {row['queries']} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
