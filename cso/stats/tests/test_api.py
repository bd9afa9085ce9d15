"""The statistics API: the same engine and the same scope as the pages."""

from decimal import Decimal

import pytest

from . import fixtures as fx
from .fixtures import COUNTY


@pytest.fixture
def registry(cast):
    return fx.build(cast)


def test_indicators_of_the_users_county(registry, cast, login):
    response = login(cast["county"]).get("/api/stats/indicators", {"as_of": "2025-06-30"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"]["values"]["orgs_live"] == 6
    assert Decimal(str(data["total"]["values"]["per_10k"])) == Decimal("0.71")
    assert [r["code"] for r in data["rows"]] == [COUNTY, fx.MINSHENG, fx.CHAOYANG_STREET]
    assert data["total"]["links"]["orgs_live"].startswith("/orgs/?")
    assert "居委会" in data["urban_rule_label"]
    assert any(i["key"] == "per_10k" and i["kind"] == "ratio" for i in data["indicators"])


def test_the_community_list_pages(registry, cast, login):
    response = login(cast["county"]).get("/api/stats/communities",
                                         {"as_of": "2025-06-30", "limit": 2, "offset": 1})
    data = response.json()
    assert data["count"] == 5
    assert [c["code"] for c in data["items"]] == [fx.BEINING, fx.HUQIU]


def test_effective_targets(registry, cast, login):
    data = login(cast["county"]).get("/api/stats/targets", {"division": fx.XINGNING, "year": 2025}).json()
    by_key = {t["key"]: t for t in data}
    assert by_key["avg_urban"]["source_name"] == "民生街道"
    assert by_key["per_10k"]["is_default"]


@pytest.mark.parametrize("path", ["/api/stats/indicators", "/api/stats/communities", "/api/stats/targets"])
def test_the_sibling_county_is_a_404(registry, cast, login, path):
    assert login(cast["county"]).get(path, {"division": fx.FOREIGN_COUNTY}).status_code == 404
