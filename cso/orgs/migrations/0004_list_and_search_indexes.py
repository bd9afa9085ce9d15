"""Indexes for the registry list and search.

- (division, name, id): the default list order inside a division subtree, so that keyset pages
  and OFFSET jumps walk one index.
- PostgreSQL only: the pg_trgm extension and GIN trigram indexes on the name and its pinyin keys
  (substring search with LIKE '%…%'), and pattern-ops B-tree indexes for prefix search on the
  credit code and on leaders' names (LIKE 'x%' independent of the database collation).
"""

from django.db import migrations, models

TRIGRAM = [
    ("orgs_org_name_trgm", "orgs_organization", "name"),
    ("orgs_org_pinyin_trgm", "orgs_organization", "name_pinyin"),
    ("orgs_org_initials_trgm", "orgs_organization", "name_initials"),
]
PATTERN = [
    ("orgs_org_credit_code_like", "orgs_organization", "credit_code"),
    ("orgs_leader_name_like", "orgs_leader", "name"),
]


def create_pg_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")
    for name, table, column in PATTERN:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column} varchar_pattern_ops)")


def drop_pg_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in TRIGRAM + PATTERN:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0003_name_search_keys"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["division", "name", "id"], name="org_division_name_id"),
        ),
        migrations.RunPython(create_pg_indexes, drop_pg_indexes, elidable=False),
    ]
