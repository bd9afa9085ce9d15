from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cso.orgs import services
from cso.orgs.models import HubMembership, Organization

from .factories import STREET, credit_code, make_filed, make_registered


def members(user, n):
    return [make_filed(user, filed_on=date(2021, 1, 1)) for _ in range(n)]


def test_a_federation_with_fewer_than_30_members_is_refused(cast):
    group = members(cast["street"], 29)
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["registrar"], name="民生街道社区社会组织联合会", division=STREET, members=group)
    assert exc.value.message_dict["is_hub"] == [
        "联合会等枢纽型组织须有不少于30个会员组织，“民生街道社区社会组织联合会”目前只有29个；请先登记其会员组织。"
    ]
    assert not Organization.objects.filter(name__contains="联合会").exists()


def test_a_federation_with_30_members_is_registered_with_its_memberships(cast):
    group = members(cast["street"], 30)
    hub = make_registered(cast["registrar"], name="民生街道社区社会组织联合会", division=STREET, members=group)
    assert hub.is_federation
    assert hub.current_members().count() == 30
    assert HubMembership.objects.filter(hub=hub, joined_on=date(2020, 5, 1)).count() == 30
    assert services.org_state_as_of(hub, date(2021, 1, 1)).is_hub is True


def test_declaring_a_hub_later_needs_30_current_members(cast):
    hub = make_registered(cast["registrar"], name="民生街道社区公益促进会", division=STREET)
    group = members(cast["street"], 30)
    for org in group[:29]:
        services.add_hub_member(hub, org, date(2022, 1, 1), cast["county"])
    with pytest.raises(ValidationError, match="目前只有29个"):
        services.update_organization(hub, {"is_hub": True}, cast["county"])
    services.add_hub_member(hub, group[29], date(2022, 1, 1), cast["county"])
    services.update_organization(hub, {"is_hub": True}, cast["county"], effective_date=date(2022, 1, 1))
    hub.refresh_from_db()
    assert hub.is_hub


def test_renaming_to_a_federation_is_checked_too(cast):
    org = make_registered(cast["registrar"], name="民生街道社区服务中心", division=STREET)
    with pytest.raises(ValidationError, match="不少于30个会员组织"):
        services.update_organization(org, {"name": "民生街道社区社会组织联合会"}, cast["county"])


def test_the_member_threshold_is_a_setting(cast, settings):
    settings.CSO_FEDERATION_MIN_MEMBERS = 3
    hub = make_registered(cast["registrar"], name="民生街道联合会", division=STREET,
                          members=members(cast["street"], 3))
    assert hub.current_members().count() == 3


def test_a_member_cannot_join_twice_nor_join_itself(cast):
    hub = make_registered(cast["registrar"], name="民生街道社区公益促进会", division=STREET)
    org = make_filed(cast["street"])
    services.add_hub_member(hub, org, date(2022, 1, 1), cast["county"])
    with pytest.raises(ValidationError, match="已是"):
        services.add_hub_member(hub, org, date(2022, 2, 1), cast["county"])
    with pytest.raises(ValidationError, match="不能成为自己的会员"):
        services.add_hub_member(hub, hub, date(2022, 2, 1), cast["county"])


def test_a_member_that_leaves_no_longer_counts(cast):
    hub = make_registered(cast["registrar"], name="民生街道社区公益促进会", division=STREET,
                          credit_code=credit_code("1"))
    org = make_filed(cast["street"])
    link = services.add_hub_member(hub, org, date(2022, 1, 1), cast["county"])
    services.end_hub_membership(link, date(2023, 1, 1), cast["county"])
    assert hub.current_members().count() == 0
    with pytest.raises(ValidationError, match="退出日期不能早于加入日期"):
        link2 = services.add_hub_member(hub, org, date(2023, 6, 1), cast["county"])
        services.end_hub_membership(link2, date(2023, 1, 1), cast["county"])
