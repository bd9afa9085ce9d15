"""The tables the import writes keep the indexes their queries read and only those (migration
0007): every index the list, search, detail, statistics and history pages need is there, the unique
rules are still enforced by the database, and the dropped ones are gone on both databases."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from cso.orgs.choices import Status
from cso.orgs.models import Organization, OrgStateSpan
from cso.orgs.tests.factories import make_filed

pytestmark = pytest.mark.django_db


def index_columns(table: str) -> dict[str, list[str]]:
    """Index name → its columns, for the (non-primary-key) indexes of one table."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name: info["columns"] for name, info in found.items()
            if (info["index"] or info["unique"]) and not info["primary_key"] and not info["foreign_key"]}


def test_organizations_keep_the_indexes_of_their_queries_and_lose_the_redundant_ones():
    indexes = index_columns("orgs_organization")
    assert indexes["org_division_status"] == ["division_id", "status"]
    assert indexes["org_division_name_cover"][:3] == ["division_id", "name", "id"]
    assert indexes["org_name"] == ["name"]  # the sort by name
    assert indexes["org_authority_division"] == ["registration_authority_division_id"]
    assert indexes["org_credit_code"] == ["credit_code"]
    assert "orgs_live_credit_code_unique" in indexes
    assert "orgs_live_name_per_authority_unique" in indexes
    # division_id alone is served by the composite indexes that lead with it
    assert ["division_id"] not in indexes.values()
    assert ["credit_code"] not in [c for n, c in indexes.items() if n not in ("org_credit_code",
                                                                         "orgs_live_credit_code_unique")]
    if connection.vendor == "postgresql":
        assert {"orgs_org_name_trgm", "orgs_org_pinyin_trgm", "orgs_org_initials_trgm"} <= set(indexes)
        # prefix searches on the credit code and the uid are the only LIKE 'x%' lookups; the code's
        # one B-tree is the pattern-ops one, which serves its equality lookups too (migration 0017)
        assert "varchar_pattern_ops" in index_definition("org_credit_code")
        likes = sorted(n for n in indexes if n.endswith("_like"))
        assert len(likes) == 1 and likes[0].startswith("orgs_organization_uid_")


def index_definition(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
        return cursor.fetchone()[0]


def test_leader_names_have_one_index_for_their_prefix_search():
    indexes = index_columns("orgs_leader")
    assert [n for n, c in indexes.items() if c == ["name"]] == ["orgs_leader_name"]
    if connection.vendor == "postgresql":
        assert "varchar_pattern_ops" in index_definition("orgs_leader_name")


def test_equality_and_prefix_lookups_of_the_code_can_use_the_one_index():
    if connection.vendor != "postgresql":
        pytest.skip("the pattern-ops index is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for where in ("credit_code = '51450000MJ0000001X'", "credit_code LIKE '5145%'",
                      "credit_code = ANY(ARRAY['51450000MJ0000001X', '51450000MJ0000002X'])"):
            cursor.execute(f"EXPLAIN SELECT id FROM orgs_organization WHERE {where}")
            plan = "\n".join(r[0] for r in cursor.fetchall())
            assert "org_credit_code" in plan, plan
        cursor.execute("EXPLAIN SELECT id FROM orgs_leader WHERE name LIKE '李%'")
        plan = "\n".join(r[0] for r in cursor.fetchall())
        assert "orgs_leader_name" in plan, plan


def test_history_tables_are_indexed_by_record_and_date_only():
    indexes = index_columns("orgs_historicalorganization")
    assert sorted(indexes.values()) == [["history_date"], ["history_user_id"], ["id"]]
    # leader history is also read per organization (the zombie scan's "no leader change for years")
    assert sorted(index_columns("orgs_historicalleader").values()) == [["history_date"], ["history_user_id"], ["id"],
                                                                       ["organization_id"]]


def test_spans_and_status_changes_keep_their_composite_and_unique_indexes():
    spans = index_columns("orgs_orgstatespan")
    assert spans["orgs_span_one_per_start"] == ["organization_id", "valid_from"]
    assert spans["orgs_span_one_open"] == ["organization_id"]
    assert spans["orgs_span_division_from"] == ["division_id", "valid_from"]
    assert ["division_id"] not in spans.values()
    changes = index_columns("orgs_statuschange")
    assert changes["orgs_statuschange_org_date"] == ["organization_id", "effective_date"]
    assert ["organization_id"] not in changes.values()


def test_the_partial_unique_index_on_open_spans_still_refuses_a_second_open_span(cast):
    org = make_filed(cast["street"])
    span = OrgStateSpan.objects.get(organization=org, valid_to__isnull=True)
    copy = {f: getattr(span, f) for f in OrgStateSpan.FACTS}
    copy["valid_from"] = span.valid_from.replace(year=span.valid_from.year + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgStateSpan.objects.create(organization=org, **copy)
    assert org.status == Status.ACTIVE and Organization.objects.filter(pk=org.pk).exists()


def test_m2m_history_tables_are_indexed_by_history_record_only():
    for table in ("orgs_historicalorganization_categories", "orgs_historicalorganization_service_targets"):
        assert sorted(index_columns(table).values()) == [["history_id"], ["id"]]
