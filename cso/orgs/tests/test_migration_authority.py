"""The data migration that turns the free-text registering authority into a real body."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("orgs", "0008_lean_m2m_history_indexes"), ("regions", "0002_authority")]
AFTER = [("orgs", "0009_registration_authority_body")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_free_text_authorities_become_real_bodies_and_never_stay_abbreviated_or_empty():
    apps = _migrate(BEFORE)
    Division = apps.get_model("regions", "Division")
    Organization = apps.get_model("orgs", "Organization")
    for code, name, level, parent in [
        ("450000000000", "广西壮族自治区", 1, None), ("450100000000", "南宁市", 2, "450000000000"),
        ("450102000000", "兴宁区", 3, "450100000000"), ("450102001000", "民生街道", 4, "450102000000"),
        ("450102001003", "兴宁社区居委会", 5, "450102001000"),
    ]:
        Division.objects.create(code=code, name=name, level=level, parent_id=parent, edition=2023, first_edition=2023)
    common = {"track": "registered", "org_type": "social_group", "tier": "registered",
              "division_id": "450102001003", "registered_on": date(2020, 1, 1), "status": "active"}
    rows = {
        "full": ("南宁市兴宁区民政局", "450102000000"),
        "short": ("兴宁区民政局", "450102000000"),
        "none": ("暂无", "450102000000"),
        "city": ("南宁市民政局", "450100000000"),
        "ministry": ("民政部", "450102000000"),
    }
    for i, (key, (text, division)) in enumerate(rows.items()):
        Organization.objects.create(name=key, uid=f"ZZ2020TEST{i:06d}", registration_authority=text,
                                    registration_authority_division_id=division, **common)
    Organization.objects.create(name="filed", uid="ZZ2020TESTFILED0", track="filed", org_type="activity_team",
                                tier="community", division_id="450102001003", filed_on=date(2021, 1, 1),
                                registration_authority="民生街道", registration_authority_division_id="450102001000")

    apps = _migrate(AFTER)
    Organization = apps.get_model("orgs", "Organization")
    got = {o.name: (o.registration_authority.name if o.registration_authority_id else None,
                    o.registration_authority_division_id)
           for o in Organization.objects.select_related("registration_authority")}
    assert got["full"] == ("南宁市兴宁区民政局", "450102000000")
    assert got["short"] == ("南宁市兴宁区民政局", "450102000000")  # the division's civil-affairs body
    assert got["none"] == ("南宁市兴宁区民政局", "450102000000")  # "暂无" is not kept
    assert got["city"] == ("南宁市民政局", "450100000000")
    assert got["ministry"] == ("民政部", None)
    assert got["filed"] == (None, "450102001000")  # a filed group keeps its filing division, no body
    # and back: the names return as text
    apps = _migrate(BEFORE)
    Organization = apps.get_model("orgs", "Organization")
    back = dict(Organization.objects.values_list("name", "registration_authority"))
    assert back["short"] == "南宁市兴宁区民政局" and back["filed"] == "民生街道"
    Organization.objects.all().delete()
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
