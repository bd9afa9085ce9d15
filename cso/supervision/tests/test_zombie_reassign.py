"""HTTP: the county that launched a clean-up campaign moves a case assigned to the wrong street (改派) — the new street
has it to do, the old one no longer sees it, the move is recorded with who, when and why; bad moves are refused."""

from datetime import date

import pytest
from django.urls import reverse

from cso.orgs.tests.factories import COUNTY, make_filed
from cso.regions.models import Division
from cso.supervision import campaigns
from cso.supervision.models import CampaignCase, CaseReassignment

pytestmark = pytest.mark.django_db

STREET_A = "450102001000"  # cast["street"]
STREET_B = "450102002000"  # cast["outsider_street"]: a sibling street of the same county


def _case(cast):
    team = make_filed(cast["superuser"], filed_on=date(2020, 3, 1))
    campaign = campaigns.create_campaign(cast["county"], Division.objects.get(pk=COUNTY), title="兴宁区清理整治",
                                         organization_ids=[team.pk], started_on=date(2026, 7, 2))
    case = CampaignCase.objects.get(campaign=campaign)
    assert case.street_id == STREET_A
    return case


def _reassign(client, case, street=STREET_B, reason="该组织实际活动地在朝阳街道"):
    return client.post(reverse("supervision:campaign_case_reassign", args=[case.pk]),
                       {"street": street, "reason": reason}, follow=True)


def _page(client, case):
    return client.get(reverse("supervision:campaign", args=[case.campaign_id]))


def test_the_county_reassigns_and_the_new_street_has_it_to_do(cast, client):
    case = _case(cast)
    client.force_login(cast["county"])
    page = _page(client, case).content.decode()
    assert "改派承办街道" in page and f'id="street-{case.pk}"' in page and "source=supervision.streets" in page
    found = client.get(reverse("core:lookup"), {"source": "supervision.streets", "q": "朝阳"}).json()["results"]
    assert [r["value"] for r in found] == [STREET_B]

    response = _reassign(client, case)
    body = response.content.decode()
    assert response.status_code == 200 and "改派到“朝阳街道”" in body
    case.refresh_from_db()
    assert case.street_id == STREET_B
    move = CaseReassignment.objects.get(case=case)
    assert (move.from_street_id, move.to_street_id, move.by, move.reason) == (
        STREET_A, STREET_B, cast["county"], "该组织实际活动地在朝阳街道")
    assert move.at is not None
    history = _page(client, case).content.decode()
    assert 'data-testid="campaign-reassignments"' in history and "该组织实际活动地在朝阳街道" in history

    # the new street sees the case and records its outcome; the old street no longer sees it
    client.force_login(cast["outsider_street"])
    page = _page(client, case)
    assert page.status_code == 200 and case.organization.name in page.content.decode()
    assert client.get(reverse("supervision:campaigns")).content.decode().count("兴宁区清理整治") == 1
    client.post(reverse("supervision:campaign_case_record", args=[case.pk]),
                {"outcome": "resumed", "outcome_on": "2026-07-10", "note": "已恢复活动"})
    case.refresh_from_db()
    assert case.state == "decided" and case.decided_by == cast["outsider_street"]

    client.force_login(cast["street"])
    assert _page(client, case).status_code == 404
    assert "兴宁区清理整治" not in client.get(reverse("supervision:campaigns")).content.decode()
    assert client.post(reverse("supervision:campaign_case_record", args=[case.pk]),
                       {"outcome": "resumed"}).status_code == 404


def test_the_old_street_no_longer_has_it_before_anything_is_recorded(cast, client):
    case = _case(cast)
    client.force_login(cast["county"])
    _reassign(client, case)
    client.force_login(cast["street"])
    response = client.post(reverse("supervision:campaign_case_record", args=[case.pk]),
                           {"outcome": "resumed", "outcome_on": "2026-07-10"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == "open"


def test_a_street_clerk_cannot_reassign(cast, client):
    case = _case(cast)
    client.force_login(cast["street"])
    assert "改派承办街道" not in _page(client, case).content.decode()
    response = client.post(reverse("supervision:campaign_case_reassign", args=[case.pk]),
                           {"street": STREET_B, "reason": "街道自行改派"})
    assert response.status_code in (403, 404)
    case.refresh_from_db()
    assert case.street_id == STREET_A and not CaseReassignment.objects.exists()


def test_another_countys_account_gets_a_404(cast, client):
    case = _case(cast)
    client.force_login(cast["outsider_county"])
    assert client.get(reverse("core:lookup"), {"source": "supervision.streets", "q": "朝阳"}).json()["results"] == []
    response = client.post(reverse("supervision:campaign_case_reassign", args=[case.pk]),
                           {"street": STREET_B, "reason": "越权改派"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.street_id == STREET_A and not CaseReassignment.objects.exists()


@pytest.mark.parametrize(("street", "reason", "message"), [
    ("450103001000", "分错街道", "承办街道（乡镇）“新竹街道”不在本次清理整治行动的区域内"),
    ("450102000000", "分错街道", "承办街道（乡镇）须为街道或乡镇"),
    ("450102002001", "分错街道", "承办街道（乡镇）须为街道或乡镇"),
    (STREET_A, "分错街道", "该组织已由“民生街道”承办，请选择另一个承办街道（乡镇）"),
    ("", "分错街道", "请选择新的承办街道（乡镇）"),
    ("999999999999", "分错街道", "请选择新的承办街道（乡镇）"),
    (STREET_B, "  ", "请填写改派理由"),
])
def test_bad_moves_are_refused_with_the_field_named(cast, client, street, reason, message):
    case = _case(cast)
    client.force_login(cast["county"])
    response = _reassign(client, case, street, reason)
    assert response.status_code == 200 and message in response.content.decode()
    case.refresh_from_db()
    assert case.street_id == STREET_A and not CaseReassignment.objects.exists()


def test_a_concluded_case_or_a_closed_campaign_is_not_reassigned(cast, client):
    case = _case(cast)
    client.force_login(cast["county"])
    client.post(reverse("supervision:campaign_case_record", args=[case.pk]),
                {"outcome": "resumed", "outcome_on": "2026-07-10"})
    case.refresh_from_db()
    assert case.state == "decided"
    assert "改派承办街道" not in _page(client, case).content.decode()
    response = _reassign(client, case)
    assert "该组织的处理结果已办结，不能再改派承办街道（乡镇）" in response.content.decode()
    case.refresh_from_db()
    assert case.street_id == STREET_A and not CaseReassignment.objects.exists()

    other = _case_in_new_campaign(cast)
    client.post(reverse("supervision:campaign_close", args=[other.campaign_id]))
    response = _reassign(client, other)
    assert "该清理整治行动已结束，不能再改派承办街道（乡镇）" in response.content.decode()
    other.refresh_from_db()
    assert other.street_id == STREET_A


def _case_in_new_campaign(cast):
    team = make_filed(cast["superuser"], filed_on=date(2020, 3, 2))
    campaign = campaigns.create_campaign(cast["county"], Division.objects.get(pk=COUNTY), title="第二轮清理整治",
                                         organization_ids=[team.pk], started_on=date(2026, 8, 1))
    return CampaignCase.objects.get(campaign=campaign)
