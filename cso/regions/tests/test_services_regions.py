"""Shared division logic used by both the pages and the API: counts, paths, history, figures."""

from decimal import Decimal

from django.utils import timezone

from cso.regions import services
from cso.regions.models import Division


def add_division(code, name, level, parent, **extra):
    return Division.objects.create(
        code=code, name=name, level=level, parent=parent, edition=2023, first_edition=2023, **extra
    )


def brute_force_counts(child: Division) -> dict[int, int]:
    counts: dict[int, int] = {}
    for d in Division.objects.current().filter(code__startswith=child.prefix, level__gt=child.level):
        counts[d.level] = counts.get(d.level, 0) + 1
    return counts


def test_descendant_counts_match_a_brute_force_count(cast):
    user = cast["province"]
    for parent in Division.objects.filter(level__lt=4):
        children = list(services.children_queryset(parent, user))
        stats = services.descendant_stats(children, user)
        for child in children:
            assert stats[child.code]["counts"] == brute_force_counts(child), child.code


def test_descendant_counts_take_one_query_per_child_level(cast, django_assert_num_queries):
    children = list(Division.objects.filter(parent_id="450100000000"))
    user = cast["province"]
    assert user.division is not None  # loaded once per request by the scoping, not per child
    with django_assert_num_queries(1):
        services.descendant_stats(children, user)


def test_descendant_counts_stay_inside_the_users_scope(cast):
    children = list(Division.objects.filter(parent_id="450100000000"))
    stats = services.descendant_stats(children, cast["county"])
    assert stats["450102000000"]["counts"] == {4: 2, 5: 5}
    assert stats["450103000000"]["counts"] == {}


def test_community_sums_and_the_facility_standard_are_computed_in_the_database(cast):
    Division.objects.filter(code="450102001003").update(population=3000, households=1000, facility_area=300)
    Division.objects.filter(code="450102001004").update(population=2000, households=800, facility_area=100)
    street = Division.objects.get(code="450102001000")
    stats = services.descendant_stats([street], cast["county"])[street.code]
    assert stats["community_population"] == 5000
    assert stats["community_households"] == 1800
    assert stats["community_facility_area"] == Decimal("400")
    assert stats["communities_with_area"] == 2
    assert stats["communities_meeting_standard"] == 1  # 30 m² per 100 households exactly meets it
    assert stats["residents"] == 2
    assert stats["villagers"] == 1


def test_the_subtree_sum_of_a_single_page_equals_the_grouped_query(cast):
    Division.objects.filter(code="450102001003").update(population=3000, households=1000, facility_area=300)
    county = Division.objects.get(code="450102000000")
    one_page = services.children_page(county, cast["county"], per_page=50)["subtree"]
    grouped = services.subtree_stats(county, cast["county"])
    assert one_page == grouped


def test_towns_under_a_city_without_counties_are_counted_and_pathed(cast):
    province = add_division("440000000000", "广东省", 1, None)
    city = add_division("441900000000", "东莞市", 2, province)
    town = add_division("441900003000", "东城街道", 4, city)
    add_division("441900003001", "东城社区居委会", 5, town)
    add_division("441900003201", "温塘村委会", 5, town)
    rows = services.child_rows(services.children_queryset(city, cast["superuser"]), cast["superuser"])
    assert [(r.code, r.stats["counts"]) for r in rows] == [("441900003000", {5: 2})]
    [community] = services.attach_paths(Division.objects.filter(code="441900003201"))
    assert community.path == "广东省 / 东莞市 / 东城街道 / 温塘村委会"


def test_paths_for_many_rows_take_one_query(cast, django_assert_num_queries):
    rows = list(Division.objects.filter(level=5))
    with django_assert_num_queries(1):
        services.attach_paths(rows)
    by_code = {r.code: r.path for r in rows}
    assert by_code["450103001006"] == "广西壮族自治区 / 南宁市 / 青秀区 / 新竹街道 / 思贤社区居委会"


def test_breadcrumbs_never_go_above_the_users_division(cast):
    community = Division.objects.get(code="450102001003")
    assert [d.name for d in services.breadcrumb_divisions(community, cast["street"])] == [
        "民生街道",
        "兴宁社区居委会",
    ]
    assert [d.name for d in services.breadcrumb_divisions(community, cast["superuser"])] == [
        "广西壮族自治区",
        "南宁市",
        "兴宁区",
        "民生街道",
        "兴宁社区居委会",
    ]


def test_updating_figures_marks_them_entered_and_records_who_and_why(cast):
    division = Division.objects.get(code="450102001003")
    division.facility_area_estimated = True
    division.figures_source = "estimate"
    division.save()  # as the estimating import would, with history
    services.update_figures(
        division,
        cast["community"],
        population=2500,
        households=900,
        facility_area=Decimal("280"),
        reason="入户核实",
    )
    division.refresh_from_db()
    assert division.figures_source == "entered"
    assert division.figures_year == timezone.localdate().year
    assert division.facility_area_estimated is False
    history = services.change_history(division)
    latest = history["entries"][0]
    assert latest["user"] == cast["community"].display_name
    assert latest["reason"] == "入户核实"
    changes = {c["field"]: (c["old"], c["new"]) for c in latest["changes"]}
    assert changes["常住人口（人）"] == ("（空）", "2,500")
    assert changes["人口户数来源"] == ("估算（待填报）", "工作人员填报")
    assert changes["设施面积为估算"] == ("是", "否")


def test_the_history_is_loaded_in_one_query_and_capped(cast, django_assert_num_queries):
    division = Division.objects.get(code="450102001003")
    for n in range(25):
        services.update_figures(division, cast["street"], population=1000 + n, households=300, facility_area=None)
    with django_assert_num_queries(1):
        history = services.change_history(division, limit=20)
    assert len(history["entries"]) == 20
    assert history["truncated"] is True
    assert history["entries"][0]["changes"] == [
        {"field": "常住人口（人）", "old": "1,023", "new": "1,024"},
    ]


def test_the_facility_standard_is_30_square_metres_per_100_households(tree):
    division = Division(households=1000, facility_area=Decimal("299.99"))
    assert services.meets_facility_standard(division) is False
    division.facility_area = Decimal("300")
    assert services.meets_facility_standard(division) is True
    assert services.meets_facility_standard(Division(households=0, facility_area=Decimal("1"))) is None
