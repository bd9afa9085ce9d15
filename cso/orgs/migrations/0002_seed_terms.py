"""Seed the categories and service targets named by DESIGN.md (seeds 000 and 001).

Bits are fixed here once and never reused: statistics store sets of terms as bitmasks.
Administrators add more terms later (the next free bit is assigned on save).
"""

from django.db import migrations

CATEGORIES = [
    ("life_service", "生活服务"),
    ("charity", "公益慈善"),
    ("mutual_aid", "居民互助"),
    ("culture_sports", "文体娱乐"),
    ("rural_production", "农村生产技术服务"),
    ("consultation", "议事协调（社区协商）"),
    ("safety_mediation", "平安建设（纠纷调解）"),
    ("hub_support", "枢纽支持型"),
]

SERVICE_TARGETS = [
    ("elderly", "老年人"),
    ("women", "妇女"),
    ("children", "儿童"),
    ("disabled", "残疾人"),
    ("unemployed", "失业人员"),
    ("migrant_workers", "农民工"),
    ("children_of_detained", "服刑人员或强制戒毒人员的未成年子女"),
    ("poor_families", "困难家庭"),
    ("severe_mental_illness", "严重精神障碍患者"),
    ("troubled_youth", "有不良行为青少年"),
    ("community_corrections", "社区矫正人员"),
    ("left_behind", "留守人员"),
]


def seed(apps, schema_editor):
    for model_name, rows in (("Category", CATEGORIES), ("ServiceTarget", SERVICE_TARGETS)):
        model = apps.get_model("orgs", model_name)
        for bit, (code, name) in enumerate(rows):
            model.objects.update_or_create(code=code, defaults={"name": name, "bit": bit, "order": bit})


def unseed(apps, schema_editor):
    for model_name, rows in (("Category", CATEGORIES), ("ServiceTarget", SERVICE_TARGETS)):
        apps.get_model("orgs", model_name).objects.filter(code__in=[c for c, _ in rows]).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
