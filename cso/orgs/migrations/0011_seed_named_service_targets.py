"""Every group the seed texts name as a target of service is its own service target, not folded
into a broader one. Existing bits are never renumbered: new terms take the next free bits.

Sources (the five seed texts):
- 000: 低保对象、特困人员、空巢老人、农村留守人员、困境儿童、残疾人等困难群体; 刑满释放人员帮扶; 留守人员关爱
- 001: 协助对矫正对象、吸毒人员、刑满释放人员的帮教帮扶
- 003: 以城市流动人口、农村留守人员、社区困难群体和特殊人群为服务对象
- 004: 为农村留守老年人、儿童等特殊困难群众提供关爱服务
"""

from django.db import migrations

NEW_TARGETS = [
    ("subsistence_allowance", "低保对象", "种子000：低保对象、特困人员、空巢老人、农村留守人员、困境儿童、残疾人等困难群体"),
    ("extreme_poverty", "特困人员", "种子000"),
    ("empty_nest_elderly", "空巢老人", "种子000"),
    ("rural_left_behind", "农村留守人员", "种子000、003"),
    ("rural_left_behind_elderly", "农村留守老年人", "种子004：为农村留守老年人、儿童等特殊困难群众提供关爱服务"),
    ("children_in_difficulty", "困境儿童", "种子000"),
    ("floating_population", "流动人口", "种子003：城市流动人口"),
    ("people_in_difficulty", "困难群体", "种子000、003：社区困难群体"),
    ("special_groups", "特殊人群", "种子003"),
    ("released_prisoners", "刑满释放人员", "种子000、001"),
    ("drug_users", "吸毒人员", "种子001：协助对矫正对象、吸毒人员、刑满释放人员的帮教帮扶"),
]
MAX_BIT = 62


def seed(apps, schema_editor):
    ServiceTarget = apps.get_model("orgs", "ServiceTarget")
    used = set(ServiceTarget.objects.values_list("bit", flat=True))
    order = max(ServiceTarget.objects.values_list("order", flat=True), default=0)
    for code, name, description in NEW_TARGETS:
        if ServiceTarget.objects.filter(code=code).exists() or ServiceTarget.objects.filter(name=name).exists():
            continue  # an administrator already added it: keep its bit
        bit = next(b for b in range(MAX_BIT + 1) if b not in used)
        used.add(bit)
        order += 1
        ServiceTarget.objects.create(code=code, name=name, bit=bit, order=order, description=description)


def unseed(apps, schema_editor):
    ServiceTarget = apps.get_model("orgs", "ServiceTarget")
    ServiceTarget.objects.filter(code__in=[c for c, _, _ in NEW_TARGETS], organizations__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0010_supervising_unit_and_business_scope")]

    operations = [migrations.RunPython(seed, unseed)]
