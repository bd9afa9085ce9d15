"""The division importers on the real files in data/divisions and on small hand-made files."""

import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from cso.demo.testing import TREE
from cso.regions import importer
from cso.regions.choices import FiguresSource
from cso.regions.importer import estimate_figures, import_divisions, import_population, import_urban_rural
from cso.regions.models import Division, ImportRun

DATA = Path(settings.BASE_DIR) / "data" / "divisions"
HEADER = ["code", "name", "level", "parent_code", "urban_rural_code"]


def write_csv(path: Path, rows, header=HEADER) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def tree_rows(skip=()):
    return [(code, name, level, parent or "", ur) for code, name, level, parent, ur in TREE if code not in skip]


def published_counts(province: str) -> dict[int, int]:
    with open(DATA / "counts_by_province_2023.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["province_code"] == province.ljust(12, "0"):
                return {
                    1: 1,
                    2: int(row["cities"]),
                    3: int(row["counties"]),
                    4: int(row["towns"]),
                    5: int(row["villages"]),
                }
    raise AssertionError(province)


def counts_per_level(prefix: str) -> dict[int, int]:
    counts = dict.fromkeys(range(1, 6), 0)
    for level in Division.objects.within(prefix).values_list("level", flat=True):
        counts[level] += 1
    return counts


def history_count() -> int:
    return Division.history.count()


# --- the real province files ------------------------------------------------------------------
@pytest.mark.django_db
def test_guangxi_and_shanghai_imports_match_the_published_counts_per_level():
    for name in ("divisions_2023_guangxi_45.csv", "divisions_2023_shanghai_31.csv"):
        result = import_divisions(DATA / name, edition=2023)
        assert result.applied and not result.rejected

    assert counts_per_level("45") == published_counts("45")
    assert counts_per_level("31") == published_counts("31")
    assert Division.objects.count() == 18_091 + 6_761
    nanning = Division.objects.get(code="450100000000")
    assert (nanning.name, nanning.level, nanning.parent_id) == ("南宁市", 2, "450000000000")
    assert nanning.edition == nanning.first_edition == 2023


@pytest.mark.django_db
def test_a_second_import_of_the_same_file_changes_nothing_and_says_so():
    first = import_divisions(DATA / "divisions_2023_shanghai_31.csv", edition=2023)
    assert first.added == 6_761
    histories, stamps = history_count(), set(Division.objects.values_list("updated_at", flat=True))

    second = import_divisions(DATA / "divisions_2023_shanghai_31.csv", edition=2023)

    assert (second.added, second.updated, second.abolished, second.unchanged) == (0, 0, 0, 6_761)
    assert second.applied
    assert "无变化" in second.summary()
    assert history_count() == histories
    assert set(Division.objects.values_list("updated_at", flat=True)) == stamps
    assert counts_per_level("31") == published_counts("31")
    assert ImportRun.objects.filter(kind="divisions").count() == 2
    assert ImportRun.objects.order_by("-id").first().unchanged == 6_761


@pytest.mark.django_db
def test_every_run_is_recorded_with_its_counts_user_and_report(cast):
    result = import_divisions(DATA / "divisions_2023_shanghai_31.csv", edition=2023, user=cast["superuser"])
    run = result.run
    run.refresh_from_db()
    assert (run.kind, run.edition, run.added, run.rows_read, run.applied, run.dry_run) == (
        "divisions", 2023, 6_761, 6_761, True, False,
    )  # fmt: skip
    assert run.user == cast["superuser"]
    assert run.finished_at is not None
    assert "新增 6,761" in run.report


# --- validation ---------------------------------------------------------------------------------
BAD_ROWS = [
    ("450102001005", "新建社区居委会", 5, "450102001000", "111"),  # line 2: fine
    ("45010200106", "短代码社区", 5, "450102001000", ""),  # line 3: bad code
    ("450102098001", "无上级社区", 5, "450102098000", ""),  # line 4: unknown parent
    ("450102001301", "挂错层级村", 5, "450102000000", ""),  # line 5: wrong level (village under a county)
    ("450102001003", "改名社区居委会", 5, "450102001000", ""),  # line 6: a rename of an existing unit
    ("450102003000", "坏街道", 3, "450102000000", ""),  # line 7: level column disagrees with the code
    ("450102003001", "坏街道的社区", 5, "450102003000", ""),  # line 8: its parent is rejected
    ("450102001006", "", 5, "450102001000", ""),  # line 9: empty name
    ("450102001005", "重复社区", 5, "450102001000", ""),  # line 10: duplicate of line 2
    ("450102001007", "城乡码错社区", 5, "450102001000", "311"),  # line 11: bad urban-rural code
]


def test_a_bad_file_reports_each_problem_with_its_line_and_writes_nothing(tree, tmp_path):
    path = write_csv(tmp_path / "bad.csv", BAD_ROWS)
    divisions, histories = Division.objects.count(), history_count()

    result = import_divisions(path, edition=2023)

    by_line = {r.line: r for r in result.rejected}
    assert sorted(by_line) == [3, 4, 5, 7, 8, 9, 10, 11]
    assert by_line[3].column == "code" and "12位数字" in by_line[3].reason
    assert by_line[4].column == "parent_code" and "不存在" in by_line[4].reason
    assert by_line[5].column == "level" and "层级不符" in by_line[5].reason
    assert by_line[7].column == "code" and "不符" in by_line[7].reason
    assert by_line[8].reason == "上级区划在本文件中被拒绝"
    assert by_line[9].column == "name"
    assert "重复" in by_line[10].reason and "第 2 行" in by_line[10].reason
    assert by_line[11].column == "urban_rural_code"
    assert not result.applied
    assert Division.objects.count() == divisions
    assert history_count() == histories
    assert Division.objects.get(code="450102001003").name == "兴宁社区居委会"
    assert not Division.objects.filter(code="450102001005").exists()
    run = ImportRun.objects.get()
    assert (run.applied, run.rejected) == (False, 8)
    assert "第 3 行" in run.report


def test_allow_rejects_applies_only_the_good_rows(tree, tmp_path):
    path = write_csv(tmp_path / "bad.csv", BAD_ROWS)
    divisions = Division.objects.count()

    result = import_divisions(path, edition=2023, allow_rejects=True)

    assert result.applied
    assert (result.added, result.updated, result.rejected_rows) == (1, 1, 8)
    assert Division.objects.count() == divisions + 1
    assert Division.objects.get(code="450102001005").name == "新建社区居委会"
    renamed = Division.objects.get(code="450102001003")
    assert renamed.name == "改名社区居委会"
    assert renamed.urban_rural_code == "111"  # the file's empty column keeps the code in the database
    assert not Division.objects.filter(code__in=["450102003000", "450102003001", "450102001007"]).exists()


def test_the_command_prints_the_report_writes_all_rejections_and_exits_non_zero(tree, tmp_path, capsys):
    path = write_csv(tmp_path / "bad.csv", BAD_ROWS)
    report = tmp_path / "report.csv"

    with pytest.raises(CommandError, match="未写入"):
        call_command("import_divisions", str(path), "--report", str(report))

    out = capsys.readouterr()
    assert "第 4 行 450102098001［parent_code］" in out.out
    assert "拒绝 8" in out.out
    with open(report, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["行号"]) for r in rows] == [3, 4, 5, 7, 8, 9, 10, 11]
    assert not Division.objects.filter(code="450102001005").exists()


def test_the_command_shows_progress_and_succeeds_on_a_good_file(db, tmp_path, capsys):
    call_command("import_divisions", str(DATA / "divisions_2023_shanghai_31.csv"), "--edition", "2023")

    out = capsys.readouterr()
    assert "[写入] 100%" in out.err
    assert "新增 6,761" in out.out
    assert Division.objects.count() == 6_761


def test_a_dry_run_writes_nothing_but_the_import_record(db):
    result = import_divisions(DATA / "divisions_2023_shanghai_31.csv", edition=2023, dry_run=True)

    assert result.added == 6_761 and not result.applied
    assert "仅校验" in result.summary()
    assert Division.objects.count() == 0
    assert ImportRun.objects.get().dry_run


def test_a_failure_midway_leaves_the_database_as_it_was(tree, tmp_path, monkeypatch):
    rows = [
        ("450102001005", "新建社区居委会", 5, "450102001000", "111"),
        ("450102001003", "改名社区居委会", 5, "450102001000", ""),
    ]
    path = write_csv(tmp_path / "good.csv", rows)
    divisions, histories = Division.objects.count(), history_count()

    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(importer, "_save_with_history", broken)  # fails after the new row went in
    with pytest.raises(RuntimeError):
        import_divisions(path, edition=2023)

    assert Division.objects.count() == divisions
    assert history_count() == histories
    assert Division.objects.get(code="450102001003").name == "兴宁社区居委会"
    run = ImportRun.objects.get()
    assert not run.applied and "磁盘已满" in run.report


def test_towns_may_hang_directly_under_a_prefecture_city_without_counties(db, tmp_path):
    rows = [
        ("440000000000", "广东省", 1, "", ""),
        ("441900000000", "东莞市", 2, "440000000000", ""),
        ("441900003000", "东城街道", 4, "441900000000", ""),
        ("441900003001", "岗贝社区居民委员会", 5, "441900003000", ""),
    ]
    result = import_divisions(write_csv(tmp_path / "dg.csv", rows), edition=2023)

    assert result.applied and result.added == 4 and not result.rejected
    assert Division.objects.get(code="441900003000").parent_id == "441900000000"


def test_a_renamed_unit_is_updated_with_a_history_row(tree, tmp_path, cast):
    rows = [*tree_rows(), ("450102001201", "官桥社区居委会", 5, "450102001000", "")]
    path = write_csv(tmp_path / "renamed.csv", [r for r in rows if r[1] != "官桥村委会"])
    histories = history_count()

    result = import_divisions(path, edition=2023, user=cast["superuser"])

    assert (result.updated, result.unchanged) == (1, len(TREE) - 1)
    unit = Division.objects.get(code="450102001201")
    assert unit.name == "官桥社区居委会" and unit.urban_rural_code == "112"
    assert history_count() == histories + 1
    record = unit.history.first()
    assert record.history_type == "~" and record.history_user == cast["superuser"]
    assert "区划代码导入" in record.history_change_reason


def test_a_complete_import_marks_a_missing_unit_abolished_with_its_successor_and_reinstates_it_later(tree, tmp_path):
    missing = "450102001201"  # 官桥村委会, merged into 北宁社区 in this made-up 2024 edition
    path = write_csv(tmp_path / "2024.csv", tree_rows(skip={missing}))
    successors = write_csv(tmp_path / "successors.csv", [(missing, "450102001004")], ["code", "successor_code"])

    result = import_divisions(path, edition=2024, complete=True, successors=successors)

    assert result.applied and (result.abolished, result.successors_set) == (1, 1)
    # 7 communities carry 城乡分类代码 in the file: now confirmed as 2024 codes; the other 10 only get the edition
    assert (result.updated, result.confirmed) == (7, 10)
    assert Division.objects.get(code="450102001003").urban_rural_edition == 2024
    gone = Division.objects.get(code=missing)
    assert (gone.abolished_in, gone.successor_id, gone.edition) == (2024, "450102001004", 2023)
    assert gone.history.first().abolished_in == 2024
    assert Division.objects.current().count() == len(TREE) - 1
    assert Division.objects.get(code="450102001003").edition == 2024

    again = import_divisions(path, edition=2024, complete=True, successors=successors)
    assert not again.changed and "无变化" in again.summary()

    back = import_divisions(write_csv(tmp_path / "2025.csv", tree_rows()), edition=2025, complete=True)
    assert (back.reinstated, back.abolished) == (1, 0)
    gone.refresh_from_db()
    assert (gone.abolished_in, gone.successor_id, gone.edition, gone.first_edition) == (None, None, 2025, 2023)
    assert Division.objects.count() == len(TREE)  # never deleted


def test_a_complete_import_rejects_children_of_a_parent_it_would_abolish(tree, tmp_path):
    rows = [r for r in tree_rows() if r[0] != "450102002000"]  # drop 朝阳街道 but keep its communities
    result = import_divisions(write_csv(tmp_path / "x.csv", rows), edition=2024, complete=True)

    assert not result.applied
    assert {r.code for r in result.rejected} == {"450102002001", "450102002201"}
    assert Division.objects.current().count() == len(TREE)


def test_an_older_code_table_never_overwrites_a_newer_one(tree, tmp_path):
    Division.objects.filter(code="450102001003").update(edition=2024, name="新名社区居委会")
    result = import_divisions(write_csv(tmp_path / "old.csv", tree_rows()), edition=2023)

    assert result.kept_newer == 1
    assert Division.objects.get(code="450102001003").name == "新名社区居委会"


# --- census figures -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_population_import_sets_county_figures_sums_them_up_and_reports_unmatched_codes():
    import_divisions(DATA / "divisions_2023_guangxi_45.csv", edition=2023)

    result = import_population(DATA / "population_2020_county.csv", year=2020)

    assert result.applied and not result.rejected
    xingning = Division.objects.get(code="450102000000")
    assert (xingning.population, xingning.households) == (615_485, 212_478)
    assert (xingning.figures_source, xingning.figures_year) == (FiguresSource.CENSUS, 2020)
    hengzhou = Division.objects.get(code="450181000000")  # 横县 450127 in the census, 横州市 since 2021
    assert (hengzhou.population, hengzhou.households) == (896_099, 294_787)
    assert result.mapped == 1  # the other 23 code changes point outside 广西 and are skipped
    assert any(r.code == "350427" and "对应到 350405" in r.reason for r in result.skipped)
    counties = Division.objects.within("45").filter(level=3)
    assert counties.filter(figures_source=FiguresSource.CENSUS).count() == counties.count() == 111
    guangxi = Division.objects.get(code="450000000000")
    assert guangxi.population == sum(c.population for c in counties)
    assert guangxi.figures_source == FiguresSource.CENSUS
    skipped = {r.code: r.reason for r in result.skipped}
    assert "区划库中没有" in skipped["110101"]  # Beijing is not loaded here
    assert any("来源未给出区划代码" in r.reason for r in result.skipped)
    assert "未匹配到区划" in result.summary()

    again = import_population(DATA / "population_2020_county.csv", year=2020)
    assert (again.updated, again.aggregated) == (0, 0) and again.unchanged == result.updated


def test_the_population_import_never_overwrites_entered_figures_unless_forced(tree, tmp_path):
    Division.objects.filter(code="450102000000").update(
        population=480_000, households=170_000, figures_source=FiguresSource.ENTERED, figures_year=2024
    )
    path = write_csv(
        tmp_path / "pop.csv",
        [
            ("450102", "兴宁区", "475590", "172102"),
            ("450103", "青秀区", "1052600", "383000"),
            ("999999", "无", "1", "1"),
        ],
        ["code", "name", "population", "households"],
    )

    result = import_population(path, year=2020)
    assert (result.updated, result.kept_entered) == (1, 1)
    assert Division.objects.get(code="450102000000").population == 480_000
    assert Division.objects.get(code="450103000000").population == 1_052_600
    assert [r.code for r in result.skipped] == ["999999"]

    forced = import_population(path, year=2020, force=True)
    assert forced.updated == 1
    assert Division.objects.get(code="450102000000").figures_source == FiguresSource.CENSUS


def test_a_malformed_population_file_writes_nothing(tree, tmp_path):
    path = write_csv(
        tmp_path / "pop.csv",
        [("450102", "兴宁区", "475590", "172102"), ("450103", "青秀区", "很多", "383000")],
        ["code", "name", "population", "households"],
    )
    result = import_population(path, year=2020)

    assert not result.applied
    assert [(r.line, r.column) for r in result.rejected] == [(3, "population")]
    assert Division.objects.get(code="450102000000").population is None


# --- urban-rural codes --------------------------------------------------------------------------
SAMPLE_ANCESTORS = [
    ("220000000000", "吉林省", 1, "", ""),
    ("220500000000", "通化市", 2, "220000000000", ""),
    ("220581000000", "梅河口市", 3, "220500000000", ""),
    ("220581102000", "海龙镇", 4, "220581000000", ""),
    ("330000000000", "浙江省", 1, "", ""),
    ("330600000000", "绍兴市", 2, "330000000000", ""),
    ("330603000000", "柯桥区", 3, "330600000000", ""),
    ("330603107000", "王坛镇", 4, "330603000000", ""),
]


def load_sample_without_codes(tmp_path) -> list[dict]:
    with open(DATA / "urban_rural_sample_2streets.csv", encoding="utf-8", newline="") as f:
        sample = list(csv.DictReader(f))
    villages = [(r["code"], r["name"], r["level"], r["parent_code"], "") for r in sample]
    result = import_divisions(write_csv(tmp_path / "towns.csv", SAMPLE_ANCESTORS + villages), edition=2023)
    assert result.added == len(SAMPLE_ANCESTORS) + 45
    return sample


def test_the_urban_rural_import_sets_the_codes_of_the_two_sample_towns(db, tmp_path):
    sample = load_sample_without_codes(tmp_path)

    result = import_urban_rural(DATA / "urban_rural_sample_2streets.csv", edition=2023)

    assert (result.rows_read, result.updated, len(result.skipped)) == (45, 45, 0)
    for row in sample:
        unit = Division.objects.get(code=row["code"])
        assert (unit.urban_rural_code, unit.urban_rural_edition) == (row["urban_rural_code"], 2023)
    assert Division.objects.get(code="220581102001").urban_by_code is True  # 121 镇中心区
    assert {"121", "122", "220"} <= set(Division.objects.filter(level=5).values_list("urban_rural_code", flat=True))
    assert history_count() == 45  # new rows have no history rows; the 45 changes do

    again = import_urban_rural(DATA / "urban_rural_sample_2streets.csv", edition=2023)
    assert (again.updated, again.unchanged) == (0, 45) and "无变化" in again.summary()


def test_an_older_urban_rural_edition_never_replaces_a_newer_code(db, tmp_path):
    load_sample_without_codes(tmp_path)
    import_urban_rural(DATA / "urban_rural_sample_2streets.csv", edition=2023)
    old = write_csv(
        tmp_path / "ur2016.csv", [("220581102001", "220"), ("110101001001", "111")], ["code", "urban_rural_code"]
    )

    result = import_urban_rural(old, edition=2016)

    assert (result.updated, result.kept_newer) == (0, 1)
    assert [r.code for r in result.skipped] == ["110101001001"]
    assert Division.objects.get(code="220581102001").urban_rural_code == "121"


def test_the_2016_proxy_fills_codes_marked_as_proxy(tree, tmp_path):
    Division.objects.filter(level=5).update(urban_rural_code="", urban_rural_edition=None)
    result = import_urban_rural(DATA / "urban_rural_2016_matched.csv.gz", edition=2016)

    assert result.applied and result.updated > 0
    unit = Division.objects.filter(level=5).exclude(urban_rural_code="").first()
    assert unit.urban_rural_edition == 2016 and unit.urban_rural_is_proxy


# --- estimates ----------------------------------------------------------------------------------
def test_estimates_mark_their_source_and_never_touch_entered_figures(tree):
    Division.objects.filter(code="450102000000").update(
        population=475_590, households=172_102, figures_source=FiguresSource.CENSUS, figures_year=2020
    )
    Division.objects.filter(code="450102001004").update(
        population=1_234, households=456, figures_source=FiguresSource.ENTERED, figures_year=2024, facility_area=321
    )

    result = estimate_figures(prefix="4501")

    entered = Division.objects.get(code="450102001004")
    assert (entered.population, entered.households, entered.figures_source) == (1_234, 456, FiguresSource.ENTERED)
    assert not entered.facility_area_estimated and entered.facility_area == 321
    estimated = Division.objects.within("450102").filter(level=5).exclude(code="450102001004")
    for unit in estimated:
        assert unit.figures_source == FiguresSource.ESTIMATE and unit.figures_year == 2020
        assert unit.population > 0 and unit.households > 0
        assert 20 <= float(unit.facility_area) * 100 / unit.households <= 45
        assert unit.facility_area_estimated
    # an even split of the county over its 5 communities, ±25 %
    share = 475_590 / 5
    assert all(0.7 * share <= u.population <= 1.3 * share for u in estimated)
    street = Division.objects.get(code="450102001000")
    members = Division.objects.within("450102001").filter(level=5)
    assert street.population == sum(m.population for m in members)
    assert street.figures_source == FiguresSource.ESTIMATE
    # 青秀区 has no figures: its communities stay empty
    assert result.no_basis == 2
    assert Division.objects.get(code="450103001005").population is None
    assert "估算" in result.summary()

    histories = history_count()
    again = estimate_figures(prefix="4501")
    assert again.updated == 0 and history_count() == histories


def test_estimates_are_deterministic(tree):
    Division.objects.filter(code="450102000000").update(
        population=475_590, households=172_102, figures_source=FiguresSource.CENSUS, figures_year=2020
    )
    estimate_figures(prefix="450102")
    first = list(Division.objects.within("450102").values_list("code", "population", "households", "facility_area"))
    Division.objects.within("450102").filter(level__gte=4).update(
        population=None, households=None, figures_source="", facility_area=None
    )
    estimate_figures(prefix="450102")
    second = list(Division.objects.within("450102").values_list("code", "population", "households", "facility_area"))
    assert first == second


@pytest.mark.django_db
def test_a_whole_province_is_estimated_in_a_few_seconds():
    import_divisions(DATA / "divisions_2023_guangxi_45.csv", edition=2023)
    import_population(DATA / "population_2020_county.csv", year=2020)

    result = estimate_figures(prefix="45")

    assert result.communities == 16_681 and result.streets == 1_284
    assert result.seconds < 30
    assert not Division.objects.within("45").filter(level=5, population__isnull=True).exists()


# --- the other commands -------------------------------------------------------------------------
def test_the_population_command_lists_skipped_codes_and_writes_them_to_the_report(tree, tmp_path, capsys):
    report = tmp_path / "skipped.csv"
    call_command("import_population", str(DATA / "population_2020_county.csv"), "--report", str(report))

    out = capsys.readouterr().out
    assert "更新县级单位 3 个" in out  # 兴宁区, 青秀区, 城中区 are in the test tree
    assert "跳过的行" in out
    with open(report, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and {r["处理"] for r in rows} == {"跳过"}
    assert Division.objects.get(code="450103000000").figures_source == FiguresSource.CENSUS


def test_the_urban_rural_command_refuses_a_malformed_file(tree, tmp_path, capsys):
    path = write_csv(
        tmp_path / "ur.csv", [("450102001003", "111"), ("450102001004", "9")], ["code", "urban_rural_code"]
    )

    with pytest.raises(CommandError):
        call_command("import_urban_rural", str(path), "--edition", "2024")

    assert "第 3 行 450102001004［urban_rural_code］" in capsys.readouterr().out
    assert Division.objects.get(code="450102001003").urban_rural_edition == 2023


def test_the_estimate_command_reports_what_it_estimated(tree, capsys):
    Division.objects.filter(code="450102000000").update(
        population=615_485, households=212_478, figures_source=FiguresSource.CENSUS, figures_year=2020
    )
    call_command("estimate_figures", "--prefix", "450102")

    out = capsys.readouterr().out
    assert "估算社区（村）人口户数 5 个" in out and "汇总街道（乡镇） 2 个" in out
    assert ImportRun.objects.get().kind == "estimate"


def test_an_unknown_user_is_refused_before_anything_happens(db):
    with pytest.raises(CommandError, match="用户不存在"):
        call_command("import_divisions", str(DATA / "divisions_2023_shanghai_31.csv"), "--user", "nobody")
    assert Division.objects.count() == 0


@pytest.mark.django_db
def test_counties_merged_after_the_census_get_the_sum_of_their_predecessors(tmp_path):
    rows = [
        ("350000000000", "福建省", 1, "", ""),
        ("350400000000", "三明市", 2, "350000000000", ""),
        ("350404000000", "三元区", 3, "350400000000", ""),  # 梅列区 350402 + 三元区 350403 since 2021
        ("350405000000", "沙县区", 3, "350400000000", ""),  # 沙县 350427 until 2021
    ]
    import_divisions(write_csv(tmp_path / "sm.csv", rows), edition=2023)

    result = import_population(DATA / "population_2020_county.csv", year=2020)

    sanyuan = Division.objects.get(code="350404000000")
    assert (sanyuan.population, sanyuan.households) == (220_115 + 187_936, 81_997 + 66_791)
    assert Division.objects.get(code="350405000000").population == 250_503
    assert result.mapped == 3
