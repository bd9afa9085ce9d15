"""The registering and supervising bodies: their names, their creation, who may register where."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cso.regions import codes
from cso.regions.authorities import civil_affairs_body, civil_affairs_name, ensure_authorities
from cso.regions.choices import AuthorityKind
from cso.regions.models import Authority, Division

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "level", "city", "province", "expected"), [
    ("广西壮族自治区", codes.PROVINCE, "", "", "广西壮族自治区民政厅"),
    ("广东省", codes.PROVINCE, "", "", "广东省民政厅"),
    ("北京市", codes.PROVINCE, "", "", "北京市民政局"),
    ("南宁市", codes.CITY, "", "广西壮族自治区", "南宁市民政局"),
    ("市辖区", codes.CITY, "", "北京市", None),
    ("省直辖县级行政区划", codes.CITY, "", "湖北省", None),
    ("兴宁区", codes.COUNTY, "南宁市", "广西壮族自治区", "南宁市兴宁区民政局"),
    ("东城区", codes.COUNTY, "市辖区", "北京市", "北京市东城区民政局"),
    ("隆安县", codes.COUNTY, "南宁市", "广西壮族自治区", "隆安县民政局"),
    ("仙桃市", codes.COUNTY, "省直辖县级行政区划", "湖北省", "仙桃市民政局"),
    ("民生街道", codes.STREET, "南宁市", "广西壮族自治区", None),
])
def test_a_civil_affairs_body_is_named_from_its_division(name, level, city, province, expected):
    assert civil_affairs_name(name, level, city_name=city, province_name=province) == expected


def test_the_tree_has_the_ministry_and_a_body_for_every_province_city_and_county(tree):
    names = dict(Authority.objects.values_list("name", "kind"))
    assert names["民政部"] == AuthorityKind.MINISTRY
    assert names["广西壮族自治区民政厅"] == AuthorityKind.PROVINCE_BUREAU
    assert names["南宁市民政局"] == AuthorityKind.CITY_BUREAU
    assert names["南宁市兴宁区民政局"] == AuthorityKind.COUNTY_BUREAU
    assert names["柳州市城中区民政局"] == AuthorityKind.COUNTY_BUREAU
    # one per province/city/county plus the ministry, none for streets
    assert Authority.objects.count() == 1 + Division.objects.filter(level__lte=codes.COUNTY).count()
    assert Authority.objects.get(name="民政部").division is None


def test_ensuring_again_creates_nothing_and_keeps_a_renamed_body(tree):
    body = Authority.objects.get(name="南宁市兴宁区民政局")
    body.name = "兴宁区民政局（改名）"
    body.save()
    assert ensure_authorities() == 0
    assert ensure_authorities("4501") == 0
    assert Authority.objects.filter(division_id="450102000000").count() == 1


def test_ensuring_a_subtree_creates_only_its_bodies(tree):
    Authority.objects.all().delete()
    created = ensure_authorities("450102")
    assert created == 2  # the ministry and 兴宁区
    assert set(Authority.objects.values_list("name", flat=True)) == {"民政部", "南宁市兴宁区民政局"}
    assert civil_affairs_body(tree["450103000000"]).name == "南宁市青秀区民政局"  # created on demand
    assert civil_affairs_body(tree["450102001000"]) is None  # a street has none


def offered(division_code):
    return set(Authority.objects.may_register_for(Division.objects.get(pk=division_code))
               .values_list("name", flat=True))


def test_a_community_may_be_registered_by_its_county_or_any_body_above(tree):
    assert offered("450102001003") == {"南宁市兴宁区民政局", "南宁市民政局", "广西壮族自治区民政厅", "民政部"}
    assert "南宁市青秀区民政局" not in offered("450102001003")
    assert "柳州市民政局" not in offered("450102001003")


def test_where_the_approval_bureau_registers_the_civil_affairs_bureau_is_not_offered(tree):
    county = tree["450102000000"]
    Authority.objects.filter(division=county).update(registers=False)
    Authority.objects.create(name="南宁市兴宁区行政审批服务管理局", kind=AuthorityKind.APPROVAL_BUREAU,
                             division=county)
    assert offered("450102001003") == {
        "南宁市兴宁区行政审批服务管理局", "南宁市民政局", "广西壮族自治区民政厅", "民政部"}


def test_an_inactive_body_is_not_offered(tree):
    Authority.objects.filter(name="南宁市民政局").update(is_active=False)
    assert "南宁市民政局" not in offered("450102001003")


def test_the_region_code_of_a_body_is_its_division_or_100000_for_the_ministry(tree):
    assert Authority.objects.get(name="民政部").region_code == "100000"
    assert Authority.objects.get(name="南宁市兴宁区民政局").region_code == "450102"
    assert Authority.objects.get(name="广西壮族自治区民政厅").region_code == "450000"


def test_a_body_sits_at_a_division_of_its_kind(tree):
    with pytest.raises(ValidationError) as exc:
        Authority(name="民生街道民政局", kind=AuthorityKind.COUNTY_BUREAU, division=tree["450102001000"]).full_clean()
    assert "县级民政局应设在县级区划" in exc.value.message_dict["division"][0]
    with pytest.raises(ValidationError):
        Authority(name="民政部二", kind=AuthorityKind.MINISTRY, division=tree["450000000000"]).full_clean()
