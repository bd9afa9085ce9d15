"""The list's (division, name, id) index also carries the common filter columns on PostgreSQL
(INCLUDE; other databases build the plain index), so that a filtered deep page is read from the
index alone."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0004_list_and_search_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="organization", name="org_division_name_id"),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                fields=["division", "name", "id"], name="org_division_name_cover",
                include=["status", "track", "org_type", "tier", "party_building", "is_community_org"],
            ),
        ),
    ]
