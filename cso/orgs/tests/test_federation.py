from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cso.orgs import services
from cso.orgs.models import HubMembership, Organization, RegistryRules

from .factories import STREET, credit_code, make_filed, make_registered


def members(user, n):
    return [make_filed(user, filed_on=date(2021, 1, 1)) for _ in range(n)]


def test_a_federation_with_fewer_than_30_members_is_refused(cast):
    group = members(cast["street"], 29)
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["registrar"], name="民生街道社区社会组织联合会", division=STREET, members=group)
    assert exc.value.message_dict["name"] == [
        "街道（乡镇）社区社会组织联合会须有不少于30个会员组织（本省登记规则），“民生街道社区社会组织联合会”目前只有29个"
        "（按随登记一并记录的存续会员组织计）；请先在其“会员组织”页记录会员，或邀请会员组织入会。"
    ]
    assert not Organization.objects.filter(name__contains="联合会").exists()


def test_a_federation_with_30_members_is_registered_with_its_memberships(cast):
    group = members(cast["street"], 30)
    hub = make_registered(cast["registrar"], name="民生街道社区社会组织联合会", division=STREET, members=group)
    assert hub.is_federation
    assert hub.current_members().count() == 30
    assert HubMembership.objects.filter(hub=hub, joined_on=date(2020, 5, 1)).count() == 30
    assert services.org_state_as_of(hub, date(2021, 1, 1)).is_hub is True


def test_only_a_street_federation_needs_the_minimum_not_any_hub(cast):
    """Seed 001 sets the minimum for a 街道（乡镇）社区社会组织联合会, not for a 促进会 nor a county-level body."""
    hub = make_registered(cast["registrar"], name="民生街道社区公益促进会", division=STREET)
    services.update_organization(hub, {"is_hub": True}, cast["registrar"], effective_date=date(2022, 1, 1))
    hub.refresh_from_db()
    assert hub.is_hub
    county_level = make_registered(cast["registrar"], name="兴宁区社会组织联合会", division="450102000000")
    assert county_level.current_members().count() == 0


def test_a_filed_federation_records_its_members_and_then_registers(cast):
    hub = make_filed(cast["street"], name="民生街道社区社会组织联合会", division="450102001003", tier="street")
    group = members(cast["street"], 30)
    for org in group[:29]:
        services.add_hub_member(hub, org, date(2022, 1, 1), cast["street"])
    with pytest.raises(ValidationError, match="目前只有29个"):
        services.register_filed_group(hub, credit_code("1"), date(2023, 1, 1), cast["registrar"],
                                      registration_authority_division="450102000000", registered_capital=5000)
    services.add_hub_member(hub, group[29], date(2022, 1, 1), cast["street"])
    services.register_filed_group(hub, credit_code("1"), date(2023, 1, 1), cast["registrar"],
                                  registration_authority_division="450102000000", registered_capital=5000)
    hub.refresh_from_db()
    assert hub.track == "registered"


def test_renaming_to_a_federation_is_checked_too(cast):
    org = make_registered(cast["registrar"], name="民生街道社区服务中心", division=STREET)
    with pytest.raises(ValidationError, match="不少于30个会员组织"):
        services.update_organization(org, {"name": "民生街道社区社会组织联合会"}, cast["registrar"])


def test_the_member_threshold_is_a_province_setting(cast):
    RegistryRules.objects.filter(province_id="450000000000").update(federation_min_members=3)
    hub = make_registered(cast["registrar"], name="民生街道联合会", division=STREET,
                          members=members(cast["street"], 3))
    assert hub.current_members().count() == 3
    RegistryRules.objects.filter(province_id="450000000000").update(federation_min_members=None)
    assert make_registered(cast["registrar"], name="朝阳街道联合会", division="450102002000").pk


def test_a_member_cannot_join_twice_nor_join_itself(cast):
    hub = make_registered(cast["registrar"], name="民生街道社区公益促进会", division=STREET)
    org = make_filed(cast["street"])
    services.add_hub_member(hub, org, date(2022, 1, 1), cast["registrar"])
    with pytest.raises(ValidationError, match="已是"):
        services.add_hub_member(hub, org, date(2022, 2, 1), cast["registrar"])
    with pytest.raises(ValidationError, match="不能成为自己的会员"):
        services.add_hub_member(hub, hub, date(2022, 2, 1), cast["registrar"])


def test_a_member_that_leaves_no_longer_counts(cast):
    hub = make_registered(cast["registrar"], name="民生街道社区公益促进会", division=STREET,
                          credit_code=credit_code("1"))
    org = make_filed(cast["street"])
    link = services.add_hub_member(hub, org, date(2022, 1, 1), cast["registrar"])
    services.end_hub_membership(link, date(2023, 1, 1), cast["registrar"])
    assert hub.current_members().count() == 0
    with pytest.raises(ValidationError, match="退出日期不能早于加入日期"):
        link2 = services.add_hub_member(hub, org, date(2023, 6, 1), cast["registrar"])
        services.end_hub_membership(link2, date(2023, 1, 1), cast["registrar"])
