"""The targets page: sources shown, who may set values, validation, the urban rule, the history."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from cso.regions.models import Division
from cso.stats import services
from cso.stats.forms import validate_target_value
from cso.stats.models import ProvinceSetting, Target

URL = "/stats/targets/"
COUNTY = "450102000000"
STREET = "450102001000"
FOREIGN = "450103000000"


def post(client, **data):
    return client.post(URL, {"division": COUNTY, "year": "2025", **data})


def test_the_page_shows_each_target_and_where_it_comes_from(cast, login):
    Target.objects.create(division_id="450100000000", year=2025, key="per_10k", value=Decimal("7"))
    response = login(cast["county"]).get(URL, {"year": 2025})
    assert response.status_code == 200
    body = response.content.decode()
    assert "继承自南宁市" in body and "政策默认值" in body
    rows = {r["key"]: r for r in response.context["rows"]}
    assert rows["per_10k"]["tv"].value == Decimal("7")
    assert rows["avg_urban"]["tv"].is_default


def test_a_county_clerk_sets_and_clears_a_value_for_the_county(cast, login):
    client = login(cast["county"])
    response = post(client, key="avg_urban", value="12", note="兴宁区2025年工作方案")
    assert response.status_code == 302
    target = Target.objects.get(division_id=COUNTY, year=2025, key="avg_urban")
    assert target.value == Decimal("12") and target.updated_by == cast["county"]
    assert target.history.first().history_user == cast["county"]
    body = client.get(URL, {"year": 2025}).content.decode()
    assert "本级设定" in body and "兴宁区2025年工作方案" in body
    response = post(client, key="avg_urban", clear="on")
    assert response.status_code == 302
    assert not Target.objects.filter(division_id=COUNTY).exists()
    assert Target.history.filter(division_id=COUNTY).count() == 2


def test_a_county_clerk_may_set_a_street_in_the_county(cast, login):
    response = login(cast["county"]).post(URL, {"division": STREET, "year": "2025", "key": "avg_rural", "value": "4"})
    assert response.status_code == 302
    assert Target.objects.get(division_id=STREET).value == Decimal("4")


def test_street_staff_may_view_but_not_set_targets(cast, login):
    client = login(cast["street"])
    assert client.get(URL).status_code == 200
    assert client.post(URL, {"division": STREET, "year": "2025", "key": "avg_rural", "value": "4"}).status_code == 403
    assert not Target.objects.exists()


def test_the_sibling_county_is_a_404_to_read_and_to_write(cast, login):
    client = login(cast["county"])
    assert client.get(URL, {"division": FOREIGN}).status_code == 404
    assert client.post(URL, {"division": FOREIGN, "year": "2025", "key": "avg_rural", "value": "4"}).status_code == 404
    assert not Target.objects.exists()


@pytest.mark.parametrize(("data", "message"), [
    ({"key": "avg_urban", "value": "-1"}, "不能为负数"),
    ({"key": "facility_share", "value": "120"}, "0 到 100"),
    ({"key": "incubation_bases_min", "value": "3"}, "下限（3）不能大于上限（2）"),
    ({"key": "incubation_bases_max", "value": "1.5"}, "应为整数"),
    ({"key": "avg_urban", "value": ""}, "请填写目标值"),
    ({"key": "avg_urban", "value": "1.234"}, "两位小数"),
])
def test_invalid_values_are_refused_with_a_chinese_message(cast, login, data, message):
    response = post(login(cast["county"]), **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Target.objects.exists()


def test_the_province_sets_the_urban_rule_and_the_county_may_not(cast, login):
    response = post(login(cast["county"]), action="urban_rule", urban_rule="urban_rural_code")
    assert response.status_code == 403
    client = login(cast["province"])
    response = client.post(URL, {"division": "450000000000", "year": "2025", "action": "urban_rule",
                                 "urban_rule": "urban_rural_code"})
    assert response.status_code == 302
    assert ProvinceSetting.objects.get().urban_rule == "urban_rural_code"
    assert "按城乡分类代码" in login(cast["county"]).get(URL).content.decode()


def test_services_check_permissions_and_bounds(cast):
    county = Division.objects.get(code=COUNTY)
    with pytest.raises(PermissionDenied):
        services.set_target(cast["street"], county, 2025, "avg_urban", Decimal("3"))
    with pytest.raises(PermissionDenied):
        services.set_target(cast["outsider_county"], county, 2025, "avg_urban", Decimal("3"))
    services.set_target(cast["county"], county, 2025, "incubation_bases_max", Decimal("4"))
    services.set_target(cast["county"], county, 2025, "incubation_bases_min", Decimal("3"))
    with pytest.raises(ValidationError):
        services.set_target(cast["county"], county, 2025, "incubation_bases_max", Decimal("2"))
    with pytest.raises(PermissionDenied):
        services.set_urban_rule(cast["city"], Division.objects.get(code="450000000000"), "urban_rural_code")


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=1000))
def test_share_targets_are_valid_exactly_from_0_to_100(value):
    assert (validate_target_value("facility_share", value) == []) == (0 <= value <= 100)


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6, max_value=10**6))
def test_count_targets_are_valid_exactly_when_not_negative(value):
    assert (validate_target_value("avg_urban", value) == []) == (value >= 0)
