"""Over HTTP: the registering body records an enforcement penalty → the rules run → a proposed serious-list entry →
confirmed → published; the organization objects and the body answers; other counties' staff and other
organizations' accounts get 404s."""

from datetime import date

import pytest
from django.urls import reverse

from cso.orgs.models import AccountLink
from cso.orgs.tests.factories import make_registered
from cso.supervision import credit, credit_runner
from cso.supervision.models import CreditEvent, EnforcementCase, ListEntry, Objection

pytestmark = pytest.mark.django_db


def test_a_penalty_is_listed_confirmed_published_and_objected_to(cast, client, django_capture_on_commit_callbacks):
    org = make_registered(cast["superuser"], name="兴宁区诚信服务协会")
    AccountLink.objects.create(user=cast["organization"], organization=org, division_id=org.division_id)
    registrar = cast["registrar"]
    client.force_login(registrar)
    response = client.post(reverse("supervision:enforcement_open", args=[org.uid]),
                           {"facts": "未按规定使用资金", "basis": "", "opened_on": "2026-05-10"})
    case = EnforcementCase.objects.get()
    assert response.status_code == 302 and case.number.startswith("ZF2026-")
    response = client.post(reverse("supervision:enforcement_decide", args=[case.pk]), {
        "decision": "罚款8万元", "basis": "《社会团体登记管理条例》第三十条", "penalty_type": "fine",
        "fine_amount": "80000", "decided_on": "2026-06-01"})
    assert response.status_code == 302
    event = CreditEvent.objects.get()
    assert (event.kind, event.penalty_type, event.date, event.source_object) == ("penalty", "fine", date(2026, 6, 1),
                                                                                 case)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("supervision:credit_run")).status_code == 302
    entry = ListEntry.objects.get()
    assert (entry.credit_list, entry.state, entry.entered_on, entry.reason_code) == (
        "serious", "proposed", date(2026, 6, 1), "large_fine")
    page = client.get(reverse("supervision:credit_entries")).content.decode()
    assert org.name in page and "可于 2028-06-01 起申请移出严重违法失信名单" in page

    public = reverse("supervision:credit_public")
    client.logout()
    assert org.name not in client.get(public).content.decode()  # a proposal is not published

    client.force_login(registrar)
    response = client.post(reverse("supervision:credit_decide", args=[entry.pk]), {"decision": "confirm", "reason": ""})
    entry.refresh_from_db()
    assert entry.state == "proposed"  # the reason is required
    client.post(reverse("supervision:credit_decide", args=[entry.pk]),
                {"decision": "confirm", "reason": "罚款决定已生效"})
    entry.refresh_from_db()
    assert entry.state == "confirmed" and entry.decided_by == registrar

    client.logout()
    body = client.get(public).content.decode()
    assert org.name in body and org.credit_code in body and "5万元以上罚款" in body
    csv = b"".join(client.get(public, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert org.credit_code in csv and "严重违法失信名单" in csv
    xlsx = client.get(public, {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    client.force_login(cast["organization"])
    page = client.get(reverse("supervision:credit_org", args=[org.uid])).content.decode()
    assert "可于 2028-06-01 起申请移出" in page and 'data-testid="object-form"' in page
    client.post(reverse("supervision:credit_object", args=[entry.pk]), {"text": "罚款已缴清，请求复核"})
    objection = Objection.objects.get()
    assert objection.filed_by == cast["organization"]

    client.force_login(registrar)
    client.post(reverse("supervision:credit_answer", args=[objection.pk]), {"answer": "经复核，维持列入"})
    objection.refresh_from_db()
    assert objection.answer == "经复核，维持列入" and objection.answered_by == registrar


def test_another_countys_staff_and_another_organizations_account_get_404(cast, client):
    org = make_registered(cast["superuser"])
    other = make_registered(cast["superuser"])
    AccountLink.objects.create(user=cast["organization"], organization=other, division_id=other.division_id)
    credit.record_event(org, "unreachable", date(2026, 1, 5))
    credit_runner.start(date(2026, 2, 1), "")
    entry = ListEntry.objects.get()
    case = EnforcementCase.objects.create(organization=org, number="ZF2026-000001", facts="事实",
                                          opened_on=date(2026, 1, 5))
    urls = [("get", reverse("supervision:credit_org", args=[org.uid])),
            ("post", reverse("supervision:credit_decide", args=[entry.pk])),
            ("post", reverse("supervision:credit_object", args=[entry.pk])),
            ("get", reverse("supervision:enforcement_case", args=[case.pk])),
            ("post", reverse("supervision:enforcement_decide", args=[case.pk]))]
    for user in ("outsider_registrar", "outsider_county", "organization"):
        client.force_login(cast[user])
        for method, url in urls:
            response = getattr(client, method)(url, {"decision": "confirm", "reason": "x", "text": "x"})
            assert response.status_code == 404, (user, url)
    entry.refresh_from_db()
    assert entry.state == "proposed" and not Objection.objects.exists()
    # staff of the county who are not its registering body read the record but may not decide (403)
    client.force_login(cast["street"])
    assert client.get(reverse("supervision:credit_org", args=[org.uid])).status_code == 200
    assert client.post(reverse("supervision:credit_decide", args=[entry.pk]),
                       {"decision": "confirm", "reason": "x"}).status_code == 403


def test_staff_record_an_event_by_hand_with_clear_errors(cast, client):
    org = make_registered(cast["superuser"])
    client.force_login(cast["registrar"])
    url = reverse("supervision:credit_record", args=[org.uid])
    response = client.post(url, {"kind": "penalty", "date": "2026-01-05"}, follow=True)
    assert "处罚种类" in response.content.decode() and not CreditEvent.objects.exists()
    client.post(url, {"kind": "annual_report_missing", "date": "2026-06-30", "source": "2025年度工作报告"})
    assert CreditEvent.objects.get().recorded_by == cast["registrar"]


def test_the_organization_page_links_to_its_credit_record(cast, client):
    org = make_registered(cast["superuser"])
    client.force_login(cast["county"])
    body = client.get(reverse("orgs:detail", args=[org.uid])).content.decode()
    assert reverse("supervision:credit_org", args=[org.uid]) in body
    assert "信用监管" in client.get(reverse("supervision:credit_entries")).content.decode()


def test_enforcement_pages_list_open_and_decide_without_a_penalty(cast, client):
    org = make_registered(cast["superuser"])
    client.force_login(cast["county"])  # 县级民政局: 执法监察 of what is registered in the county (seed 000)
    form = client.get(reverse("supervision:enforcement_open", args=[org.uid]))
    assert form.status_code == 200 and "违法事实" in form.content.decode()
    response = client.post(reverse("supervision:enforcement_open", args=[org.uid]), {"facts": "", "opened_on": ""})
    assert "请填写违法事实" in response.content.decode() and not EnforcementCase.objects.exists()
    client.post(reverse("supervision:enforcement_open", args=[org.uid]),
                {"facts": "未按规定换届", "opened_on": "2026-03-01"})
    case = EnforcementCase.objects.get()
    assert case.number in client.get(reverse("supervision:enforcement_cases")).content.decode()
    page = client.get(reverse("supervision:enforcement_case", args=[case.pk])).content.decode()
    assert "作出决定" in page
    client.post(reverse("supervision:enforcement_decide", args=[case.pk]), {
        "decision": "责令改正", "basis": "章程", "penalty_type": "", "decided_on": "2026-02-01"})
    case.refresh_from_db()
    assert case.decided_on is None  # before the case was opened: refused
    client.post(reverse("supervision:enforcement_decide", args=[case.pk]), {
        "decision": "责令改正", "basis": "章程", "penalty_type": "", "decided_on": "2026-04-01"})
    case.refresh_from_db()
    assert case.decided_on == date(2026, 4, 1) and case.closed_on == date(2026, 4, 1)
    assert not CreditEvent.objects.exists()  # no penalty, no credit event
    client.force_login(cast["street"])
    assert client.get(reverse("supervision:enforcement_cases")).status_code == 403


@pytest.mark.parametrize("credit_list", ["abnormal", "serious"])
def test_confirming_a_proposed_entry_leaves_the_registry_status_alone(cast, client, credit_list):
    """A listing is a credit record, not a registry decision: confirming it neither marks the organization 活动异常
    nor records a status change (those are the registering body's own decisions, taken in the registry)."""
    org = make_registered(cast["superuser"], name="兴宁区名录协会")
    before = (org.status, org.history.count())
    entry = ListEntry.objects.create(organization=org, credit_list=credit_list, state="proposed",
                                     entered_on=date(2026, 3, 1), reason_code="unreachable", basis="测试",
                                     chain=[{"event": None, "on": "2026-03-01", "code": "unreachable"}])
    client.force_login(cast["registrar"])
    response = client.post(reverse("supervision:credit_decide", args=[entry.pk]),
                           {"decision": "confirm", "reason": "核实无误"})
    assert response.status_code == 302
    entry.refresh_from_db()
    org.refresh_from_db()
    assert entry.state == "confirmed"
    assert (org.status, org.history.count()) == before == ("active", before[1])
