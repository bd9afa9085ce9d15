"""The demo of zombie detection and clean-up in 兴宁区: a scan, a campaign, outcomes recorded by the street, one case
reassigned to another street."""

from datetime import date
from io import StringIO

from cso.demo import supervision_zombie as demo
from cso.demo.testing import make_user
from cso.orgs.models import Organization
from cso.orgs.tests.factories import make_filed, make_registered
from cso.supervision.models import ActivityRecord, Campaign, CaseReassignment, ZombieScan


def test_the_demo_scans_and_runs_a_campaign_and_runs_again(cast):
    make_user("xn_minzheng", "civil_affairs", "450102000000")
    make_user("minsheng_jd", "street", "450102001000")
    make_registered(cast["superuser"], registered_on=date(2019, 5, 1), founded_on=date(2019, 5, 1))
    make_filed(cast["superuser"], filed_on=date(2019, 3, 1))
    make_filed(cast["superuser"], filed_on=date(2019, 4, 1))  # left open, then reassigned
    visited = make_filed(cast["superuser"], filed_on=date(2025, 3, 1))  # the street records an activity of it
    Organization.objects.update(updated_at="2019-03-02T00:00:00+08:00")
    out = StringIO()
    demo.load(out)
    demo.load(out)
    assert ZombieScan.objects.count() == 1
    campaign = Campaign.objects.get()
    assert campaign.cases.count() == 3
    assert campaign.cases.exclude(outcome="").count() == 2
    move = CaseReassignment.objects.get()
    assert move.case.state == "open" and move.case.street_id == move.to_street_id == "450102002000"
    assert move.from_street_id == "450102001000" and move.reason and move.by.username == "xn_minzheng"
    assert "清理整治" in out.getvalue()
    assert [r.organization for r in ActivityRecord.objects.all()] == [visited]
