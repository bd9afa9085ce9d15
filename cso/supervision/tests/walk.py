"""Objects of the credit lists in the sibling county, for the permission walk (tests/test_permission_walk.py).
The entry is a proposal: confirmed entries are published to everyone (the public lists), proposals to nobody."""

from datetime import date

from cso.supervision.models import EnforcementCase, ListEntry, Objection


def foreign_credit(organization, cast) -> dict:
    entry = ListEntry.objects.create(organization=organization, credit_list="abnormal", state="proposed",
                                     entered_on=date(2026, 1, 5), reason_code="unreachable", basis="新竹街道组织",
                                     chain=[])
    objection = Objection.objects.create(entry=entry, organization=organization, filed_by=cast["outsider_county"],
                                         text="新竹街道组织")
    case = EnforcementCase.objects.create(organization=organization, number="ZF-WALK-1", facts="新竹街道组织",
                                          opened_on=date(2026, 1, 5))
    return {"entry": entry.pk, "objection": objection.pk, "case": case.pk}


def foreign_zombie(organization, cast) -> dict:
    """A clean-up campaign of the sibling county with a case of its organization (清理整治)."""
    from cso.supervision.models import ActivityPhoto, ActivityRecord, Campaign, CampaignCase, ZombieScan, ZombieScore

    campaign = Campaign.objects.create(division_id="450103000000", title="新竹街道组织清理整治",
                                       started_on=date(2026, 1, 5))
    case = CampaignCase.objects.create(campaign=campaign, organization=organization, street_id="450103001000",
                                       reasons=[{"code": "no_activity", "label": "新竹街道组织", "text": "新竹街道组织",
                                                 "weight": 99, "facts": {}}], score=99)
    run = ZombieScan.objects.create(as_of=date(2026, 1, 5), division_prefix="450103", status="done")
    ZombieScore.objects.create(organization=organization, scan=run, score=99, scanned_on=date(2026, 1, 5),
                               reasons=case.reasons)
    activity = ActivityRecord.objects.create(organization=organization, date=date(2026, 1, 5), what="新竹街道组织",
                                             place="新竹社区居委会")
    ActivityPhoto.objects.create(record=activity, original_name="新竹街道组织.png", stored_name="2" * 32 + ".png",
                                 content_type="image/png", size=1, sha256="0" * 64)
    return {"campaign": campaign.pk, "campaign_case": case.pk, "activity": activity.pk}
