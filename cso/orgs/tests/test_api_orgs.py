"""The registry API: same filters as the list, cursor and offset paging, 404 outside the scope."""

import pytest

from cso.orgs.models import AccountLink

from .factories import COMMUNITY, FOREIGN_COMMUNITY, id_number, make_filed, make_registered

API = "/api/orgs/"
ID = id_number()


@pytest.fixture
def orgs(cast):
    return {
        "elderly": make_registered(cast["registrar"], name="兴宁区老年协会", categories=["life_service"],
                                   leaders=[{"name": "王建国", "id_number": ID}]),
        "dance": make_filed(cast["street"], name="北宁社区广场舞队", division="450102001004"),
        "foreign": make_filed(cast["superuser"], name="新竹社区老年协会", division=FOREIGN_COMMUNITY),
    }


def test_the_list_is_scoped_and_filtered_like_the_page(orgs, cast, login):
    client = login(cast["county"])
    data = client.get(API).json()
    assert data["count"] == 2
    assert {item["name"] for item in data["items"]} == {"兴宁区老年协会", "北宁社区广场舞队"}
    assert client.get(API, {"track": "filed"}).json()["items"][0]["name"] == "北宁社区广场舞队"
    assert [i["name"] for i in client.get(API, {"q": "laonian"}).json()["items"]] == ["兴宁区老年协会"]
    assert client.get(API, {"category": "life_service"}).json()["count"] == 1
    item = client.get(API, {"q": "laonian"}).json()["items"][0]
    assert item["categories"] == [{"code": "life_service", "name": "生活服务"}]
    assert item["division_code"] == "450102001003"


def test_an_outsider_never_gets_foreign_rows(orgs, cast, login):
    client = login(cast["outsider_county"])
    for params in ({}, {"q": "兴宁"}, {"division": "450102"}, {"limit": 1000}):
        names = {i["name"] for i in client.get(API, params).json()["items"]}
        assert names <= {"新竹社区老年协会"}


def test_the_detail_is_a_404_outside_the_scope(orgs, cast, login):
    client = login(cast["outsider_county"])
    assert client.get(f"{API}{orgs['elderly'].uid}").status_code == 404
    assert client.get(f"{API}{orgs['foreign'].uid}").status_code == 200


def test_the_detail_masks_id_numbers_for_accounts_without_change_rights(orgs, cast, login):
    uid = orgs["elderly"].uid
    assert login(cast["registrar"]).get(f"{API}{uid}").json()["leaders"][0]["id_number"] == ID
    assert login(cast["county"]).get(f"{API}{uid}").json()["leaders"][0]["id_number"] != ID  # supervision only
    assert login(cast["organization"]).get(f"{API}{uid}").status_code == 404  # not linked to it
    AccountLink.objects.create(user=cast["organization"], organization=orgs["elderly"], division_id=COMMUNITY)
    masked = login(cast["organization"]).get(f"{API}{uid}").json()["leaders"][0]["id_number"]
    assert masked != ID and "*" in masked


def test_cursor_pages_cover_every_row_once(cast, login):
    for i in range(7):
        make_filed(cast["street"], name=f"兴宁社区队{i}")
    client = login(cast["county"])
    seen, params = [], {"limit": 3, "sort": "name"}
    while True:
        data = client.get(API, params).json()
        seen.extend(i["uid"] for i in data["items"])
        if not data["next_cursor"]:
            break
        params = {"limit": 3, "sort": "name", "after": data["next_cursor"]}
    assert len(seen) == len(set(seen)) == 7
    offset_page = client.get(API, {"limit": 3, "sort": "name", "offset": 3}).json()
    assert [i["uid"] for i in offset_page["items"]] == seen[3:6]


def test_anonymous_calls_are_refused(orgs, client):
    assert client.get(API).status_code == 401
