"""The m2m history tables (an organization's categories and service targets at each of its
history records) are read by ``history_id`` only (``cso.orgs.history``): the indexes simple-history
copies from the link table's foreign keys (organization, category, service target) go, as the
organization history's own did in 0007. Plain index drops (these columns have no constraint)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0007_lean_write_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalorganization_categories',
            name='category',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.category'),
        ),
        migrations.AlterField(
            model_name='historicalorganization_categories',
            name='organization',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.organization'),
        ),
        migrations.AlterField(
            model_name='historicalorganization_service_targets',
            name='organization',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.organization'),
        ),
        migrations.AlterField(
            model_name='historicalorganization_service_targets',
            name='servicetarget',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.servicetarget'),
        ),
    ]
