"""Editing population, households and facility area: staff of the subtree only, Chinese validation."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cso.regions.models import Division

COMMUNITY = "450102001003"


def edit_url(code=COMMUNITY):
    return reverse("regions:edit", args=[code])


def post(client, code=COMMUNITY, **data):
    payload = {"population": "3200", "households": "1100", "facility_area": "420.5", "reason": ""}
    payload.update(data)
    return client.post(edit_url(code), payload)


def test_a_street_clerk_saves_a_communitys_figures(cast, login):
    response = post(login(cast["street"]))
    assert response.status_code == 302
    assert response.url == reverse("regions:detail", args=[COMMUNITY])
    division = Division.objects.get(code=COMMUNITY)
    assert division.population == 3200
    assert division.households == 1100
    assert division.facility_area == Decimal("420.50")
    assert division.figures_source == "entered"
    assert division.figures_year == timezone.localdate().year
    assert division.facility_area_estimated is False


def test_saving_replaces_an_estimate_and_clears_the_badge(cast, login):
    Division.objects.filter(code=COMMUNITY).update(
        population=5000,
        households=1700,
        figures_source="estimate",
        facility_area=300,
        facility_area_estimated=True,
    )
    client = login(cast["community"])
    response = client.post(
        edit_url(), {"population": "4100", "households": "1500", "facility_area": "500"}, follow=True
    )
    body = response.content.decode()
    assert "已保存“兴宁社区居委会”的人口、户数和设施面积。" in body
    assert 'data-testid="estimate-badge"' not in body
    assert "工作人员填报" in body


def test_the_history_shows_who_changed_what_and_why(cast, login):
    client = login(cast["street"])
    post(client, reason="2025年入户摸底")
    body = client.get(reverse("regions:detail", args=[COMMUNITY])).content.decode()
    history = body[body.index('data-testid="history"') :]
    assert "street" in history  # the editor's display name
    assert "2025年入户摸底" in history
    assert "户数（户）" in history
    assert "1,100" in history
    record = Division.history.filter(code=COMMUNITY).latest("history_date")
    assert record.history_user == cast["street"]
    assert record.history_change_reason == "2025年入户摸底"


def test_a_change_without_a_reason_gets_a_default_reason(cast, login):
    post(login(cast["county"]))
    record = Division.history.filter(code=COMMUNITY).latest("history_date")
    assert record.history_change_reason == "工作人员填报人口、户数和社区综合服务设施面积"


def test_the_facility_area_may_be_left_empty(cast, login):
    assert post(login(cast["street"]), facility_area="").status_code == 302
    assert Division.objects.get(code=COMMUNITY).facility_area is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"population": "-5"}, "常住人口不能为负数。"),
        ({"households": "-1"}, "户数不能为负数。"),
        ({"population": "12.5"}, "常住人口应为整数"),
        ({"population": "三千"}, "常住人口应为整数"),
        ({"population": ""}, "请填写常住人口。"),
        ({"households": ""}, "请填写户数。"),
        ({"population": "1000", "households": "1200"}, "户数不能多于常住人口，请核实。"),
        ({"facility_area": "-3"}, "设施面积不能为负数。"),
        ({"facility_area": "250000"}, "设施面积超过 100,000 ㎡，请核实单位是否为平方米。"),
        ({"facility_area": "abc"}, "设施面积应为数字（单位：平方米）。"),
        ({"facility_area": "12.345"}, "设施面积最多保留两位小数。"),
    ],
)
def test_invalid_figures_are_refused_with_a_chinese_message(cast, login, data, message):
    response = post(login(cast["street"]), **data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "is-invalid" in body
    division = Division.objects.get(code=COMMUNITY)
    assert division.population is None
    assert division.figures_source == ""


def test_the_form_says_that_community_figures_feed_the_statistics(cast, login):
    body = login(cast["street"]).get(edit_url()).content.decode()
    assert "社区（村）的人口、户数和设施面积直接用于统计报表" in body


def test_the_form_is_prefilled_with_the_current_figures(cast, login):
    Division.objects.filter(code=COMMUNITY).update(population=4321, households=1234)
    body = login(cast["street"]).get(edit_url()).content.decode()
    assert 'value="4321"' in body
    assert 'value="1234"' in body


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("county", "450102000000"),
        ("county", "450102001000"),
        ("city", "450102001201"),
        ("street", "450102001000"),
        ("community", COMMUNITY),
    ],
)
def test_staff_may_edit_any_level_of_their_subtree(cast, login, who, code):
    response = post(login(cast[who]), code=code)
    assert response.status_code == 302
    assert Division.objects.get(code=code).figures_source == "entered"


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("organization", COMMUNITY),
        ("operator", COMMUNITY),
        ("operator", "450102001000"),
        ("outsider_county", COMMUNITY),
        ("outsider_street", COMMUNITY),
        ("outsider_community", COMMUNITY),
        ("community", "450102001000"),  # the parent street is above the community clerk
        ("community", "450102001004"),  # a sibling community
    ],
)
def test_accounts_without_change_rights_get_not_found(cast, login, who, code):
    client = login(cast[who])
    assert client.get(edit_url(code)).status_code == 404
    assert post(client, code=code).status_code == 404
    assert Division.objects.get(code=code).figures_source == ""
