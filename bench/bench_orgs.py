#!/usr/bin/env python
"""Benchmark: the organization registry at national scale — list pages, detail, name search, as-of roll-up.

    .venv/bin/python bench/bench_orgs.py [--db sqlite|postgres|both] [--scale 1.0] [--runs 20]

PostgreSQL: the database ``cso_bench_orgs`` (``cso_bench_orgs_s<scale>`` below scale 1) on 127.0.0.1
gets the national divisions and the generated national registry (about 3.5 million organizations at
scale 1, ``cso.demo.generator``); SQLite: a cached file in the temp directory with 广西 (45) and
about 350,000 organizations at scale 1 (the generator's density times 3.6, since 广西 is mostly rural).
Both are kept between runs: if the database already holds organizations, generation is skipped.

Every figure is printed beside the same query hand-written in SQL and run in the same process (median
of ``--runs`` runs after one warm-up, ms), with the ORM/SQL ratio. Each database runs in a child
process (Django reads its settings once per process); the parent prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import ROOT, median_ms, postgres_database

DIVISIONS = ROOT / "data" / "divisions"
AS_OF = date(2025, 6, 30)
SQLITE_DENSITY = 3.6  # 广西: ~97,000 organizations at 10 / 5 per community; ×3.6 ≈ 350,000
TERM3 = "太极拳"
TERM2 = "腰鼓"
PAGE = 50
DEEP_PAGE = 1000


def pg_database(scale: float) -> str:
    name = "cso_bench_orgs" if scale >= 1 else f"cso_bench_orgs_s{str(scale).replace('.', '')}"
    return postgres_database(name, fresh=False)


def log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def run_one(db: str, runs: int, scale: float) -> dict:
    if db == "sqlite":
        path = Path(tempfile.gettempdir()) / f"cso_bench_orgs_45_s{scale:g}.sqlite3"
        url = f"sqlite:///{path}"
    else:
        url = pg_database(scale)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cso.settings"
    os.environ.setdefault("CSO_HTTPS", "0")  # the benchmarks request pages over plain http
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import Substr

    from cso.demo.generator import generate, national_prefixes
    from cso.orgs import queries, services
    from cso.orgs.models import Organization
    from cso.regions import codes
    from cso.regions.importer import ProgressPrinter, import_divisions
    from cso.regions.models import Division

    call_command("migrate", verbosity=0)
    out: dict = {"db": db}
    if not Division.objects.exists():
        source = DIVISIONS / ("divisions_2023_national.csv.gz" if db == "postgres" else "divisions_2023_guangxi_45.csv")
        log(f"== {db}: 导入区划 {source.name}")
        import_divisions(source, edition=2023, progress=ProgressPrinter(sys.stderr))
    if Organization.objects.exists():
        log(f"== {db}: 已有生成的组织，跳过生成")
        out["generated"] = None
    else:
        prefixes = national_prefixes() if db == "postgres" else ["45"]
        density = scale * (SQLITE_DENSITY if db == "sqlite" else 1)
        log(f"== {db}: 生成组织（比例 {density:g}）")
        last = [time.perf_counter()]

        def progress(info):
            if "index" in info:
                log(f"   重建索引 {info['index']}")
            elif time.perf_counter() - last[0] > 15:
                last[0] = time.perf_counter()
                log(f"   {info['organizations']:,} 个组织")

        result = generate(prefixes, per_urban=10, per_rural=5, seed=1, scale=density, progress=progress,
                          defer_indexes=True)
        out["generated"] = {"orgs": result.organizations, "seconds": result.seconds,
                            "rows_per_second": result.rows_per_second, "spans": result.spans,
                            "leaders": result.leaders, "changes": result.status_changes}
        log("   " + result.summary())
    if db == "postgres":
        with connection.cursor() as cursor:
            # Visibility map for index-only scans and planner statistics after COPY: every generated
            # table (orgs_hubmembership without statistics made the detail page's hub queries go
            # parallel: 30 + 15 ms instead of < 1 ms each).
            cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE n_live_tup > 0 ORDER BY relname")
            for (table,) in cursor.fetchall():
                if table.startswith("orgs_") and not table.startswith("orgs_historical"):
                    cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'orgs_organization' "
                           "AND indexdef ILIKE '%gin_trgm_ops%'")
            out["trigram_indexes"] = [r[0] for r in cursor.fetchall()]
        out["version"] = f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"
    else:
        out["version"] = f"SQLite {connection.Database.sqlite_version}"
        out["trigram_indexes"] = []

    def sql(query, params=()):
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall()

    out["orgs"] = sql("SELECT COUNT(*) FROM orgs_organization")[0][0]
    out["spans"] = sql("SELECT COUNT(*) FROM orgs_orgstatespan")[0][0]
    city = sql("SELECT SUBSTR(division_id, 1, 4) AS c, COUNT(*) AS n FROM orgs_organization "
               "GROUP BY c ORDER BY n DESC LIMIT 1")[0]
    out["city"] = city[0]
    out["city_name"] = Division.objects.get(pk=codes.pad_code(city[0])).name
    low, high = codes.subtree_bounds(city[0])
    figures = []

    def compare(label, orm_fn, sql_fn, check=len):
        orm_ms, orm_val = median_ms(orm_fn, runs)
        sql_ms, sql_val = median_ms(sql_fn, runs)
        a, b = check(orm_val), check(sql_val)
        assert a == b, (label, a, b)
        figures.append({"label": label, "orm": orm_ms, "sql": sql_ms, "rows": a})
        log(f"   {label}: ORM {orm_ms:.2f} ms, SQL {sql_ms:.2f} ms ({a})")

    # --- filtered list page (active filed groups of the largest city), keyset
    base = Organization.objects.within(city[0]).filter(status="active", track="filed")
    # The list page reads the organizations' own columns (division names come from one lookup of
    # the page's distinct codes), so the baseline does not join regions_division either; the model
    # instance variant below joins it on both sides.
    cols = "o.id, o.uid, o.name, o.division_id, o.track, o.org_type, o.status, o.party_building"
    where = "WHERE o.division_id >= %s AND o.division_id <= %s AND o.status = 'active' AND o.track = 'filed' "
    list_sql = f"SELECT {cols} FROM orgs_organization o " + where
    join_sql = (f"SELECT {cols}, d.name FROM orgs_organization o JOIN regions_division d ON d.code = o.division_id "
                + where)
    order = " ORDER BY o.division_id, o.name, o.id"

    fields = ("id", "uid", "name", "division_id", "track", "org_type", "status", "party_building")

    def orm_page(qs):
        return list(qs.order_by("division_id", "name", "id").values_list(*fields)[:PAGE])

    compare("list page 1 (keyset), city, active filed", lambda: orm_page(base),
            lambda: sql(list_sql + order + f" LIMIT {PAGE}", [low, high]))
    compare("  same, as model instances (all columns)",
            lambda: [(o.id, o.division.name) for o in base.select_related("division")
                     .order_by("division_id", "name", "id")[:PAGE]],
            lambda: sql(join_sql + order + f" LIMIT {PAGE}", [low, high]))
    deep = min(DEEP_PAGE, max(2, base.count() // PAGE))  # page 1,000 needs 50,000 matches
    out["deep_page"] = deep
    offset = PAGE * (deep - 1)
    compare(f"list page {deep:,} (OFFSET {offset:,})",
            lambda: list(base.order_by("division_id", "name", "id").values_list(*fields)[offset:offset + PAGE]),
            lambda: sql(list_sql + order + f" LIMIT {PAGE} OFFSET {offset}", [low, high]))
    key = base.order_by("division_id", "name", "id").values_list("division_id", "name", "id")[offset - 1]
    d, n, i = key
    # The condition the list page and the API build from an ``after`` cursor (a row-value comparison).
    after = queries.keyset_q(queries.get_sort(queries.DEFAULT_SORT), [d, n, i])
    compare(f"list page {deep:,} (keyset)", lambda: orm_page(base.filter(after)),
            lambda: sql(list_sql + "AND (o.division_id, o.name, o.id) > (%s, %s, %s)" + order + f" LIMIT {PAGE}",
                        [low, high, d, n, i]))

    # --- detail: organization + leaders + categories + targets + spans
    uid = base.order_by("division_id", "name", "id").values_list("uid", flat=True)[offset]

    def orm_detail():
        org = (Organization.objects.select_related("division", "venue", "incubated_by")
               .prefetch_related("leaders", "categories", "service_targets", "spans").get(uid=uid))
        return [org.name, *[x.name for x in org.leaders.all()], *[c.name for c in org.categories.all()],
                *[t.name for t in org.service_targets.all()], *[s.valid_from for s in org.spans.all()]]

    def sql_detail():
        row = sql("SELECT o.*, d.name, v.name, b.name FROM orgs_organization o "
                  "JOIN regions_division d ON d.code = o.division_id "
                  "LEFT JOIN orgs_venue v ON v.id = o.venue_id "
                  "LEFT JOIN orgs_incubationbase b ON b.id = o.incubated_by_id "
                  "WHERE o.uid = %s", [uid])[0]
        pk = row[0]
        leaders = sql('SELECT * FROM orgs_leader WHERE organization_id = %s ORDER BY "order", id', [pk])
        cats = sql("SELECT c.* FROM orgs_category c JOIN orgs_organization_categories oc ON oc.category_id = c.id "
                   "WHERE oc.organization_id = %s", [pk])
        tgts = sql("SELECT t.* FROM orgs_servicetarget t JOIN orgs_organization_service_targets ot "
                   "ON ot.servicetarget_id = t.id WHERE ot.organization_id = %s", [pk])
        spans = sql("SELECT * FROM orgs_orgstatespan WHERE organization_id = %s ORDER BY valid_from", [pk])
        return [row, *leaders, *cats, *tgts, *spans]

    compare("detail (org, leaders, terms, spans)", orm_detail, sql_detail)

    # --- name search: the first page in list order through the page's own paging code
    # (queries.paginate with probe_order: the order index is walked first, under a short timeout),
    # and the count the page shows (capped at queries.COUNT_CAP), beside plain SQL. A 2-character
    # term needs a division for national users (queries.MIN_NATIONAL_TERM): it is also timed
    # within the largest province.
    default_sort = queries.get_sort(queries.DEFAULT_SORT)
    cap = queries.COUNT_CAP
    province = sql("SELECT SUBSTR(division_id, 1, 2) AS p, COUNT(*) AS n FROM orgs_organization "
                   "GROUP BY p ORDER BY n DESC LIMIT 1")[0][0]
    p_low, p_high = codes.subtree_bounds(province)
    searches = [(TERM3, "", Organization.objects.all(), "", []), (TERM2, "", Organization.objects.all(), "", []),
                (TERM2, f" in {province}", Organization.objects.within(province),
                 "division_id >= %s AND division_id <= %s AND ", [p_low, p_high])]
    for term, where, scope_qs, scope_sql, scope_params in searches:
        like = f"%{term}%"
        found = scope_qs.filter(name__contains=term)
        compare(f"search '{term}'{where} first {PAGE} (page code)",
                lambda found=found: [(o.id, o.name) for o in queries.paginate(
                    found, sort=default_sort, probe_order=True, with_count=False,
                    rows_queryset=Organization.objects.only("id", "name")).rows],
                lambda like=like, scope_sql=scope_sql, scope_params=scope_params: sql(
                    f"SELECT id, name FROM orgs_organization WHERE {scope_sql}name LIKE %s "
                    "ORDER BY division_id, name, id LIMIT 50", [*scope_params, like]))
        compare(f"search '{term}'{where} count, capped at {cap:,}",
                lambda found=found: queries.capped_count(found) or cap + 1,
                lambda like=like, scope_sql=scope_sql, scope_params=scope_params: sql(
                    f"SELECT COUNT(*) FROM (SELECT 1 FROM orgs_organization WHERE {scope_sql}name LIKE %s "
                    f"LIMIT {cap + 1}) s", [*scope_params, like])[0][0],
                check=lambda v: v)
        if not where:
            compare(f"search '{term}' full count (not on the page)",
                    lambda term=term: Organization.objects.filter(name__contains=term).count(),
                    lambda like=like: sql("SELECT COUNT(*) FROM orgs_organization WHERE name LIKE %s",
                                          [like])[0][0],
                    check=lambda v: v)

    # --- active organizations per county on a past date (span table)
    compare(f"active per county on {AS_OF} (as-of)",
            lambda: list(services.state_as_of(AS_OF).filter(status="active")
                         .annotate(county=Substr("division_id", 1, 6)).values("county")
                         .annotate(n=Count("id")).order_by("county")),
            lambda: sql("SELECT SUBSTR(division_id, 1, 6) AS county, COUNT(*) FROM orgs_orgstatespan "
                        "WHERE valid_from <= %s AND (valid_to > %s OR valid_to IS NULL) AND status = 'active' "
                        "GROUP BY SUBSTR(division_id, 1, 6) ORDER BY county", [AS_OF, AS_OF]))
    out["figures"] = figures
    out["pages"] = time_pages(city[0], uid, runs)
    connection.close()
    return out


def time_pages(city: str, uid: str, runs: int) -> dict:
    """Server time of the rendered list and detail pages (Django test Client), if they exist."""
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import NoReverseMatch, reverse

    from cso.accounts.choices import Role
    from cso.accounts.models import User
    from cso.regions import codes

    try:
        list_url = reverse("orgs:list")
        detail_url = reverse("orgs:detail", kwargs={"uid": uid})
    except NoReverseMatch as exc:
        return {"error": f"URL missing: {exc}"}
    setup_test_environment()
    results = {}
    users = {
        "superuser": User.objects.filter(username="bench_admin").first()
        or User.objects.create(username="bench_admin", role=Role.ADMIN, is_superuser=True, is_staff=True,
                               full_name="bench"),
        "city user": User.objects.filter(username="bench_city").first()
        or User.objects.create(username="bench_city", role=Role.CIVIL_AFFAIRS, division_id=codes.pad_code(city),
                               full_name="bench"),
    }
    for who, user in users.items():
        client = Client()
        client.force_login(user)
        for label, url in (("list", f"{list_url}?division={codes.pad_code(city)}&status=active&track=filed"),
                           ("list page 1000", f"{list_url}?division={codes.pad_code(city)}&status=active"
                                              f"&track=filed&page={DEEP_PAGE}"),
                           (f"search {TERM3}", f"{list_url}?q={TERM3}"),
                           ("detail", detail_url)):
            try:
                ms, response = median_ms(lambda url=url, client=client: client.get(url), max(5, runs // 2))
                results[f"{who}: {label}"] = {"ms": ms, "status": response.status_code}
            except Exception as exc:  # pages are being built: report, do not fail
                results[f"{who}: {label}"] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
    return results


def print_table(results: list[dict]) -> None:
    for r in results:
        print(f"\n== {r['db']} ({r['version']}): {r['orgs']:,} organizations, {r['spans']:,} spans; "
              f"largest city {r['city']} {r['city_name']}")
        if r.get("generated"):
            g = r["generated"]
            print(f"generated {g['orgs']:,} organizations in {g['seconds']:.0f} s ({g['rows_per_second']:,.0f} orgs/s; "
                  f"+{g['spans']:,} spans, {g['leaders']:,} leaders, {g['changes']:,} status changes)")
        if r["db"] == "postgres":
            print("pg_trgm indexes on orgs_organization: "
                  + (", ".join(x.split(" USING ")[-1] for x in r["trigram_indexes"]) or "none"))
        print(f"{'query':<48} {'ORM ms':>9} {'SQL ms':>9} {'ratio':>6} {'rows':>9}")
        for f in r["figures"]:
            ratio = f["orm"] / f["sql"] if f["sql"] else float("nan")
            print(f"{f['label']:<48} {f['orm']:>9.2f} {f['sql']:>9.2f} {ratio:>6.2f} {f['rows']:>9,}")
        print("rendered pages (test Client, median):")
        for label, v in r["pages"].items():
            print(f"  {label:<34} " + (f"{v['ms']:.1f} ms (HTTP {v['status']})" if "ms" in v else v["error"]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="organizations relative to the targets (0.1 = a tenth)")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_one(args.child, args.runs, args.scale), default=str))
        return 0
    results = []
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        child = subprocess.run(
            [sys.executable, __file__, "--child", db, "--runs", str(args.runs), "--scale", str(args.scale)],
            stdout=subprocess.PIPE, text=True, check=False,
        )
        if child.returncode != 0:
            print(f"{db}: benchmark failed (exit {child.returncode})", file=sys.stderr)
            return child.returncode
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
