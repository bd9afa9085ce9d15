"""The registry as of any date: spans split at effective dates, and one grouped query counts."""

import itertools
from collections import Counter
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.db.models.functions import Substr

from cso.orgs import services
from cso.orgs.models import Category, OrgStateSpan

from .factories import COMMUNITY, COMMUNITY_2, FOREIGN_COMMUNITY, make_filed, make_registered

D = date(2025, 6, 30)


def spans_of(org):
    return [(s.valid_from, s.valid_to, s.status) for s in OrgStateSpan.objects.filter(organization=org)]


def assert_tiled(org):
    """Spans never overlap and leave no gap; the last one is open and matches the record."""
    spans = list(OrgStateSpan.objects.filter(organization=org).order_by("valid_from"))
    for a, b in itertools.pairwise(spans):
        assert a.valid_to == b.valid_from
    assert spans[-1].valid_to is None
    org.refresh_from_db()
    assert spans[-1].facts() == org.span_facts()


def test_a_new_organization_has_one_open_span_from_its_registration_date(cast):
    org = make_registered(cast["registrar"], registered_on=date(2020, 5, 1))
    assert spans_of(org) == [(date(2020, 5, 1), None, "active")]
    assert services.org_state_as_of(org, date(2020, 4, 30)) is None
    assert services.org_state_as_of(org, date(2020, 5, 1)).status == "active"


def test_status_as_of_dates_before_on_and_after_a_change(cast):
    org = make_registered(cast["registrar"])
    services.change_status(org, "abnormal", D, "未报年报", cast["registrar"])
    assert services.org_state_as_of(org, date(2025, 6, 29)).status == "active"
    assert services.org_state_as_of(org, D).status == "abnormal"
    assert services.org_state_as_of(org, date(2025, 7, 1)).status == "abnormal"
    assert spans_of(org) == [(date(2020, 5, 1), D, "active"), (D, None, "abnormal")]
    assert_tiled(org)


def test_a_move_between_communities_takes_effect_on_its_date(cast):
    org = make_filed(cast["street"], division=COMMUNITY)
    services.update_organization(org, {"division": COMMUNITY_2}, cast["street"], effective_date=date(2024, 1, 1),
                                 reason="迁至北宁社区")
    assert services.org_state_as_of(org, date(2023, 12, 31)).division_id == COMMUNITY
    assert services.org_state_as_of(org, date(2024, 1, 1)).division_id == COMMUNITY_2
    org.refresh_from_db()
    assert org.division_id == COMMUNITY_2
    assert_tiled(org)


def test_a_category_change_is_kept_as_a_mask_per_span(cast):
    org = make_filed(cast["street"], categories=["culture_sports"])
    culture = Category.objects.get(code="culture_sports")
    charity = Category.objects.get(code="charity")
    services.update_organization(org, {"categories": ["culture_sports", "charity"]}, cast["street"],
                                 effective_date=date(2024, 3, 1))
    before = services.org_state_as_of(org, date(2024, 2, 29))
    after = services.org_state_as_of(org, date(2024, 3, 1))
    assert before.categories_mask == culture.flag
    assert after.categories_mask == culture.flag | charity.flag
    on_d = services.state_as_of(date(2024, 3, 1))
    assert list(on_d.with_category(charity).values_list("organization", flat=True)) == [org.pk]
    assert not services.state_as_of(date(2024, 2, 1)).with_category(charity).exists()
    assert_tiled(org)


def test_a_backdated_change_splits_the_span_that_holds_its_date(cast):
    org = make_filed(cast["street"], filed_on=date(2020, 1, 1), categories=["culture_sports"])
    services.change_status(org, "abnormal", date(2024, 6, 1), "长期无活动", cast["street"])
    services.update_organization(org, {"party_building": "instructor"}, cast["street"],
                                 effective_date=date(2023, 1, 1), reason="选派党建指导员")
    spans = list(OrgStateSpan.objects.filter(organization=org))
    assert [(s.valid_from, s.valid_to, s.status, s.party_building) for s in spans] == [
        (date(2020, 1, 1), date(2023, 1, 1), "active", "none"),
        (date(2023, 1, 1), date(2024, 6, 1), "active", "instructor"),
        (date(2024, 6, 1), None, "abnormal", "instructor"),
    ]
    assert_tiled(org)


def test_changes_on_the_same_day_replace_each_other(cast):
    org = make_filed(cast["street"])
    day = date(2024, 5, 5)
    services.update_organization(org, {"tier": "street"}, cast["street"], effective_date=day)
    services.update_organization(org, {"party_building": "liaison"}, cast["street"], effective_date=day)
    assert len(spans_of(org)) == 2
    services.update_organization(org, {"tier": "community", "party_building": "none"}, cast["street"],
                                 effective_date=day, reason="录入错误，当日更正")
    assert len(spans_of(org)) == 1
    assert_tiled(org)


def test_a_backdated_change_may_not_cross_a_later_change_of_the_same_fact(cast):
    org = make_filed(cast["street"])
    services.update_organization(org, {"division": COMMUNITY_2}, cast["street"], effective_date=date(2024, 1, 1))
    with pytest.raises(ValidationError, match="“所在区划”在2024-01-01还有一次变更"):
        services.update_organization(org, {"division": "450102001201"}, cast["street"],
                                     effective_date=date(2023, 1, 1))
    org.refresh_from_db()
    assert org.division_id == COMMUNITY_2
    assert_tiled(org)


def test_name_and_address_changes_do_not_split_spans(cast):
    org = make_filed(cast["street"])
    services.update_organization(org, {"name": "兴宁社区夕阳红太极队", "address": "兴宁路1号"}, cast["street"])
    assert len(spans_of(org)) == 1


def test_a_corrected_registration_date_moves_the_first_span(cast):
    org = make_registered(cast["registrar"], registered_on=date(2020, 5, 1), founded_on=None)
    services.update_organization(org, {"registered_on": date(2019, 9, 9)}, cast["registrar"],
                                 effective_date=date(2020, 5, 1))
    assert spans_of(org)[0][0] == date(2019, 9, 9)
    assert org.status_changes.get().effective_date == date(2019, 9, 9)


def test_the_grouped_county_count_equals_a_hand_count(cast, django_assert_num_queries):
    xingning = [make_filed(cast["street"], filed_on=date(2021, 1, 1)) for _ in range(4)]
    xingning.append(make_registered(cast["registrar"], registered_on=date(2025, 7, 1)))  # not yet on D
    qingxiu = [make_filed(cast["superuser"], division=FOREIGN_COMMUNITY, filed_on=date(2022, 1, 1))
               for _ in range(3)]
    services.change_status(xingning[0], "abnormal", date(2025, 1, 1), "未报年报", cast["street"])
    services.change_status(xingning[1], "cleared", date(2025, 6, 30), "清理", cast["street"])
    services.change_status(xingning[2], "abnormal", date(2025, 7, 1), "未报年报", cast["street"])  # after D
    services.change_status(qingxiu[0], "deregistered", date(2025, 3, 1), "注销", cast["superuser"])
    services.update_organization(qingxiu[1], {"division": COMMUNITY}, cast["superuser"],
                                 effective_date=date(2025, 6, 1))  # moved to 兴宁区 before D

    hand = Counter()
    for org in xingning + qingxiu:
        span = services.org_state_as_of(org, D)
        if span and span.status == "active":
            hand[span.division_id[:6]] += 1
    assert hand == {"450102": 3, "450103": 1}

    with django_assert_num_queries(1):
        rows = list(
            services.state_as_of(D).filter(status="active").annotate(county=Substr("division_id", 1, 6))
            .values("county").annotate(n=Count("id")).order_by("county")
        )
    assert rows == [{"county": "450102", "n": 3}, {"county": "450103", "n": 1}]


def test_as_of_queries_are_scoped_to_the_users_subtree(cast):
    make_filed(cast["street"])
    make_filed(cast["superuser"], division=FOREIGN_COMMUNITY)
    assert services.state_as_of(D).count() == 2
    assert set(services.state_as_of(D, cast["county"]).values_list("division_id", flat=True)) == {COMMUNITY}
    assert not services.state_as_of(D, cast["outsider_street"]).exists()


def test_bulk_loaders_get_the_same_first_span_as_the_service(cast):
    org = make_filed(cast["street"], filed_on=date(2022, 2, 2), categories=["charity"])
    span = services.first_span(org)
    stored = OrgStateSpan.objects.get(organization=org)
    assert span.pk is None
    assert (span.valid_from, span.valid_to, span.facts()) == (stored.valid_from, None, stored.facts())


def test_a_category_an_administrator_adds_gets_the_next_free_bit(db):
    assert sorted(Category.objects.values_list("bit", flat=True)) == list(range(8))
    added = Category.objects.create(code="environment", name="环境保护")
    assert added.bit == 8
    assert Category.objects.filter(code__in=["charity", "environment"]).mask() == (1 << 1) | (1 << 8)
