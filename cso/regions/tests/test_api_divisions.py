"""The divisions REST API: same scoping, counts and validation as the pages."""

import json

import pytest
from django.test import Client

from cso.regions.models import Division

COMMUNITY = "450102001003"


def patch(client, code, data, **headers):
    return client.patch(
        f"/api/divisions/{code}/figures", data=json.dumps(data), content_type="application/json", **headers
    )


def codes_of(response):
    return [item["code"] for item in response.json()["items"]]


def test_the_api_refuses_anonymous_callers(tree, client):
    assert client.get("/api/divisions/").status_code == 401
    assert client.get(f"/api/divisions/{COMMUNITY}").status_code == 401


def test_the_list_is_limited_to_ones_own_county(cast, login):
    response = login(cast["county"]).get("/api/divisions/", {"q": "社区"})
    assert response.status_code == 200
    assert codes_of(response) == ["450102001003", "450102001004", "450102002001"]
    assert response.json()["count"] == 3


def test_the_list_without_filters_never_contains_foreign_rows(cast, login):
    response = login(cast["outsider_street"]).get("/api/divisions/", {"limit": 500})
    assert codes_of(response) == ["450102002000", "450102002001", "450102002201"]


def test_list_items_carry_the_full_path(cast, login):
    item = login(cast["street"]).get("/api/divisions/", {"q": "北宁"}).json()["items"][0]
    assert item["path"] == "广西壮族自治区 / 南宁市 / 兴宁区 / 民生街道 / 北宁社区居委会"
    assert item["unit_type_display"] == "居委会"
    assert item["urban_by_committee"] is True


def test_the_list_filters_by_parent_level_and_code_prefix(cast, login):
    client = login(cast["province"])
    assert codes_of(client.get("/api/divisions/", {"parent": "450102002000"})) == ["450102002001", "450102002201"]
    assert codes_of(client.get("/api/divisions/", {"level": 3})) == ["450102000000", "450103000000", "450202000000"]
    assert codes_of(client.get("/api/divisions/", {"q": "4502"})) == [
        "450200000000",
        "450202000000",
        "450202001000",
        "450202001001",
    ]


def test_the_list_rejects_a_level_out_of_range(cast, login):
    assert login(cast["province"]).get("/api/divisions/", {"level": 9}).status_code == 422


def test_the_list_pages_with_limit_and_offset(cast, login):
    client = login(cast["county"])
    first = client.get("/api/divisions/", {"q": "社区", "limit": 2})
    second = client.get("/api/divisions/", {"q": "社区", "limit": 2, "offset": 2})
    assert codes_of(first) == ["450102001003", "450102001004"]
    assert codes_of(second) == ["450102002001"]
    assert first.json()["count"] == second.json()["count"] == 3


def test_a_limit_above_the_cap_is_clamped(cast, login):
    response = login(cast["province"]).get("/api/divisions/", {"limit": 100000})
    assert response.status_code == 200
    assert response.json()["limit"] == 500


def test_abolished_divisions_are_listed_only_when_asked_for(cast, login):
    Division.objects.filter(code="450102001004").update(abolished_in=2023, successor_id=COMMUNITY)
    client = login(cast["street"])
    assert "450102001004" not in codes_of(client.get("/api/divisions/", {"q": "社区"}))
    response = client.get("/api/divisions/", {"q": "社区", "include_abolished": "true"})
    item = next(i for i in response.json()["items"] if i["code"] == "450102001004")
    assert item["abolished_in"] == 2023
    assert item["successor_code"] == COMMUNITY


def test_a_division_reads_with_its_facts(cast, login):
    Division.objects.filter(code=COMMUNITY).update(
        population=3000, households=1000, facility_area=320, figures_source="estimate", urban_rural_edition=2016
    )
    data = login(cast["community"]).get(f"/api/divisions/{COMMUNITY}").json()
    assert data["name"] == "兴宁社区居委会"
    assert data["parent_code"] == "450102001000"
    assert data["figures_estimated"] is True
    assert data["facility_area"] == 320.0
    assert data["facility_area_per_100_households"] == 32.0
    assert data["urban_rural_code"] == "111"
    assert data["urban_rural_is_proxy"] is True


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("outsider_county", COMMUNITY),
        ("outsider_street", "450102001000"),
        ("outsider_community", COMMUNITY),
        ("county", "450100000000"),
        ("community", "450102001004"),
    ],
)
def test_a_foreign_division_is_not_found_on_every_endpoint(cast, login, who, code):
    client = login(cast[who])
    assert client.get(f"/api/divisions/{code}").status_code == 404
    assert client.get(f"/api/divisions/{code}/children").status_code == 404
    response = patch(client, code, {"population": 10, "households": 5})
    assert response.status_code == 404
    assert response.json()["detail"] == "区划不存在，或不在您账号所属区划的范围内。"


def test_children_come_with_descendant_counts(cast, login):
    response = login(cast["city"]).get("/api/divisions/450100000000/children")
    assert response.status_code == 200
    children = {c["code"]: c["descendants"] for c in response.json()}
    assert children["450102000000"]["counts"] == {"4": 2, "5": 5}
    assert children["450103000000"]["counts"] == {"4": 1, "5": 2}
    assert children["450102000000"]["residents"] == 3
    assert children["450102000000"]["villagers"] == 2


def test_a_street_clerk_patches_a_communitys_figures(cast, login):
    response = patch(login(cast["street"]), COMMUNITY, {"population": 3200, "households": 1100, "facility_area": 400})
    assert response.status_code == 200
    data = response.json()
    assert data["population"] == 3200
    assert data["figures_source"] == "entered"
    record = Division.history.filter(code=COMMUNITY).latest("history_date")
    assert record.history_user == cast["street"]


def test_a_patch_keeps_the_fields_it_does_not_send(cast, login):
    Division.objects.filter(code=COMMUNITY).update(population=3000, households=1000, facility_area=250)
    response = patch(login(cast["community"]), COMMUNITY, {"households": 1050, "reason": "年度核实"})
    assert response.status_code == 200
    division = Division.objects.get(code=COMMUNITY)
    assert (division.population, division.households, division.facility_area) == (3000, 1050, 250)
    assert Division.history.filter(code=COMMUNITY).latest("history_date").history_change_reason == "年度核实"


def test_a_patch_is_validated_like_the_page_with_chinese_messages(cast, login):
    response = patch(login(cast["street"]), COMMUNITY, {"population": 100, "households": 200, "facility_area": 200000})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["households"] == ["户数不能多于常住人口，请核实。"]
    assert errors["facility_area"] == ["设施面积超过 100,000 ㎡，请核实单位是否为平方米。"]
    assert Division.objects.get(code=COMMUNITY).population is None


def test_a_patch_of_negative_figures_is_refused(cast, login):
    response = patch(login(cast["street"]), COMMUNITY, {"population": -1, "households": 0})
    assert response.status_code == 422
    assert response.json()["errors"]["population"] == ["常住人口不能为负数。"]


@pytest.mark.parametrize("who", ["organization", "operator"])
def test_organization_and_operator_accounts_cannot_patch_figures(cast, login, who):
    response = patch(login(cast[who]), COMMUNITY, {"population": 10, "households": 5})
    assert response.status_code == 404
    assert Division.objects.get(code=COMMUNITY).population is None


def test_a_session_patch_needs_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["street"])
    assert patch(client, COMMUNITY, {"population": 10, "households": 5}).status_code == 403
    client.get(f"/divisions/{COMMUNITY}/edit/")  # sets the CSRF cookie, as any page with a form does
    token = client.cookies["csrftoken"].value
    response = patch(client, COMMUNITY, {"population": 10, "households": 5}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_the_openapi_schema_documents_the_division_endpoints(db):
    from cso.api import api

    paths = api.get_openapi_schema(path_prefix="/api/")["paths"]
    assert "/api/divisions/" in paths
    assert "/api/divisions/{code}/children" in paths
    assert "patch" in paths["/api/divisions/{code}/figures"]


def test_the_openapi_document_is_served(cast, login):
    response = login(cast["county"]).get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/divisions/{code}/figures" in response.json()["paths"]


def test_the_api_docs_page_loads_swagger_from_this_site(cast, login):
    response = login(cast["county"]).get("/api/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn." not in body
