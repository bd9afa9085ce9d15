"""One index instead of two for the credit code and for leaders' names on PostgreSQL (issue 9, the
import's throughput: every index of a written table is maintained for each of the 100,000 rows of an
import).

Both columns had a plain B-tree (``org_credit_code``, ``orgs_leader_name``) and a
``varchar_pattern_ops`` twin (``orgs_org_credit_code_like``, ``orgs_leader_name_like``, migration
0004). The queries: the code is matched by equality (search, re-import, the inspection and funding
look-ups) and by prefix (``credit_code__startswith``, the registry search); leaders' names by prefix
only (``name__startswith``); nothing sorts either column, and ``__iexact`` uses neither index. A
pattern-ops B-tree serves ``=`` and ``LIKE 'x%'`` alike, so the plain one is dropped and the twin takes
its name (a rename: no rebuild of the national table). On SQLite there never was a twin and the
opclass is ignored: the plain indexes stay as they are. The model state records the opclass.
"""

from django.db import migrations, models

# (table, the plain index dropped, the pattern-ops twin renamed to the plain one's name, column)
PAIRS = [
    ("orgs_organization", "org_credit_code", "orgs_org_credit_code_like", "credit_code"),
    ("orgs_leader", "orgs_leader_name", "orgs_leader_name_like", "name"),
]


def one_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _, plain, twin, _ in PAIRS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {plain}")
        schema_editor.execute(f"ALTER INDEX IF EXISTS {twin} RENAME TO {plain}")


def two_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, plain, twin, column in PAIRS:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {plain} RENAME TO {twin}")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {plain} ON {table} ({column})")


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0016_historicalleader_organization_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(one_index, two_indexes, elidable=False)],
            state_operations=[
                migrations.RemoveIndex(model_name="leader", name="orgs_leader_name"),
                migrations.RemoveIndex(model_name="organization", name="org_credit_code"),
                migrations.AddIndex(
                    model_name="leader",
                    index=models.Index(fields=["name"], name="orgs_leader_name", opclasses=["varchar_pattern_ops"]),
                ),
                migrations.AddIndex(
                    model_name="organization",
                    index=models.Index(fields=["credit_code"], name="org_credit_code",
                                       opclasses=["varchar_pattern_ops"]),
                ),
            ],
        ),
    ]
