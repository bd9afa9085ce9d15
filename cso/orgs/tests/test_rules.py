from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from cso.orgs import services
from cso.orgs.models import Organization, RegistryRules

from .factories import (
    COMMUNITY,
    COUNTY,
    FOREIGN_COMMUNITY,
    STREET,
    credit_code,
    filed_data,
    id_number,
    make_filed,
    make_registered,
    registered_data,
)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_a_registered_organization_is_created_with_its_own_identifier(cast):
    org = make_registered(cast["registrar"], name="兴宁区老年协会")
    assert org.uid.startswith("ZZ") and len(org.uid) == 16
    assert org.tier == "registered"
    assert org.is_community_org is True
    assert org.status == "active"
    assert org.created_by == cast["registrar"]
    assert org.status_changes.get().to_status == "active"


def test_a_registered_organization_needs_a_credit_code(cast):
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["registrar"], credit_code="")
    assert errors_of(exc)["credit_code"] == ["登记类组织须填写统一社会信用代码。"]


def test_a_credit_code_with_a_wrong_check_character_is_refused(cast):
    code = credit_code("1")
    broken = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["registrar"], credit_code=broken)
    assert "校验位不正确" in errors_of(exc)["credit_code"][0]


def test_a_credit_code_must_name_the_organizations_type(cast):
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["registrar"], org_type="social_service", credit_code=credit_code("1"))
    assert "与组织类型“民办非企业单位（社会服务机构）”应有的“2”不符" in errors_of(exc)["credit_code"][0]


def test_a_filed_group_cannot_have_a_credit_code(cast):
    with pytest.raises(ValidationError) as exc:
        make_filed(cast["street"], credit_code=credit_code("1"))
    assert "备案类组织不是法人" in errors_of(exc)["credit_code"][0]


def test_a_filed_group_must_belong_to_a_community(cast):
    with pytest.raises(ValidationError) as exc:
        make_filed(cast["street"], division=STREET)
    assert errors_of(exc)["division"] == ["备案类组织须归属于一个社区（村），请选择社区（村）一级的区划。"]


def test_a_filed_group_gets_the_street_as_filing_authority_and_the_community_tier(cast):
    org = make_filed(cast["street"])
    assert org.registration_authority_division_id == STREET
    assert org.registration_authority is None  # filed: no registering body
    assert org.tier == "community"
    assert org.is_community_org


def test_a_registered_community_organization_may_sit_at_street_or_county_level(cast):
    assert make_registered(cast["registrar"], division=STREET).division_id == STREET
    assert make_registered(cast["registrar"], division=COUNTY).division_id == COUNTY


def test_a_community_organization_cannot_sit_at_city_level(cast):
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["superuser"], division="450100000000",
                        registration_authority_division="450100000000", is_community_org=True)
    assert "县级及以下" in errors_of(exc)["division"][0]


def test_registered_capital_below_2000_yuan_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["registrar"], registered_capital=Decimal("1999.99"))
    assert errors_of(exc)["registered_capital"] == [
        "注册资金不得低于2000元（本省登记规则，基金会除外），当前为1999.99元。"]
    assert make_registered(cast["registrar"], registered_capital=Decimal("2000")).pk


def test_the_capital_floor_is_a_province_setting(cast):
    RegistryRules.objects.filter(province_id="450000000000").update(min_registered_capital=10000)
    with pytest.raises(ValidationError, match="不得低于10000元"):
        make_registered(cast["registrar"], registered_capital=Decimal("5000"))


def test_a_province_without_rules_has_no_capital_floor(cast):
    """The 2000-yuan floor is Guangxi's (seed 001), not a national constant."""
    RegistryRules.objects.filter(province_id="450000000000").delete()
    assert make_registered(cast["registrar"], registered_capital=Decimal("100")).pk


def test_a_foundation_is_exempt_from_the_floor_and_is_never_a_community_organization(cast):
    org = make_registered(cast["registrar"], org_type="foundation", credit_code=credit_code("3"),
                          registered_capital=Decimal("1000"))
    assert org.is_community_org is False
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["registrar"], org_type="foundation", credit_code=credit_code("3"), is_community_org=True)
    assert errors_of(exc)["is_community_org"] == ["基金会不属于社区社会组织。"]


def test_track_type_and_tier_must_agree(cast):
    with pytest.raises(ValidationError) as exc:
        make_filed(cast["street"], org_type="social_group", tier="registered")
    assert "org_type" in errors_of(exc) and "tier" in errors_of(exc)


def test_no_two_live_organizations_share_a_credit_code(cast):
    first = make_registered(cast["registrar"])
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["registrar"], credit_code=first.credit_code)
    assert f"已被存续组织“{first.name}”" in errors_of(exc)["credit_code"][0]


def test_the_code_of_a_deregistered_organization_may_be_used_again(cast):
    first = make_registered(cast["registrar"])
    services.change_status(first, "deregistered", date(2024, 1, 1), "自行注销", cast["registrar"])
    again = make_registered(cast["registrar"], credit_code=first.credit_code)
    assert again.pk != first.pk


def test_the_database_itself_refuses_two_live_organizations_with_one_code(cast):
    first = make_registered(cast["registrar"])
    clone = Organization(**{f.attname: getattr(first, f.attname) for f in Organization._meta.concrete_fields
                            if f.attname not in ("id", "uid")})
    clone.name = "另一个名称"
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_no_two_live_organizations_share_a_name_under_one_registration_authority(cast):
    make_registered(cast["registrar"], name="兴宁区志愿者协会")
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["registrar"], name="兴宁区志愿者协会")
    assert "同一登记管理机关下已有同名" in errors_of(exc)["name"][0]
    other = make_registered(cast["city_registrar"], name="兴宁区志愿者协会", registration_authority="南宁市民政局",
                            registration_authority_division="450100000000", is_community_org=True)
    assert other.pk


def test_the_same_filed_name_is_refused_in_one_community_but_not_in_another(cast):
    make_filed(cast["street"], name="广场舞队")
    with pytest.raises(ValidationError, match="本社区已有同名"):
        make_filed(cast["street"], name="广场舞队")
    assert make_filed(cast["street"], name="广场舞队", division="450102001004").pk


def test_dates_cannot_lie_in_the_future_or_out_of_order(cast):
    with pytest.raises(ValidationError) as exc:
        make_registered(cast["registrar"], registered_on=date.today() + timedelta(days=1))
    assert errors_of(exc)["registered_on"] == ["登记日期不能晚于今天。"]
    with pytest.raises(ValidationError) as exc:
        make_filed(cast["street"], founded_on=date(2022, 1, 1), filed_on=date(2021, 1, 1))
    assert errors_of(exc)["founded_on"] == ["成立日期不能晚于登记（备案）日期。"]


def test_a_contact_phone_is_checked_and_normalised(cast):
    org = make_filed(cast["street"], contact_name="李阿姨", contact_phone="138 0771 1234")
    assert org.contact_phone == "13807711234"
    with pytest.raises(ValidationError) as exc:
        make_filed(cast["street"], contact_phone="12345")
    assert "格式不正确" in errors_of(exc)["contact_phone"][0]


def test_a_leaders_id_number_and_phone_are_checked(cast):
    org = make_filed(cast["street"])
    with pytest.raises(ValidationError) as exc:
        services.save_leader(org, {"name": "张三", "id_number": "450102198503121230"}, cast["street"])
    assert "校验位不正确" in errors_of(exc)["id_number"][0]
    leader = services.save_leader(org, {"name": "张三", "id_number": id_number().lower(), "phone": "13907711234",
                                        "is_party_member": True}, cast["street"])
    assert leader.id_number == id_number()


def test_a_leaders_id_number_is_masked_for_those_without_a_need_to_see_it(cast):
    org = make_filed(cast["street"], leaders=[{"name": "王五", "role": "head", "id_number": id_number()}])
    leader = org.leaders.get()
    assert leader.id_number_for(cast["street"]) == id_number()
    assert leader.id_number_for(cast["organization"]) == "4501**********1233"
    assert leader.id_number_for(cast["outsider_street"]) == "4501**********1233"


def test_categories_and_targets_are_given_by_code_or_name(cast):
    org = make_filed(cast["street"], categories=["culture_sports", "居民互助"], service_targets=["elderly"])
    assert sorted(org.categories.values_list("name", flat=True)) == ["居民互助", "文体娱乐"]
    with pytest.raises(ValidationError, match="未知的组织类别：唱歌"):
        make_filed(cast["street"], categories=["唱歌"])


def test_tags_are_kept_as_a_clean_list(cast):
    org = make_filed(cast["street"], tags=["党员先锋", " 党员先锋", "巾帼"])
    assert org.tags == ["党员先锋", "巾帼"]


def test_nobody_registers_outside_their_subtree(cast):
    with pytest.raises(PermissionDenied, match="不在您的管辖范围内"):
        services.create_organization(filed_data(division=FOREIGN_COMMUNITY), cast["street"])
    with pytest.raises(PermissionDenied, match="无权备案"):
        services.create_organization(filed_data(division=COMMUNITY), cast["organization"])
    assert not Organization.objects.exists()


def test_an_invalid_organization_leaves_nothing_behind(cast):
    with pytest.raises(ValidationError):
        services.create_organization(
            registered_data(leaders=[{"name": "赵六", "id_number": "123"}]), cast["registrar"]
        )
    assert not Organization.objects.exists()


def test_urban_or_rural_is_read_from_the_community_both_ways(cast):
    urban = make_filed(cast["street"])
    rural = make_filed(cast["street"], division="450102001201")  # 官桥村委会, 城乡分类代码 112
    assert (urban.urban_by_committee, urban.urban_by_code) == (True, True)
    assert (rural.urban_by_committee, rural.urban_by_code) == (False, True)


def test_unknown_or_related_fields_cannot_be_edited_directly(cast):
    org = make_filed(cast["street"])
    with pytest.raises(ValidationError, match="未知的字段：colour"):
        services.update_organization(org, {"colour": "红"}, cast["street"])
    with pytest.raises(ValidationError, match="不能在此修改"):
        services.update_organization(org, {"leaders": []}, cast["street"])


def test_a_venue_may_be_shared_by_several_organizations(cast):
    from cso.orgs.models import Venue

    venue = Venue.objects.create(name="兴宁社区党群服务中心活动室", division_id=COMMUNITY, area=Decimal("120"))
    first = make_filed(cast["street"], venue=venue)
    second = make_filed(cast["street"])
    services.update_organization(second, {"venue": venue.pk}, cast["street"])
    assert set(venue.organizations.all()) == {first, second}
