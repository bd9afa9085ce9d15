"""The registering authority becomes a choice from the list of real bodies (regions.Authority).

Existing free-text authorities are mapped by name to a body of the organization's authority
division where one matches, otherwise to that division's civil-affairs body ("暂无" and
abbreviations are not kept); "民政部" maps to 民政部 (whose organizations have no authority
division). Filed groups (filing division below the county) keep their division and no body.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q

LIVE = ("active", "abnormal", "suspended")


def _mapping(apps, pairs):
    from cso.regions import codes
    from cso.regions.authorities import CIVIL_AFFAIRS_KINDS, MINISTRY_NAME, ensure_authorities

    Authority = apps.get_model("regions", "Authority")
    Division = apps.get_model("regions", "Division")
    ensure_authorities(apps=apps)
    ministry = Authority.objects.get(division__isnull=True, name=MINISTRY_NAME).pk
    by_name = {(d, n): pk for pk, d, n in Authority.objects.values_list("pk", "division_id", "name")}
    civil = dict(
        Authority.objects.filter(kind__in=CIVIL_AFFAIRS_KINDS).values_list("division_id", "pk")
    )
    levels = dict(Division.objects.filter(code__in={d for d, _ in pairs if d}).values_list("code", "level"))
    out = {}
    for division, text in pairs:
        name = (text or "").strip()
        if name == MINISTRY_NAME:
            out[(division, text)] = (ministry, None)
        elif division and levels.get(division, 99) <= codes.COUNTY:
            out[(division, text)] = (by_name.get((division, name)) or civil.get(division), division)
    return out


def forward(apps, schema_editor):
    """One UPDATE … FROM a mapping table per table (a join, one scan: the history table has no index
    on the authority division)."""
    connection = schema_editor.connection
    qn = connection.ops.quote_name
    for model_name in ("Organization", "HistoricalOrganization"):
        model = apps.get_model("orgs", model_name)
        pairs = set(model.objects.values_list("registration_authority_division_id", "registration_authority_text")
                    .distinct())
        rows = [(division, text, authority, new_division)
                for (division, text), (authority, new_division) in _mapping(apps, pairs).items()
                if authority is not None or new_division != division]
        if not rows:
            continue
        table = qn(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE orgs_authority_map (division varchar(12), body_text varchar(200), "
                           "authority bigint, new_division varchar(12))")
            cursor.executemany("INSERT INTO orgs_authority_map VALUES (%s, %s, %s, %s)", rows)
            cursor.execute(
                f"UPDATE {table} SET registration_authority_id = m.authority, "
                f"registration_authority_division_id = m.new_division FROM orgs_authority_map m "
                f"WHERE {table}.registration_authority_division_id = m.division "
                f"AND {table}.registration_authority_text = m.body_text"
            )
            cursor.execute("DROP TABLE orgs_authority_map")
    if connection.vendor == "postgresql":
        # check the new foreign keys now: pending checks would block the ALTER TABLEs that follow
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def backward(apps, schema_editor):
    Authority = apps.get_model("regions", "Authority")
    for model_name in ("Organization", "HistoricalOrganization"):
        model = apps.get_model("orgs", model_name)
        used = set(model.objects.exclude(registration_authority__isnull=True)
                   .values_list("registration_authority_id", flat=True))
        for pk, name in Authority.objects.filter(pk__in=used).values_list("pk", "name"):
            model.objects.filter(registration_authority_id=pk).update(registration_authority_text=name)
    # filed groups: the filing division's name, as before
    Division = apps.get_model("regions", "Division")
    Organization = apps.get_model("orgs", "Organization")
    for code in set(Organization.objects.filter(registration_authority__isnull=True)
                    .exclude(registration_authority_division__isnull=True)
                    .values_list("registration_authority_division_id", flat=True)):
        Organization.objects.filter(registration_authority__isnull=True, registration_authority_division_id=code)\
            .update(registration_authority_text=Division.objects.get(pk=code).name)


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0008_lean_m2m_history_indexes"),
        ("regions", "0002_authority"),
    ]

    operations = [
        migrations.RenameField("organization", "registration_authority", "registration_authority_text"),
        migrations.RenameField("historicalorganization", "registration_authority", "registration_authority_text"),
        migrations.AddField(
            model_name="organization",
            name="registration_authority",
            field=models.ForeignKey(
                blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="organizations", to="regions.authority", verbose_name="登记管理机关",
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="registration_authority",
            field=models.ForeignKey(
                blank=True, db_constraint=False, db_index=False, null=True,
                on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="regions.authority",
                verbose_name="登记管理机关",
            ),
        ),
        migrations.RunPython(forward, backward, elidable=False),
        migrations.RemoveField("organization", "registration_authority_text"),
        migrations.RemoveField("historicalorganization", "registration_authority_text"),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.UniqueConstraint(
                condition=Q(registration_authority__isnull=False, registration_authority_division__isnull=True,
                            status__in=LIVE, track="registered"),
                fields=("registration_authority", "name"), name="orgs_live_name_per_national_authority",
                violation_error_message="同一登记管理机关下已有同名的存续组织。",
            ),
        ),
    ]
