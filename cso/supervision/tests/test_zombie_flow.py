"""HTTP: scan → candidates with reasons → campaign → the street records 恢复活动 and 清理 → status changed."""

from datetime import date

import pytest
from django.urls import reverse

from cso.orgs.models import Organization, StatusChange
from cso.orgs.tests.factories import make_filed, make_registered
from cso.supervision import zombie
from cso.supervision.models import Campaign, CampaignCase

pytestmark = pytest.mark.django_db


def test_scan_candidates_campaign_and_outcomes(cast, client):
    org = make_registered(cast["superuser"], registered_on=date(2019, 5, 1), founded_on=date(2019, 5, 1))
    team = make_filed(cast["superuser"], filed_on=date(2020, 3, 1))
    Organization.objects.update(updated_at="2020-03-02T00:00:00+08:00")
    zombie.scan(timezone_today(), "450102")

    client.force_login(cast["county"])
    response = client.get(reverse("supervision:zombie_candidates"))
    body = response.content.decode()
    assert response.status_code == 200 and org.name in body and team.name in body
    assert "长期无活动记录（本平台建议）" in body and "备案长期未更新" in body
    export = client.get(reverse("supervision:zombie_candidates") + "?format=csv")
    assert export.status_code == 200 and team.name in b"".join(export.streaming_content).decode("utf-8-sig")
    xlsx = client.get(reverse("supervision:zombie_candidates") + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    response = client.post(reverse("supervision:campaign_new"), {"title": "兴宁区清理整治", "threshold": "50"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.cases.count() == 2
    case_org = CampaignCase.objects.get(organization=org)
    case_team = CampaignCase.objects.get(organization=team)

    # another county: 404; a community clerk: 403
    client.force_login(cast["outsider_county"])
    assert client.get(reverse("supervision:campaign", args=[campaign.pk])).status_code == 404
    assert client.post(reverse("supervision:campaign_case_record", args=[case_org.pk]),
                       {"outcome": "resumed"}).status_code == 404
    client.force_login(cast["community"])
    assert client.post(reverse("supervision:campaign_case_record", args=[case_org.pk]),
                       {"outcome": "resumed"}).status_code == 403
    assert client.get(reverse("supervision:zombie_candidates")).status_code == 403
    case_org.refresh_from_db()
    assert case_org.state == "open"

    client.force_login(cast["street"])
    assert client.get(reverse("supervision:campaign", args=[campaign.pk])).status_code == 200
    client.post(reverse("supervision:campaign_case_record", args=[case_org.pk]),
                {"outcome": "resumed", "outcome_on": "2026-07-10", "note": "已恢复活动"})
    client.post(reverse("supervision:campaign_case_record", args=[case_team.pk]),
                {"outcome": "cleared", "outcome_on": "2026-07-11"})
    case_org.refresh_from_db()
    case_team.refresh_from_db()
    assert (case_org.state, case_org.outcome) == ("decided", "resumed")
    assert case_team.outcome == "cleared"
    if case_team.state == "proposed":  # the street may not clear: the filing body confirms
        client.force_login(cast["county"])
        client.post(reverse("supervision:campaign_case_confirm", args=[case_team.pk]))
    team.refresh_from_db()
    assert team.status == "cleared"
    change = StatusChange.objects.filter(organization=team).latest("effective_date", "id")
    assert change.reason == "清理整治 兴宁区清理整治" and team.history.filter(history_change_reason=change.reason)


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()
