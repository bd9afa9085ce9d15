"""Every group the seed texts name is its own service target, with a stable bit; the list filter,
the import and the statistics read the vocabulary from the table."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cso.orgs import importing
from cso.orgs.filters import OrganizationFilter
from cso.orgs.models import Organization, ServiceTarget
from cso.stats.indicators import dynamic_indicators

from .factories import make_registered
from .test_import_authority import dry_run, row

pytestmark = pytest.mark.django_db

SEED_GROUPS = [
    # seed 000 / 001 (the incubation list)
    "老年人", "妇女", "儿童", "残疾人", "失业人员", "农民工", "服刑人员或强制戒毒人员的未成年子女", "困难家庭",
    "严重精神障碍患者", "有不良行为青少年", "社区矫正人员",
    # seed 000: 困难群体
    "低保对象", "特困人员", "空巢老人", "农村留守人员", "困境儿童", "留守人员", "刑满释放人员",
    # seed 001
    "吸毒人员",
    # seed 003
    "流动人口", "困难群体", "特殊人群",
    # seed 004
    "农村留守老年人",
]
OLD_BITS = {"elderly": 0, "women": 1, "children": 2, "disabled": 3, "unemployed": 4, "migrant_workers": 5,
            "children_of_detained": 6, "poor_families": 7, "severe_mental_illness": 8, "troubled_youth": 9,
            "community_corrections": 10, "left_behind": 11}


def test_every_group_the_seeds_name_is_its_own_service_target():
    names = set(ServiceTarget.objects.values_list("name", flat=True))
    assert set(SEED_GROUPS) <= names


def test_the_bits_already_used_are_never_renumbered_and_no_two_terms_share_one():
    bits = dict(ServiceTarget.objects.values_list("code", "bit"))
    assert {code: bits[code] for code in OLD_BITS} == OLD_BITS
    assert len(set(bits.values())) == len(bits)
    assert max(bits.values()) <= 62


def test_the_import_template_and_the_import_accept_the_new_groups(cast):
    note = next(c for c in importing.COLUMNS if c.key == "service_targets").note
    assert "服务对象" in note or "系统中已有" in note
    job = dry_run(cast["registrar"], [row(名称="关爱协会", 服务对象="低保对象、困境儿童、流动人口")])
    assert job.error_rows == 0
    importing.apply_job(job, cast["registrar"])
    org = Organization.objects.get(name="关爱协会")
    assert set(org.service_targets.values_list("name", flat=True)) == {"低保对象", "困境儿童", "流动人口"}


def test_the_list_filter_and_the_indicators_offer_each_group(cast, login):
    org = make_registered(cast["registrar"], service_targets=["特困人员"])
    make_registered(cast["registrar"], service_targets=["困难家庭"])
    code = ServiceTarget.objects.get(name="特困人员").code
    filterset = OrganizationFilter({"target": code}, queryset=Organization.objects.all())
    assert list(filterset.qs) == [org]
    response = login(cast["county"]).get(reverse("orgs:list"), {"target": code})
    assert response.status_code == 200 and org.name in response.content.decode()
    keys = {i.key for i in dynamic_indicators()}
    assert {f"target:{t.code}" for t in ServiceTarget.objects.all()} <= keys


def test_the_import_template_lists_the_groups_and_the_bodies_the_clerk_may_name(cast, login):
    import io

    import openpyxl

    response = login(cast["county"]).get(reverse("orgs:import_template"))
    values = [v for row in openpyxl.load_workbook(io.BytesIO(response.content))["可选值"].iter_rows(values_only=True)
              for v in row if v]
    assert {"低保对象", "困境儿童", "流动人口", "南宁市兴宁区民政局", "民政部", "秘书长"} <= set(values)
    assert "南宁市青秀区民政局" not in values
