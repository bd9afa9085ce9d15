"""Money views: committed, paid and remaining by kind; shares to rural, 公益慈善 and 承接政府职能 organizations; the
split by the divisions below; CSV export; scoped to the account's subtree."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cso.funding import services
from cso.orgs.models import Category

from .helpers import linked_org, programme, submitted

pytestmark = pytest.mark.django_db


def _award(cast, prog, amount, **org_extra):
    org = linked_org(cast["organization"], cast["registrar"], **org_extra)
    app = submitted(prog, org, cast["organization"], str(amount))
    services.score(app, cast["county"], Decimal("80"))
    return services.award(app, Decimal(amount), cast["county"], "评审通过")


def test_the_money_view_sums_by_kind_and_shows_the_shares(cast, client):
    venture = programme(cast["county"], budget=Decimal("100000"))
    purchase = programme(cast["county"], kind="purchase", title="购买服务", budget=Decimal("50000"))
    for p in (venture, purchase):
        p.reviewers.add(cast["county"])
    rural = _award(cast, venture, 30000, division="450102002201")  # 虎邱村委会, urban–rural code 220
    _award(cast, venture, 10000, categories=[Category.objects.get(code="charity")])
    _award(cast, purchase, 20000)
    services.sign(rural, cast["county"], number="1", signed_on=date(2026, 3, 1), instalments=2)
    services.disburse(rural, cast["county"], amount=Decimal("12000"), paid_on=date(2026, 3, 2))
    client.force_login(cast["city"])
    response = client.get(reverse("funding:money"), {"year": venture.year})
    data = response.context["data"]
    kinds = {r["kind"]: r for r in data["rows"]}
    assert (kinds["venture"]["budget"], kinds["venture"]["committed"], kinds["venture"]["paid"],
            kinds["venture"]["remaining"]) == (100000, 40000, 12000, 60000)
    assert (kinds["purchase"]["committed"], kinds["purchase"]["remaining"]) == (20000, 30000)
    assert data["shares"]["rural"]["amount"] == 30000 and data["shares"]["rural"]["pct"] == Decimal("50.0")
    assert data["shares"]["charity"]["amount"] == 10000
    assert data["shares"]["gov"]["amount"] == 20000
    assert [c["code"] for c in data["children"]] == ["450102000000"]
    export = client.get(reverse("funding:money_export"), {"year": venture.year})
    csv = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "公益创投" in csv and "40000" in csv
    # the sibling county sees none of it
    client.force_login(cast["outsider_county"])
    assert client.get(reverse("funding:money"), {"year": venture.year}).context["data"]["committed"] == 0
