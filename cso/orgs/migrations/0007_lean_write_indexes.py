"""Indexes the registry's writes maintain but no query reads (issue 3: the import spends most of
its apply in PostgreSQL maintaining indexes).

- organizations: the plain ``division_id`` index (``org_division_status`` and
  ``org_division_name_cover`` lead with it; subtrees are code ranges) and the
  ``varchar_pattern_ops`` twins of ``division_id``, ``registration_authority_division_id`` and
  ``name`` (codes are never matched with LIKE, names are searched by trigram); the plain ``name``
  and authority indexes stay, renamed to explicit ``Meta.indexes`` (which get no twin);
- organization history: the copies of the model's field indexes (uid, name, divisions, venue,
  incubation base, creator); ``id``, ``history_date`` and ``history_user`` stay;
- leader history: ``organization_id`` (leader history is read per leader);
- spans and status changes: the foreign-key indexes that a composite index already leads with.

The model state is changed by the generated ``AlterField``/``AddIndex`` operations; the database
by explicit statements, because Django's own ``AlterField`` would also drop the partial unique
index ``orgs_span_one_open`` (a one-column index on the same column) and re-validate each altered
foreign key over the whole table. Both directions run on PostgreSQL and SQLite (SQLite never had
the ``_like`` twins: ``IF EXISTS``).
"""

import cso.orgs.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# (table, column): the index Django created for the field, dropped (re-created on the way back).
# Names are computed as Django named them (they differ between backends: PostgreSQL truncates
# long names to 63 characters, SQLite does not).
DROPPED = [
    ("orgs_organization", "division_id"),
    ("orgs_historicalorganization", "created_by_id"),
    ("orgs_historicalorganization", "division_id"),
    ("orgs_historicalorganization", "incubated_by_id"),
    ("orgs_historicalorganization", "name"),
    ("orgs_historicalorganization", "registration_authority_division_id"),
    ("orgs_historicalorganization", "uid"),
    ("orgs_historicalorganization", "venue_id"),
    ("orgs_historicalleader", "organization_id"),
    ("orgs_orgstatespan", "division_id"),
    ("orgs_orgstatespan", "organization_id"),
    ("orgs_statuschange", "organization_id"),
]
# PostgreSQL only: the varchar_pattern_ops twins ("…_like") of these (table, column).
DROPPED_LIKE = [
    ("orgs_organization", "division_id"),
    ("orgs_organization", "name"),
    ("orgs_organization", "registration_authority_division_id"),
    ("orgs_historicalorganization", "division_id"),
    ("orgs_historicalorganization", "name"),
    ("orgs_historicalorganization", "registration_authority_division_id"),
    ("orgs_historicalorganization", "uid"),
    ("orgs_orgstatespan", "division_id"),
]
# (table, column, new name): the same index, under its Meta.indexes name.
RENAMED = [
    ("orgs_organization", "name", "org_name"),
    ("orgs_organization", "registration_authority_division_id", "org_authority_division"),
]


def _name(schema_editor, table, column, suffix=""):
    return schema_editor._create_index_name(table, [column], suffix=suffix)


def _rename(schema_editor, old, new, table, column):
    qn = schema_editor.quote_name
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX IF EXISTS {qn(old)} RENAME TO {qn(new)}")
    else:  # SQLite cannot rename an index
        schema_editor.execute(f"DROP INDEX IF EXISTS {qn(old)}")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {qn(new)} ON {qn(table)} ({qn(column)})")


def drop_indexes(apps, schema_editor):
    qn = schema_editor.quote_name
    for table, column in DROPPED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {qn(_name(schema_editor, table, column))}")
    if schema_editor.connection.vendor == "postgresql":
        for table, column in DROPPED_LIKE:
            schema_editor.execute(f"DROP INDEX IF EXISTS {qn(_name(schema_editor, table, column, '_like'))}")
    for table, column, new in RENAMED:
        _rename(schema_editor, _name(schema_editor, table, column), new, table, column)


def restore_indexes(apps, schema_editor):
    qn = schema_editor.quote_name
    for table, column, new in RENAMED:
        _rename(schema_editor, new, _name(schema_editor, table, column), table, column)
    for table, column in DROPPED:
        name = _name(schema_editor, table, column)
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {qn(name)} ON {qn(table)} ({qn(column)})")
    if schema_editor.connection.vendor == "postgresql":
        for table, column in DROPPED_LIKE:
            name = _name(schema_editor, table, column, "_like")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {qn(name)} ON {qn(table)} ({qn(column)} varchar_pattern_ops)"
            )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_import_job'),
        ('orgs', '0006_import_job'),
        ('regions', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_indexes, restore_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name='historicalleader',
                    name='organization',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.organization', verbose_name='组织'),
                ),
                migrations.AlterField(
                    model_name='historicalorganization',
                    name='created_by',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入人'),
                ),
                migrations.AlterField(
                    model_name='historicalorganization',
                    name='division',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='regions.division', verbose_name='所在社区（区划）'),
                ),
                migrations.AlterField(
                    model_name='historicalorganization',
                    name='incubated_by',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.incubationbase', verbose_name='孵化基地'),
                ),
                migrations.AlterField(
                    model_name='historicalorganization',
                    name='name',
                    field=models.CharField(max_length=200, verbose_name='名称'),
                ),
                migrations.AlterField(
                    model_name='historicalorganization',
                    name='registration_authority_division',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='regions.division', verbose_name='登记（备案）机关所在区划'),
                ),
                migrations.AlterField(
                    model_name='historicalorganization',
                    name='uid',
                    field=models.CharField(default=cso.orgs.validators.generate_uid, editable=False, max_length=16, verbose_name='组织标识'),
                ),
                migrations.AlterField(
                    model_name='historicalorganization',
                    name='venue',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.venue', verbose_name='活动场所'),
                ),
                migrations.AlterField(
                    model_name='organization',
                    name='division',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='organizations', to='regions.division', verbose_name='所在社区（区划）'),
                ),
                migrations.AlterField(
                    model_name='organization',
                    name='name',
                    field=models.CharField(max_length=200, verbose_name='名称'),
                ),
                migrations.AlterField(
                    model_name='organization',
                    name='registration_authority_division',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.division', verbose_name='登记（备案）机关所在区划'),
                ),
                migrations.AlterField(
                    model_name='orgstatespan',
                    name='division',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.division', verbose_name='所在区划'),
                ),
                migrations.AlterField(
                    model_name='orgstatespan',
                    name='organization',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='spans', to='orgs.organization', verbose_name='组织'),
                ),
                migrations.AlterField(
                    model_name='statuschange',
                    name='organization',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='status_changes', to='orgs.organization', verbose_name='组织'),
                ),
                migrations.AddIndex(
                    model_name='organization',
                    index=models.Index(fields=['name'], name='org_name'),
                ),
                migrations.AddIndex(
                    model_name='organization',
                    index=models.Index(fields=['registration_authority_division'], name='org_authority_division'),
                ),
            ],
        ),
    ]
