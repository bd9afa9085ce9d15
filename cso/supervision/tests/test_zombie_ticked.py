"""HTTP: on the candidates page the county ticks organizations and makes a campaign of exactly those, then adds more
ticked ones to the open campaign (no duplicates; each case goes to its street); a closed campaign takes no more;
another county's staff and a street cannot add."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from cso.orgs.models import Organization
from cso.orgs.tests.factories import make_filed, make_registered
from cso.supervision import zombie
from cso.supervision.models import Campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidates(cast):
    orgs = [make_registered(cast["superuser"], name=f"兴宁区沉寂协会{i}", registered_on=date(2019, 5, 1),
                            founded_on=date(2019, 5, 1)) for i in range(3)]
    orgs.append(make_filed(cast["superuser"], name="兴宁社区沉寂队", filed_on=date(2020, 3, 1)))
    Organization.objects.update(updated_at="2020-03-02T00:00:00+08:00")
    zombie.scan(timezone.localdate(), "450102")
    return orgs


def test_tick_create_then_add_to_the_open_campaign(cast, client, candidates):
    a, b, c, team = candidates
    client.force_login(cast["county"])
    page = client.get(reverse("supervision:zombie_candidates")).content.decode()
    assert f'name="organization" value="{a.pk}"' in page and 'data-testid="campaign-ticked"' in page

    # ticking nothing makes nothing
    client.post(reverse("supervision:campaign_new"), {"title": "空行动", "mode": "ticked"})
    assert not Campaign.objects.exists()

    response = client.post(reverse("supervision:campaign_new"),
                           {"title": "兴宁区第一批清理整治", "mode": "ticked", "organization": [a.pk, team.pk]})
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    cases = {case.organization_id: case for case in campaign.cases.all()}
    assert set(cases) == {a.pk, team.pk}
    assert cases[team.pk].street_id == "450102001000" and cases[team.pk].reasons  # its street, with the reasons

    page = client.get(reverse("supervision:zombie_candidates")).content.decode()
    assert "兴宁区第一批清理整治" in page and 'data-testid="campaign-add"' in page
    response = client.post(reverse("supervision:campaign_add"),
                           {"campaign": campaign.pk, "organization": [a.pk, b.pk, c.pk]})
    assert response.status_code == 302
    assert set(campaign.cases.values_list("organization_id", flat=True)) == {a.pk, b.pk, c.pk, team.pk}
    assert campaign.cases.filter(organization=a).count() == 1
    detail = client.get(reverse("supervision:campaign", args=[campaign.pk])).content.decode()
    assert "民生街道" in detail and 'data-testid="campaign-streets"' in detail

    # a street and another county may not add; a closed campaign takes no more
    extra = make_registered(cast["superuser"], name="兴宁区新协会")
    for name, status in (("street", 403), ("outsider_county", 404)):
        client.force_login(cast[name])
        assert client.post(reverse("supervision:campaign_add"),
                           {"campaign": campaign.pk, "organization": [extra.pk]}).status_code == status
    client.force_login(cast["county"])
    client.post(reverse("supervision:campaign_close", args=[campaign.pk]))
    client.post(reverse("supervision:campaign_add"), {"campaign": campaign.pk, "organization": [extra.pk]})
    assert not campaign.cases.filter(organization=extra).exists()


def test_an_organization_of_another_county_is_not_added(cast, client, candidates):
    foreign = make_filed(cast["superuser"], name="青秀区新竹社区舞蹈队", division="450103001005")
    client.force_login(cast["county"])
    client.post(reverse("supervision:campaign_new"),
                {"title": "兴宁区清理整治", "mode": "ticked", "organization": [candidates[0].pk, foreign.pk]})
    campaign = Campaign.objects.get()
    assert list(campaign.cases.values_list("organization_id", flat=True)) == [candidates[0].pk]
