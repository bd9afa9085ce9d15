"""Clean-up campaigns: from the candidates, assignment to streets, outcomes through the registry's status change."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cso.accounts.responsibilities import can
from cso.orgs.models import StatusChange
from cso.orgs.tests.factories import COUNTY, make_filed, make_registered
from cso.regions.models import Division
from cso.supervision import campaigns, zombie
from cso.supervision.models import CampaignCase

pytestmark = pytest.mark.django_db


def _setup(cast):
    org = make_registered(cast["superuser"], registered_on=date(2019, 5, 1), founded_on=date(2019, 5, 1))
    team = make_filed(cast["superuser"], filed_on=date(2020, 3, 1))
    from cso.orgs.models import Organization
    Organization.objects.update(updated_at="2020-03-02T00:00:00+08:00")
    zombie.scan(date(2026, 7, 1), "450102")
    return org, team


def test_campaign_from_candidates_and_outcomes(cast):
    org, team = _setup(cast)
    county = Division.objects.get(pk=COUNTY)
    with pytest.raises(PermissionDenied):
        campaigns.create_campaign(cast["street"], county, title="x", started_on=date(2026, 7, 2))
    campaign = campaigns.create_campaign(cast["county"], county, title="2026年兴宁区清理整治", threshold=50,
                                         started_on=date(2026, 7, 2))
    cases = {c.organization_id: c for c in campaign.cases.all()}
    assert set(cases) == {org.pk, team.pk}
    assert all(c.street_id == "450102001000" for c in cases.values())
    assert cases[org.pk].reasons and cases[org.pk].score >= 50

    with pytest.raises(PermissionDenied):
        campaigns.record_outcome(cases[org.pk], cast["community"], "resumed", date(2026, 7, 10))
    with pytest.raises(PermissionDenied):
        campaigns.record_outcome(cases[org.pk], cast["outsider_street"], "resumed", date(2026, 7, 10))
    with pytest.raises(ValidationError):
        campaigns.record_outcome(cases[org.pk], cast["street"], "cleared", date(2026, 7, 10))

    # the street records 注销 for a registered organization: proposed; the registering body confirms
    case = campaigns.record_outcome(cases[org.pk], cast["street"], "deregistered", date(2026, 7, 10), "已自行解散")
    assert case.state == "proposed"
    org.refresh_from_db()
    assert org.status == "active"
    with pytest.raises(PermissionDenied):
        campaigns.confirm(case, cast["street"])
    campaigns.confirm(case, cast["registrar"])
    org.refresh_from_db()
    assert org.status == "deregistered"
    change = StatusChange.objects.filter(organization=org).latest("effective_date", "id")
    assert change.reason == "清理整治 2026年兴宁区清理整治" and change.recorded_by == cast["registrar"]

    # 清理 of a filed group: made at once when the street may clear, else proposed for the filing body
    case = campaigns.record_outcome(cases[team.pk], cast["street"], "cleared", date(2026, 7, 11))
    if not can(cast["street"], "orgs.clear", team):
        assert case.state == "proposed"
        campaigns.confirm(case, cast["county"])
    team.refresh_from_db()
    assert team.status == "cleared"
    assert StatusChange.objects.filter(organization=team).latest("effective_date", "id").reason.startswith("清理整治")

    assert campaigns.summary(campaign)["注销"] == 1 and campaigns.summary(campaign)["清理"] == 1
    counts = campaigns.campaign_outcome_counts(county, (date(2026, 1, 1), date(2026, 12, 31)))
    assert counts["deregistered"] == 1 and counts["cleared"] == 1 and counts["resumed"] == 0
    assert campaigns.campaign_outcome_counts("450103", (date(2026, 1, 1), date(2026, 12, 31)))["cleared"] == 0


def test_resumed_and_selection(cast):
    org, _team = _setup(cast)
    county = Division.objects.get(pk=COUNTY)
    campaign = campaigns.create_campaign(cast["county"], county, title="专项", organization_ids=[org.pk],
                                         started_on=date(2026, 7, 2))
    case = CampaignCase.objects.get(campaign=campaign)
    campaigns.record_outcome(case, cast["street"], "resumed", date(2026, 7, 5), "已恢复活动")
    case.refresh_from_db()
    assert (case.state, case.outcome, case.decided_by) == ("decided", "resumed", cast["street"])
    org.refresh_from_db()
    assert org.status == "active"
    with pytest.raises(ValidationError):
        campaigns.record_outcome(case, cast["street"], "deregistered", date(2026, 7, 6))
