"""业务主管单位 and 业务范围, as on the registration certificate: form, detail page, API, history."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cso.orgs import services
from cso.orgs.forms import OrganizationForm
from cso.orgs.history import field_changes

from .factories import make_filed, make_registered


def test_a_registered_organization_records_its_supervising_unit_and_business_scope(cast, login):
    org = make_registered(cast["registrar"], supervising_unit=" 南宁市兴宁区卫生健康局 ",
                          business_scope="开展健康知识宣传；组织义诊活动。")
    assert org.supervising_unit == "南宁市兴宁区卫生健康局"  # trimmed
    client = login(cast["county"])
    page = client.get(reverse("orgs:detail", args=[org.uid])).content.decode()
    assert "南宁市兴宁区卫生健康局" in page and "组织义诊活动" in page
    api = client.get(f"/api/orgs/{org.uid}").json()
    assert api["supervising_unit"] == "南宁市兴宁区卫生健康局"
    assert api["business_scope"] == "开展健康知识宣传；组织义诊活动。"


def test_a_directly_registered_organization_has_no_supervising_unit(cast):
    org = make_registered(cast["registrar"])
    assert org.supervising_unit == ""


def test_a_filed_group_has_no_supervising_unit(cast):
    with pytest.raises(ValidationError) as exc:
        make_filed(cast["street"], supervising_unit="民生街道办事处")
    assert "没有业务主管单位" in exc.value.message_dict["supervising_unit"][0]
    assert make_filed(cast["street"], business_scope="太极拳练习").business_scope == "太极拳练习"


def test_changing_the_supervising_unit_and_scope_is_kept_in_the_history(cast):
    org = make_registered(cast["registrar"], supervising_unit="甲局", business_scope="旧范围")
    services.update_organization(org, {"supervising_unit": "乙局", "business_scope": "新范围"}, cast["registrar"],
                                 reason="变更登记")
    changes = {c.field: (c.old, c.new) for c in field_changes(org)}
    assert changes["supervising_unit"] == ("甲局", "乙局")
    assert changes["business_scope"] == ("旧范围", "新范围")


def test_the_form_holds_both_fields_in_the_registration_section(cast):
    form = OrganizationForm(user=cast["county"])
    section = {title: [f.name for f in fields] for title, fields in form.sections()}["登记（备案）"]
    assert "supervising_unit" in section and "business_scope" in section
