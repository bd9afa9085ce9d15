"""The funding API (/api/funding/): programmes and awards of the account's subtree, paged, filtered by year, kind and
division; another county's account reads none of them."""

from decimal import Decimal

import pytest

from cso.funding import services

from .helpers import linked_org, programme, submitted

pytestmark = pytest.mark.django_db


def _funded(cast):
    venture = programme(cast["county"], title="兴宁区公益创投")
    purchase = programme(cast["street"], title="民生街道购买服务", kind="purchase", division_id="450102001000")
    awards = []
    for prog, amount in ((venture, "30000"), (venture, "20000"), (purchase, "10000")):
        prog.reviewers.add(cast["county"])
        org = linked_org(cast["organization"], cast["registrar"])
        app = submitted(prog, org, cast["organization"], amount)
        services.score(app, cast["county"], Decimal("80"))
        awards.append(services.award(app, Decimal(amount), cast["county"], "评审通过"))
    return venture, purchase, awards


def test_programmes_and_awards_of_the_subtree_with_filters_and_pages(cast, client):
    venture, purchase, awards = _funded(cast)
    client.force_login(cast["county"])
    page = client.get("/api/funding/programmes/").json()
    assert page["count"] == 2 and {p["title"] for p in page["items"]} == {"兴宁区公益创投", "民生街道购买服务"}
    detail = client.get(f"/api/funding/programmes/{venture.pk}").json()
    assert (detail["applications"], detail["awards"], Decimal(detail["committed"]), Decimal(detail["remaining"])) == (
        2, 2, 50000, 50000)
    assert client.get("/api/funding/programmes/", {"kind": "purchase"}).json()["count"] == 1
    assert client.get("/api/funding/programmes/", {"kind": "nope"}).status_code == 422
    listed = client.get("/api/funding/awards/", {"year": venture.year, "limit": 2}).json()
    assert listed["count"] == 3 and len(listed["items"]) == 2
    rest = client.get("/api/funding/awards/", {"year": venture.year, "limit": 2, "offset": 2}).json()
    assert len(rest["items"]) == 1
    assert {a["id"] for a in listed["items"] + rest["items"]} == {a.pk for a in awards}
    assert client.get("/api/funding/awards/", {"kind": "purchase"}).json()["count"] == 1
    assert client.get("/api/funding/awards/", {"division": "450102001000"}).json()["count"] == 1
    assert client.get("/api/funding/awards/", {"year": venture.year - 1}).json()["count"] == 0
    one = client.get(f"/api/funding/awards/{awards[0].pk}").json()
    assert one["programme_title"] == "兴宁区公益创投" and Decimal(one["amount"]) == 30000
    # the street sees its own programme and awards only
    client.force_login(cast["street"])
    assert [p["id"] for p in client.get("/api/funding/programmes/").json()["items"]] == [purchase.pk]
    assert client.get("/api/funding/awards/").json()["count"] == 1


def test_another_countys_account_reads_none_of_it(cast, client):
    venture, _purchase, awards = _funded(cast)
    client.force_login(cast["outsider_county"])
    assert client.get("/api/funding/programmes/").json()["count"] == 0
    assert client.get(f"/api/funding/programmes/{venture.pk}").status_code == 404
    assert client.get("/api/funding/awards/").json()["count"] == 0
    assert client.get(f"/api/funding/awards/{awards[0].pk}").status_code == 404
    assert client.get("/api/funding/awards/", {"division": "450102000000"}).status_code == 404
    # an organization's account may not list awards or programmes at all
    client.force_login(cast["organization"])
    assert client.get("/api/funding/awards/").status_code == 403
    assert client.get("/api/funding/programmes/").status_code == 403
    client.logout()
    assert client.get("/api/funding/awards/").status_code in (401, 403)


def test_the_openapi_schema_documents_the_funding_endpoints():
    from cso.api import api

    paths = api.get_openapi_schema(path_prefix="/api/")["paths"]
    assert {"/api/funding/programmes/", "/api/funding/programmes/{programme}", "/api/funding/awards/",
            "/api/funding/awards/{award}"} <= set(paths)
    assert set(paths["/api/funding/awards/"]) == {"get"}  # read-only
