from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cso.orgs import services
from cso.orgs.history import field_changes
from cso.orgs.models import Organization

from .factories import COUNTY, credit_code, make_filed, make_registered


def register(org, user, **extra):
    kwargs = {
        "credit_code": credit_code("1"), "registered_on": date(2024, 9, 1),
        "registration_authority_division": COUNTY, "registered_capital": Decimal("3000"),
    }
    kwargs.update(extra)
    code = kwargs.pop("credit_code")
    on = kwargs.pop("registered_on")
    return services.register_filed_group(org, code, on, user, **kwargs)


def test_a_filed_group_that_registers_keeps_its_record_uid_and_history(cast):
    org = make_filed(cast["street"], name="兴宁社区老年协会", filed_on=date(2021, 3, 1), categories=["mutual_aid"])
    uid, pk = org.uid, org.pk
    services.change_status(org, "abnormal", date(2023, 1, 1), "半年未活动", cast["street"])
    services.change_status(org, "active", date(2023, 6, 1), "恢复活动", cast["street"])
    registered = register(org, cast["registrar"])
    assert (registered.pk, registered.uid) == (pk, uid)
    assert Organization.objects.count() == 1
    assert registered.track == "registered" and registered.tier == "registered"
    assert registered.org_type == "social_group"
    assert registered.registration_authority.name == "南宁市兴宁区民政局"
    assert registered.filed_on == date(2021, 3, 1)
    # history as of dates before and after the registration
    assert services.org_state_as_of(registered, date(2022, 1, 1)).track == "filed"
    assert services.org_state_as_of(registered, date(2023, 3, 1)).status == "abnormal"
    assert services.org_state_as_of(registered, date(2024, 8, 31)).track == "filed"
    on_day = services.org_state_as_of(registered, date(2024, 9, 1))
    assert (on_day.track, on_day.tier, on_day.status) == ("registered", "registered", "active")
    assert registered.status_changes.count() == 3
    changed = {c.field: (c.old, c.new) for c in field_changes(registered)}
    assert changed["track"] == ("备案（非法人类）", "登记（法人类）")
    assert changed["credit_code"][0] == "（空）"


def test_the_credit_code_names_the_type_unless_given(cast):
    org = make_filed(cast["street"])
    registered = register(org, cast["registrar"], credit_code=credit_code("2"))
    assert registered.org_type == "social_service"


def test_a_filed_group_cannot_become_a_foundation(cast):
    org = make_filed(cast["street"])
    with pytest.raises(ValidationError, match="类型应为社会团体或民办非企业单位"):
        register(org, cast["registrar"], credit_code=credit_code("3"))


def test_registration_needs_the_rules_of_registered_organizations(cast):
    org = make_filed(cast["street"])
    with pytest.raises(ValidationError) as exc:
        register(org, cast["registrar"], registered_capital=Decimal("100"))
    assert "注册资金不得低于2000元" in exc.value.message_dict["registered_capital"][0]
    other = make_registered(cast["registrar"])
    with pytest.raises(ValidationError, match="已被存续组织"):
        register(org, cast["registrar"], credit_code=other.credit_code)
    org.refresh_from_db()
    assert org.track == "filed"
    assert org.spans.count() == 1


def test_the_registration_date_cannot_precede_the_filing(cast):
    org = make_filed(cast["street"], filed_on=date(2021, 3, 1))
    with pytest.raises(ValidationError, match="不能早于"):
        register(org, cast["registrar"], registered_on=date(2021, 1, 1))


def test_a_registered_organization_cannot_register_again(cast):
    org = make_registered(cast["registrar"])
    with pytest.raises(ValidationError, match="已是登记类组织"):
        register(org, cast["registrar"])
