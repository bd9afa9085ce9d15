"""Activity records over HTTP (the organization's own account and the street record; the photo is checked by content
and served only to those who may read; the record feeds the zombie score) and the supervision blocks of the
organization page (credit status with reason chain and timers, published inspection results) — shown only to
accounts that may read them; another county's staff get 404s."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cso.orgs.models import AccountLink, Organization
from cso.orgs.tests.factories import make_filed, make_registered
from cso.supervision import activities, zombie
from cso.supervision.models import (
    ActivityRecord,
    InspectionPlan,
    InspectionResult,
    InspectionTarget,
    ListEntry,
    ZombieScore,
)
from cso.supervision.tests.test_annual_flow import PNG

pytestmark = pytest.mark.django_db


def _signals(org) -> set[str]:
    zombie.scan(timezone.localdate(), "450102")
    score = ZombieScore.objects.filter(organization=org).first()
    return {r["code"] for r in score.reasons} if score else set()


@pytest.fixture
def org(cast):
    org = make_registered(cast["superuser"], name="兴宁区邻里互助协会", registered_on=date(2020, 5, 1))
    AccountLink.objects.create(user=cast["organization"], organization=org, division_id=org.division_id)
    return org


def test_the_organization_and_the_street_record_activities_which_feed_the_zombie_score(cast, client, org):
    page = reverse("supervision:org_activities", args=[org.uid])
    Organization.objects.filter(pk=org.pk).update(updated_at=timezone.make_aware(datetime(2024, 1, 1)))
    assert "no_activity" in _signals(org)

    client.force_login(cast["organization"])
    # a photo that is not what it says is refused, naming the field; nothing is recorded
    body = client.post(page, {"date": timezone.localdate().isoformat(), "what": "邻里节", "place": "社区广场",
                              "participants": "40",
                              "photo": SimpleUploadedFile("合影.jpg", b"MZ not a jpeg", content_type="image/jpeg")},
                       ).content.decode()
    assert "照片" in body and not ActivityRecord.objects.exists()
    response = client.post(page, {"date": timezone.localdate().isoformat(), "what": "邻里节", "place": "社区广场",
                                  "participants": "40",
                                  "photo": SimpleUploadedFile("合影.png", PNG, content_type="image/png")})
    assert response.status_code == 302
    record = ActivityRecord.objects.get()
    assert (record.what, record.place, record.participants, record.recorded_by) == (
        "邻里节", "社区广场", 40, cast["organization"])
    assert record.photo.content_type == "image/png" and record.photo.original_name == "合影.png"
    assert record.photo.size == len(record.photo.open().read()) and record.photo.uploaded_by == cast["organization"]
    # a future date is refused
    client.post(page, {"date": date(2099, 1, 1).isoformat(), "what": "未来活动"})
    assert ActivityRecord.objects.count() == 1

    client.force_login(cast["street"])
    assert client.post(page, {"date": "2026-01-05", "what": "街道走访时见到的义诊"}).status_code == 302
    assert ActivityRecord.objects.count() == 2
    listing = client.get(page).content.decode()
    assert "邻里节" in listing and "街道走访时见到的义诊" in listing
    photo = client.get(reverse("supervision:activity_photo", args=[record.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert photo["Content-Security-Policy"].startswith("default-src 'none'")

    # the county reads but does not record (the table: organization, street, community)
    client.force_login(cast["county"])
    assert client.get(page).status_code == 200
    assert client.post(page, {"date": "2026-01-06", "what": "县里记录"}).status_code == 403
    # another county: 404 for the page, the form and the photo; nothing recorded
    client.force_login(cast["outsider_county"])
    assert client.get(page).status_code == 404
    assert client.post(page, {"date": "2026-01-06", "what": "外区记录"}).status_code == 404
    assert client.get(reverse("supervision:activity_photo", args=[record.pk])).status_code == 404
    client.force_login(cast["outsider_street"])
    assert client.post(page, {"date": "2026-01-06", "what": "外街记录"}).status_code == 404
    assert ActivityRecord.objects.count() == 2

    assert "no_activity" not in _signals(org)


def _inspected(cast, org):
    plan = InspectionPlan.objects.create(division_id="450102000000", year=2026, title="2026年度兴宁区随机抽查",
                                         rate=Decimal("10"), site_share=Decimal("0"), state="published")
    target = InspectionTarget.objects.create(plan=plan, organization=org, org_uid=org.uid, rank=1, score="0",
                                             method="desk")
    return InspectionResult.objects.create(target=target, method="desk", inspected_on=date(2026, 5, 12),
                                           findings="账目不清（内部记录）", conclusion="fix", fix_by=date(2026, 6, 30),
                                           recorded_by=cast["county"])


def test_the_organization_page_shows_credit_status_and_published_inspections_to_those_who_may(cast, client, org):
    ListEntry.objects.create(organization=org, credit_list="abnormal", state="confirmed", entered_on=date(2026, 3, 1),
                             reason_code="unreachable", basis="《社会组织信用信息管理办法》第十八条",
                             chain=[{"event": None, "on": "2026-03-01", "code": "unreachable",
                                     "label": "通过登记的住所无法与社会组织取得联系"}],
                             escalates_on=date(2028, 3, 1), earliest_exit_on=date(2026, 9, 1))
    result = _inspected(cast, org)
    detail = reverse("orgs:detail", args=[org.uid])

    for name in ("county", "street", "organization"):
        client.force_login(cast[name])
        body = client.get(detail).content.decode()
        assert 'data-testid="section-credit"' in body, name
        assert "通过登记的住所无法与社会组织取得联系" in body and "2028-03-01" in body  # reason chain and timer
        # results not yet published are not shown
        assert 'data-testid="section-inspections"' not in body
        assert 'data-testid="section-activities"' in body

    result.published_at = timezone.now()
    result.save()
    client.force_login(cast["organization"])
    body = client.get(detail).content.decode()
    assert "2026年度兴宁区随机抽查" in body and "2026-06-30" in body
    assert "账目不清" not in body  # the findings' free text stays inside

    for name in ("outsider_county", "outsider_street", "outsider_registrar"):
        client.force_login(cast[name])
        assert client.get(detail).status_code == 404, name


def test_a_filed_group_has_no_credit_block_and_a_clear_organization_says_so(cast, client, org):
    team = make_filed(cast["superuser"], name="兴宁社区舞蹈队")
    client.force_login(cast["street"])
    assert 'data-testid="section-credit"' not in client.get(reverse("orgs:detail", args=[team.uid])).content.decode()
    body = client.get(reverse("orgs:detail", args=[org.uid])).content.decode()
    assert 'data-testid="section-credit-clear"' in body


def test_the_photo_of_another_districts_activity_record_is_404(cast, client, org):
    foreign = make_filed(cast["superuser"], name="新竹社区太极拳队", division="450103001005")
    record = activities.add(foreign, cast["superuser"], on=timezone.localdate(), what="新竹社区展演",
                            photo=SimpleUploadedFile("展演.png", PNG, content_type="image/png"))
    assert record.photo.stored_name and record.photo.size > 0
    url = reverse("supervision:activity_photo", args=[record.pk])
    for name in ("county", "street", "community", "organization"):
        client.force_login(cast[name])
        assert client.get(url).status_code == 404, name
    client.force_login(cast["outsider_county"])
    assert client.get(url).status_code == 200
    # a record without a photo answers 404 too
    plain = activities.add(org, cast["superuser"], on=timezone.localdate(), what="没有照片")
    client.force_login(cast["county"])
    assert client.get(reverse("supervision:activity_photo", args=[plain.pk])).status_code == 404
