#!/usr/bin/env python
"""Benchmark: online applications at a county's scale — the deciding official's to-do page and one approval.

    .venv/bin/python bench/bench_applications.py [--apps 100000] [--open 5000] [--runs 20] [--approvals 20]

PostgreSQL only: the database ``cso_bench_applications`` (``$CSO_BENCH_PG_DB`` overrides the name) on
127.0.0.1, dropped and created again: migrate, import the Guangxi divisions, generate the registry of the
county with the most communities (``cso.demo.generator``, so that approving checks names against real
neighbours), then write ``--apps`` applications of that county with ``COPY`` (filing applications of its
communities, filed with the county's civil-affairs bureau, the default filing level), of which ``--open`` are
open (submitted / accepted / waiting for correction), the rest approved, rejected or drafts. ``ANALYZE``.

Then, as the county's civil-affairs official (the body that decides them):
- the to-do page ``applications:queue`` through Django's test client (server time of the request, median of
  ``--runs`` after one warm-up, and the number of queries): page 1, a deep page, and ``?step=accepted``;
- approving an accepted application: ``services.act(application, official, "approve")`` — the organization,
  its categories, leader, status change, first span, registry decision, field history, the applicant's
  account link and the application's event — median of ``--approvals`` approvals (each a different
  application, each its own transaction), with the number of queries.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

from common import ROOT, bench_db_name, postgres_database

GUANGXI = ROOT / "data" / "divisions" / "divisions_2023_guangxi_45.csv"
PG_DATABASE = bench_db_name("cso_bench_applications")  # $CSO_BENCH_PG_DB overrides it
QUEUE_TARGET_MS = 150
APPROVE_TARGET_MS = 50
KINDS = ["广场舞队", "太极拳队", "合唱团", "读书会", "志愿服务队", "象棋协会", "书画社", "腰鼓队", "互助小组", "手工坊"]


def setup(n_apps: int, n_open: int, generate_orgs: bool, reuse: bool = False) -> dict:
    os.environ["DATABASE_URL"] = postgres_database(PG_DATABASE, fresh=not reuse)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cso.settings"
    os.environ.setdefault("CSO_HTTPS", "0")  # the test client speaks plain http
    os.environ["CSO_TASKS_BACKEND"] = "database"  # as deployed: notifications are queued, not sent here
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from cso.accounts.choices import Role
    from cso.accounts.models import User
    from cso.applications.models import Application, State
    from cso.regions.importer import import_divisions
    from cso.regions.models import Division

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if reuse and Application.objects.exists():  # --reuse: the database of an earlier run (migrated anew)
        official = User.objects.get(username="bench_county")
        county = official.division_id
        counts = dict(Application.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
        return {"county": county, "orgs": 0, "official": official, "counts": counts, "built_s": 0.0,
                "communities": Division.objects.filter(level=5, code__startswith=county[:6]).count()}
    import_divisions(GUANGXI, edition=2023)
    counties = {}
    for code in Division.objects.filter(level=5).values_list("code", flat=True):
        counties[code[:6]] = counties.get(code[:6], 0) + 1
    county = max(counties, key=counties.get) + "000000"
    communities = list(Division.objects.filter(level=5, code__startswith=county[:6]).values_list("code", flat=True))
    orgs = 0
    if generate_orgs:
        from cso.demo.generator import generate

        orgs = generate([county[:6]], seed=1).organizations
    official = User(username="bench_county", role=Role.CIVIL_AFFAIRS, division_id=county, full_name="县民政局审批")
    official.set_unusable_password()
    official.save()
    applicants = User.objects.bulk_create([
        User(username=f"bench_applicant_{i}", role=Role.ORGANIZATION, division_id=communities[i % len(communities)],
             full_name=f"申请人{i}", password="!") for i in range(200)])

    rnd = random.Random(10)
    today = date.today()
    now = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime())
    open_states = [State.SUBMITTED] * 4 + [State.ACCEPTED] * 4 + [State.NEEDS_CORRECTION] * 2
    closed_states = [State.APPROVED] * 14 + [State.REJECTED] * 5 + [State.DRAFT]
    buf = io.StringIO()
    open_at = set(rnd.sample(range(n_apps), n_open))
    for i in range(n_apps):
        state = rnd.choice(open_states) if i in open_at else rnd.choice(closed_states)
        applicant = applicants[rnd.randrange(len(applicants))]
        division = communities[rnd.randrange(len(communities))]
        name = f"第{i + 1}{KINDS[i % len(KINDS)]}"
        payload = {"name": name, "org_type": "activity_team", "org_type_label": "群众活动团队",
                   "leader_name": "王五", "leader_phone": "13812345678", "member_count": 15 + i % 30,
                   "activity": "每周活动两次", "schedule": "每周二、四晚上", "place": "社区活动室",
                   "category": "", "party_reported": "", "party_reported_label": ""}
        number = "\\N" if state == State.DRAFT else f"SQ2026-{i + 1:07d}"
        due = (today + timedelta(days=rnd.randrange(-10, 30))).isoformat() if i in open_at else "\\N"
        submitted = "\\N" if state == State.DRAFT else now
        row = ["filing", number, state, str(applicant.pk), division, county,
               json.dumps(payload, ensure_ascii=False).replace("\\", "\\\\"), "", due, now, now, submitted]
        buf.write("\t".join(row) + "\n")
    columns = ("kind", "number", "state", "applicant_id", "division_id", "authority_division_id", "payload",
               "client_token", "due_on", "created_at", "updated_at", "submitted_at")
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY applications_application ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write(buf.getvalue())
        cursor.execute("VACUUM ANALYZE applications_application")
    built = time.perf_counter() - started
    counts = dict(Application.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return {"county": county, "communities": len(communities), "orgs": orgs, "official": official,
            "counts": counts, "built_s": built}


def queue_pages(official, runs: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(official)
    url = reverse("applications:queue")
    from cso.applications import services
    from cso.applications.views import PAGE_SIZE

    pages = max(1, -(-services.queue(official).count() // PAGE_SIZE))
    out = []
    for label, query in (("page 1", ""), (f"page {pages // 2} (middle)", f"?page={pages // 2}"),
                         (f"page {pages} (last)", f"?page={pages}"), ("待审查决定 (?step=accepted)", "?step=accepted")):
        response = client.get(url + query)  # warm-up
        assert response.status_code == 200, (query, response.status_code)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url + query)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url + query)
        sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        out.append({"what": f"to-do {label}", "median_ms": statistics.median(times), "max_ms": max(times),
                    "queries": len(ctx.captured_queries), "sql_ms": sql_ms,
                    "rows": response.content.decode().count('data-testid="todo-row"'),
                    "sql": [f'{float(q["time"]) * 1000:6.1f} ms  {q["sql"]}' for q in ctx.captured_queries]})
    return out


def approvals(official, n: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cso.applications import services
    from cso.applications.models import Application, State

    cases = list(Application.objects.filter(authority_division_id=official.division_id, state=State.ACCEPTED)
                 .order_by("id")[: n + 1])
    assert len(cases) == n + 1, f"only {len(cases)} accepted applications"
    services.act(cases[0], official, "approve")  # warm-up
    times, queries, sql = [], [], []
    for application in cases[1:]:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            services.act(application, official, "approve")
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(ctx.captured_queries))
        sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    last = Application.objects.select_related("organization").get(pk=cases[-1].pk)
    assert last.state == State.APPROVED and last.organization is not None
    return {"what": "approve one accepted application", "median_ms": statistics.median(times),
            "max_ms": max(times), "queries": statistics.median(queries), "sql_ms": statistics.median(sql),
            "rows": 1, "sql": [f'{float(q["time"]) * 1000:6.1f} ms  {q["sql"]}' for q in ctx.captured_queries]}


def profile_approval(official, path: str) -> None:
    import cProfile

    from cso.applications import services
    from cso.applications.models import Application, State

    cases = list(Application.objects.filter(authority_division_id=official.division_id, state=State.ACCEPTED)
                 .order_by("-id")[:50])
    profiler = cProfile.Profile()
    profiler.enable()
    for application in cases:
        services.act(application, official, "approve")
    profiler.disable()
    profiler.dump_stats(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--apps", type=int, default=100_000, help="applications of the county")
    parser.add_argument("--open", type=int, default=5_000, help="of which open")
    parser.add_argument("--runs", type=int, default=20, help="requests per page (median)")
    parser.add_argument("--approvals", type=int, default=20, help="approvals timed (median)")
    parser.add_argument("--no-orgs", action="store_true", help="do not generate the county's registry first")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database of an earlier run (migrated; earlier approvals stay approved)")
    parser.add_argument("--sql", action="store_true", help="print the queries of each measurement")
    parser.add_argument("--profile", metavar="FILE", help="write cProfile statistics of 50 more approvals")
    args = parser.parse_args()
    assert 0 < args.open <= args.apps

    print(f"building {args.apps:,} applications ({args.open:,} open) in {PG_DATABASE} …", file=sys.stderr)
    ctx = setup(args.apps, args.open, not args.no_orgs, args.reuse)
    from django.db import connection

    load = os.getloadavg()
    rows = queue_pages(ctx["official"], args.runs)
    rows.append(approvals(ctx["official"], args.approvals))
    if args.profile:
        profile_approval(ctx["official"], args.profile)
    counts = ", ".join(f"{state} {n:,}" for state, n in sorted(ctx["counts"].items()))
    print(f"PostgreSQL {connection.pg_version // 10000}; county {ctx['county']} ({ctx['communities']} communities, "
          f"{ctx['orgs']:,} organizations generated); built in {ctx['built_s']:.1f} s")
    print(f"applications: {sum(ctx['counts'].values()):,} ({counts}); load average {load[0]:.1f}")
    print(f"{'measurement (as the county civil-affairs official)':48s} {'median ms':>9s} {'max ms':>8s} "
          f"{'queries':>7s} {'SQL ms':>7s} {'rows':>5s}")
    for r in rows:
        print(f"{r['what']:48s} {r['median_ms']:9.1f} {r['max_ms']:8.1f} {r['queries']:7.0f} {r['sql_ms']:7.1f} "
              f"{r['rows']:5d}")
        if args.sql:
            for q in r["sql"]:
                print(f"    {q[:200]}")
    queue_ok = all(r["median_ms"] <= QUEUE_TARGET_MS for r in rows[:-1])
    approve_ok = rows[-1]["median_ms"] <= APPROVE_TARGET_MS
    print(f"Targets: to-do page ≤ {QUEUE_TARGET_MS} ms: {'met' if queue_ok else 'NOT met'}; "
          f"approval ≤ {APPROVE_TARGET_MS} ms: {'met' if approve_ok else 'NOT met'}")


if __name__ == "__main__":
    main()
