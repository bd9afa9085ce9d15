"""The responsibilities table: one predicate layer (``can`` = ``has_perm``), shown to administrators in Chinese,
read by the home page."""

import pytest
from django.urls import reverse

from cso.accounts import responsibilities as r
from cso.accounts.choices import Role
from cso.accounts.services import create_user
from cso.demo.testing import make_user

PAGE = reverse("accounts:responsibilities")


def test_has_perm_answers_exactly_as_can(cast):
    for user in cast.values():
        for action in r.ACTIONS:
            assert user.has_perm(action) == r.can(user, action), (user, action)


def test_administrators_read_the_table_in_chinese_with_its_sources(cast, login):
    admin = make_user("xn_admin", Role.ADMIN, "450102000000")
    body = login(admin).get(PAGE).content.decode()
    for text in ("职责表", "登记成立", "撤销登记", "登记管理机关工作人员", "本机关登记（备案）的", "种子文件001",
                 "RULES.md", "本平台建议", "社区指导的小型团体"):
        assert text in body, text
    assert login(cast["superuser"]).get(PAGE).status_code == 200


@pytest.mark.parametrize("role", ["county", "registrar", "street", "community", "organization", "operator"])
def test_only_administrators_open_the_table_page(cast, login, role):
    assert login(cast[role]).get(PAGE).status_code == 403


def test_an_unknown_action_is_an_error_not_a_silent_no():
    with pytest.raises(KeyError):
        r.duties_for(type("U", (), {"division_id": None, "role": "street"})(), "orgs.fly")


def test_every_table_row_has_a_chinese_label_and_note():
    for row in r.table_rows():
        assert row["action_label"] and row["role"] and row["reach"] and row["note"]


@pytest.mark.parametrize(("role", "promised", "not_promised"), [
    ("registrar", ["登记成立（含备案组织转登记）", "撤销登记", "更正错误的登记决定"], ["备案（或纳入社区基础数据）"]),
    ("street", ["备案（或纳入社区基础数据）", "提出指导意见"], ["登记成立（含备案组织转登记）", "撤销登记"]),
    ("community", ["备案（或纳入社区基础数据）", "提出指导意见"],
     ["登记成立（含备案组织转登记）", "撤销登记", "管理账号"]),
    ("county", ["查看社会组织", "提出指导意见", "管理账号"], ["登记成立（含备案组织转登记）", "撤销登记"]),
    ("organization", ["查看社会组织"], ["备案（或纳入社区基础数据）", "批量导入社会组织", "查看审计日志"]),
])
def test_the_home_page_promises_each_role_only_what_it_may_do(cast, login, role, promised, not_promised):
    body = login(cast[role]).get(reverse("core:home")).content.decode()
    for label in promised:
        assert label in body, (role, label)
    for label in not_promised:
        assert label not in body, (role, label)


def test_an_organization_account_is_told_it_reads_its_linked_organizations(cast, login):
    body = login(cast["organization"]).get(reverse("core:home")).content.decode()
    assert "查看与本账号关联的组织" in body and "填报人口" not in body


def test_the_county_creates_a_registrar_account(cast):
    from cso.regions.models import Division

    created = create_user(cast["county"], username="xn_dengji2", role=Role.REGISTRAR,
                          division=Division.objects.get(code="450102000000"), full_name="登记员", phone="",
                          title="兴宁区行政审批服务管理局")
    assert created.user.role_display == "县级登记管理机关工作人员"
    assert r.can(created.user, "orgs.register")
    assert not r.can(created.user, "accounts.manage")
