"""The whole programme path over HTTP: call → application (eligibility with reasons) → review with conflicts →
award within the budget → contract (custody for a filed group) → instalments → evaluations → archive; public pages."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cso.funding import services
from cso.funding.models import Application, Award, Decision, Programme
from cso.orgs.tests.factories import county_authority, credit_code, make_filed, make_registered

from .helpers import linked_org, programme, submitted

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_county_officer_creates_and_publishes_a_call_that_the_public_sees(cast, client):
    client.force_login(cast["county"])
    response = client.post(reverse("funding:programme_new"), {
        "title": "兴宁区公益创投大赛", "kind": "venture", "funder": "兴宁区民政局", "year": "2026", "budget": "50000",
        "opens_on": "2026-01-01", "closes_on": "2099-12-31", "grade_rule": "priority", "track_rule": "any",
        "cross_district": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    prog = Programme.objects.get(title="兴宁区公益创投大赛")
    assert prog.division_id == "450102000000" and prog.state == "draft"
    assert client.post(reverse("funding:publish", args=[prog.pk])).status_code == 302
    client.logout()
    body = client.get(reverse("funding:calls")).content.decode()
    assert "兴宁区公益创投大赛" in body


def test_an_organization_applies_with_a_budget_and_an_attachment(cast, client):
    prog = programme(cast["county"])
    org = linked_org(cast["organization"], cast["registrar"])
    client.force_login(cast["organization"])
    url = reverse("funding:apply", args=[prog.pk]) + f"?org={org.uid}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"org": org.uid, "title": "邻里守望", "plan": "每周探访", "requested": "5000",
                                 "budget": "活动物料 3000\n交通 2000",
                                 "files": SimpleUploadedFile("计划书.pdf", PDF, "application/pdf")})
    assert response.status_code == 302, response.content.decode()[:3000]
    app = Application.objects.get(organization=org)
    assert [(line.item, line.amount) for line in app.budget_lines.all()] == [("活动物料", 3000), ("交通", 2000)]
    att = app.attachments.get()
    assert att.original_name == "计划书.pdf" and len(att.sha256) == 64
    download = client.get(reverse("funding:attachment", args=[app.pk, att.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff" and "attachment" in download["Content-Disposition"]


def test_an_attachment_is_checked_by_its_content_and_refuses_the_whole_application(cast, client, settings,
                                                                                    tmp_path):
    settings.CSO_PRIVATE_MEDIA_ROOT = str(tmp_path)
    prog = programme(cast["county"])
    org = linked_org(cast["organization"], cast["registrar"])
    client.force_login(cast["organization"])
    url = reverse("funding:apply", args=[prog.pk]) + f"?org={org.uid}"
    response = client.post(url, {"org": org.uid, "title": "邻里守望", "plan": "每周探访", "requested": "5000",
                                 "files": [SimpleUploadedFile("计划书.pdf", PDF, "application/pdf"),
                                           SimpleUploadedFile("预算.pdf", b"MZ\x90\x00not a pdf", "application/pdf")]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "预算.pdf" in body and not Application.objects.filter(organization=org).exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # the first file was removed again


def test_a_file_is_served_only_within_its_own_application(cast, client, settings, tmp_path):
    from cso.core import attachments
    from cso.funding.models import Attachment

    settings.CSO_PRIVATE_MEDIA_ROOT = str(tmp_path)
    prog = programme(cast["county"])
    mine = linked_org(cast["organization"], cast["registrar"])
    other = make_registered(cast["registrar"])
    app = services.apply(prog, mine, cast["organization"], title="甲", plan="甲", requested=Decimal("100"), lines=[],
                         files=[SimpleUploadedFile("甲.pdf", PDF, "application/pdf")])
    theirs = services.apply(prog, other, cast["registrar"], title="乙", plan="乙", requested=Decimal("100"),
                            lines=[], files=[SimpleUploadedFile("乙.pdf", PDF, "application/pdf")])
    their_file = theirs.attachments.get()
    client.force_login(cast["organization"])
    assert client.get(reverse("funding:attachment", args=[app.pk, their_file.pk])).status_code == 404
    assert client.get(reverse("funding:attachment", args=[theirs.pk, their_file.pk])).status_code == 404
    assert client.get(reverse("funding:attachment", args=[app.pk, app.attachments.get().pk])).status_code == 200
    assert Attachment in attachments.file_models()
    Attachment.objects.filter(pk=their_file.pk).delete()  # a row gone: the sweep removes its file
    assert attachments.sweep_orphans(older_than=timedelta(0)) == 1
    assert app.attachments.get().open().read() == PDF


def test_an_ineligible_applicant_is_refused_with_each_reason(cast, client):
    prog = programme(cast["county"], track_rule="registered", rural_only=True, grade_rule="required", min_grade="3A")
    group = linked_org(cast["organization"], cast["street"], filed=True)
    client.force_login(cast["organization"])
    response = client.post(reverse("funding:apply", args=[prog.pk]), {
        "org": group.uid, "title": "太极", "plan": "练拳", "requested": "1000"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "仅限依法登记的组织" in body and "仅限农村社区" in body and "要求评估等级3A及以上" in body
    assert not Application.objects.exists()


def test_other_districts_only_where_the_call_allows(cast, client):
    closed_prog = programme(cast["county"], cross_district=False)
    open_prog = programme(cast["county"], title="跨区购买服务", cross_district=True, kind="purchase")
    org = linked_org(cast["organization"], cast["superuser"], division="450103001005",
                     registration_authority=county_authority("450103000000"), credit_code=credit_code("1", "450103"))
    with pytest.raises(services.Ineligible) as refused:
        submitted(closed_prog, org, cast["organization"])
    assert any(r.code == "district" for r in refused.value.reasons)
    app = submitted(open_prog, org, cast["organization"])
    assert any(r["code"] == "cross_district" for r in app.eligibility)


def _reviewed(cast, budget="50000", requested="30000"):
    prog = programme(cast["county"], budget=Decimal(budget))
    prog.reviewers.add(cast["county"])
    org = linked_org(cast["organization"], cast["registrar"])
    app = submitted(prog, org, cast["organization"], requested)
    services.score(app, cast["county"], Decimal("88"))
    return prog, org, app


def test_a_reviewer_with_a_conflict_cannot_score(cast, client):
    prog, _org, app = _reviewed(cast)
    prog.reviewers.add(cast["city"])
    client.force_login(cast["city"])
    client.post(reverse("funding:conflict", args=[app.pk]), {"reason": "本人为该组织理事"})
    client.post(reverse("funding:score", args=[app.pk]), {"points": "99"})
    assert list(app.scores.values_list("points", flat=True)) == [Decimal("88")]
    assert Decision.objects.filter(application=app, action="conflict", by=cast["city"]).exists()
    # someone not chosen as a reviewer cannot score either
    client.force_login(cast["province"])
    client.post(reverse("funding:score", args=[app.pk]), {"points": "10"})
    assert app.scores.count() == 1


def test_an_award_over_the_budget_is_refused(cast, client):
    prog, _org, app = _reviewed(cast, budget="50000", requested="30000")
    other = linked_org(cast["organization"], cast["registrar"])
    app2 = submitted(prog, other, cast["organization"], "30000")
    services.score(app2, cast["county"], Decimal("70"))
    client.force_login(cast["county"])
    client.post(reverse("funding:award_it", args=[app.pk]), {"amount": "30000", "reason": "评审第一"})
    response = client.post(reverse("funding:award_it", args=[app2.pk]), {"amount": "30000", "reason": "第二"},
                           follow=True)
    assert "预算不足" in response.content.decode()
    assert Award.objects.count() == 1 and Application.objects.get(pk=app2.pk).state == "submitted"
    client.post(reverse("funding:award_it", args=[app2.pk]), {"amount": "20000", "reason": "用完结余"})
    assert services.committed(prog) == Decimal("50000")


def test_contract_instalments_evaluations_and_archive(cast, client):
    _prog, _org, app = _reviewed(cast)
    award = services.award(app, Decimal("30000"), cast["county"], "评审第一")
    client.force_login(cast["county"])
    move = lambda m, data: client.post(reverse(f"funding:{m}", args=[award.pk]), data)  # noqa: E731
    move("contract", {"number": "XN-2026-01", "signed_on": "2026-03-01", "instalments": "2"})
    move("disburse", {"amount": "20000", "paid_on": "2026-03-05"})
    response = client.post(reverse("funding:disburse", args=[award.pk]),
                           {"amount": "20000", "paid_on": "2026-06-05"}, follow=True)
    assert "超过立项金额" in response.content.decode()
    move("evaluate", {"stage": "mid", "passed": "1", "evaluated_on": "2026-06-30", "beneficiaries": "300",
                      "activities": "12", "volunteer_hours": "200", "findings": "进度正常"})
    move("disburse", {"amount": "10000", "paid_on": "2026-07-05"})
    move("evaluate", {"stage": "final", "passed": "1", "evaluated_on": "2026-12-20", "beneficiaries": "800",
                      "activities": "30", "volunteer_hours": "500", "findings": "成效良好"})
    move("archive", {"reason": "结项归档"})
    award.refresh_from_db()
    assert (award.paid, award.state) == (Decimal("30000"), "archived")
    assert list(Decision.objects.filter(application=app).values_list("action", flat=True)) == [
        "submitted", "scored", "awarded", "contracted", "disbursed", "evaluated_mid", "disbursed", "evaluated_final",
        "archived"]


def test_a_failed_mid_term_evaluation_stops_later_instalments(cast):
    _prog, _org, app = _reviewed(cast)
    award = services.award(app, Decimal("30000"), cast["county"], "评审第一")
    services.sign(award, cast["county"], number="1", signed_on=date(2026, 3, 1), instalments=3)
    services.evaluate(award, cast["county"], stage="mid", passed=False, evaluated_on=date(2026, 6, 1),
                      findings="未开展")
    with pytest.raises(Exception, match="停止拨款"):
        services.disburse(award, cast["county"], amount=Decimal("1000"), paid_on=date(2026, 6, 2))


def _filed_award(cast):
    prog = programme(cast["county"])
    prog.reviewers.add(cast["county"])
    group = linked_org(cast["organization"], cast["street"], filed=True)
    app = submitted(prog, group, cast["organization"], "8000")
    services.score(app, cast["county"], Decimal("80"))
    return services.award(app, Decimal("8000"), cast["county"], "社区需要")


def _centre(operator, division="450102001000", kind="centre"):
    from cso.support.models import Place

    return Place.objects.create(kind=kind, name=f"{operator.name}（载体）", division_id=division, operator=operator)


def _sign(cast, award, custodian=None):
    return services.sign(award, cast["county"], number="2", signed_on=date(2026, 3, 1), instalments=1,
                         custodian=custodian)


def test_a_filed_group_is_paid_through_the_operator_of_its_streets_service_centre(cast):
    award = _filed_award(cast)
    centre = make_registered(cast["registrar"], name="民生街道社会组织服务中心")
    _centre(centre)
    with pytest.raises(Exception, match="财务代管"):
        _sign(cast, award)
    assert list(services.eligible_custodians(award.organization)) == [centre]
    contract = _sign(cast, award, centre)
    assert contract.custodian == centre
    assert award.application.decisions.get(action="contracted").reason.endswith("由民生街道社会组织服务中心财务代管")


def test_an_organization_named_like_a_service_centre_is_not_a_custodian(cast):
    award = _filed_award(cast)
    named = make_registered(cast["registrar"], name="民生街道社会组织服务中心", tags=["社会组织服务中心"])
    with pytest.raises(Exception, match="培育载体") as refused:
        _sign(cast, award, named)
    assert services.NO_CENTRE in str(refused.value)
    other_kind = make_registered(cast["registrar"], name="民生街道书画协会")
    _centre(other_kind, kind="hub")  # operating a hub's premises is not a service centre
    with pytest.raises(Exception, match="社会组织服务中心"):
        _sign(cast, award, other_kind)
    filed_operator = make_filed(cast["street"], name="民生街道服务队")
    _centre(filed_operator)
    with pytest.raises(Exception, match="存续的依法登记的组织"):
        _sign(cast, award, filed_operator)
    assert not hasattr(Award.objects.get(pk=award.pk), "contract")


def test_the_service_centre_of_another_street_is_not_a_custodian(cast):
    award = _filed_award(cast)
    elsewhere = make_registered(cast["registrar"], name="朝阳街道社会组织服务中心", division="450102002001")
    _centre(elsewhere, division="450102002000")
    with pytest.raises(Exception, match="所在的街道（乡镇）的社会组织服务中心的运营方"):
        _sign(cast, award, elsewhere)
    # an operator living in this street but running the centre of another street is refused too
    here = make_registered(cast["registrar"], name="兴宁社区服务社")
    _centre(here, division="450102002000")
    with pytest.raises(Exception, match="运营方"):
        _sign(cast, award, here)


def test_without_a_service_centre_the_contract_form_tells_the_clerk_to_record_one(cast, client):
    award = _filed_award(cast)
    client.force_login(cast["county"])
    page = client.get(reverse("funding:award", args=[award.pk])).content.decode()
    assert "培育扶持 → 培育载体" in page and 'data-testid="no-centre"' in page
    response = client.post(reverse("funding:contract", args=[award.pk]),
                           {"number": "2", "signed_on": "2026-03-01", "instalments": "1"}, follow=True)
    assert "尚未录入社会组织服务中心" in response.content.decode()
    assert not hasattr(Award.objects.get(pk=award.pk), "contract")


def test_the_contract_form_offers_the_streets_custodians(cast, client):
    award = _filed_award(cast)
    centre = make_registered(cast["registrar"], name="民生街道社会组织服务中心")
    _centre(centre)
    elsewhere = make_registered(cast["registrar"], name="朝阳街道社会组织服务中心", division="450102002001")
    _centre(elsewhere, division="450102002000")
    client.force_login(cast["county"])
    page = client.get(reverse("funding:award", args=[award.pk])).content.decode()
    assert f'value="{centre.pk}"' in page and "朝阳街道社会组织服务中心" not in page
    assert 'data-testid="no-centre"' not in page
    refused = client.post(reverse("funding:contract", args=[award.pk]), {
        "number": "2", "signed_on": "2026-03-01", "instalments": "1", "custodian": str(elsewhere.pk)}, follow=True)
    assert "财务代管单位" in refused.content.decode()
    assert not hasattr(Award.objects.get(pk=award.pk), "contract")
    client.post(reverse("funding:contract", args=[award.pk]), {
        "number": "2", "signed_on": "2026-03-01", "instalments": "1", "custodian": str(centre.pk)})
    assert Award.objects.get(pk=award.pk).contract.custodian == centre


def test_every_award_is_public_and_on_the_organization_page(cast, client):
    prog, org, app = _reviewed(cast)
    services.award(app, Decimal("30000"), cast["county"], "评审第一")
    body = client.get(reverse("funding:disclosure")).content.decode()
    assert org.name in body and "30000.00" in body and prog.title in body
    client.force_login(cast["street"])
    page = client.get(reverse("orgs:detail", args=[org.uid])).content.decode()
    assert 'data-testid="funding-section"' in page and "30000.00" in page


def test_bureau_staff_record_qualifications_and_outsiders_cannot(cast, client):
    org = make_registered(cast["registrar"])
    data = {"kind": "tax_exempt", "granted_on": "2025-01-01", "valid_until": "2029-12-31", "basis": "南财税〔2025〕1号"}
    client.force_login(cast["outsider_county"])
    assert client.post(reverse("funding:qualification_add", args=[org.uid]), data).status_code == 404
    client.force_login(cast["county"])
    client.post(reverse("funding:qualification_add", args=[org.uid]), data)
    assert org.qualifications.get().basis == "南财税〔2025〕1号"


def test_outsiders_can_neither_read_nor_change(cast, client):
    prog, _org, app = _reviewed(cast)
    client.force_login(cast["outsider_county"])
    assert client.get(reverse("funding:programme", args=[prog.pk])).status_code == 404
    assert client.get(reverse("funding:application", args=[app.pk])).status_code == 404
    assert client.post(reverse("funding:award_it", args=[app.pk]),
                       {"amount": "1", "reason": "x"}).status_code == 404
    assert client.post(reverse("funding:close", args=[prog.pk])).status_code == 404
    money = client.get(reverse("funding:money"), {"division": "450102000000"})
    assert money.status_code == 404
    assert Application.objects.get(pk=app.pk).state == "submitted"


def test_guidance_lists_are_kept_and_published_per_division(cast, client):
    client.force_login(cast["county"])
    client.post(reverse("funding:guidance_manage"), {"kind": "project_list", "year": "2026",
                                                    "title": "兴宁区购买社区公共服务项目清单",
                                                    "items": "社区养老服务｜助餐、助洁\n社区矫正"})
    client.logout()
    assert "兴宁区购买社区公共服务项目清单" not in client.get(reverse("funding:guidance")).content.decode()
    client.force_login(cast["county"])
    from cso.funding.models import GuidanceList

    g = GuidanceList.objects.get()
    client.post(reverse("funding:guidance_publish", args=[g.pk]))
    client.logout()
    body = client.get(reverse("funding:guidance")).content.decode()
    assert "兴宁区购买社区公共服务项目清单" in body and "助餐、助洁" in body


def test_the_applicant_hears_of_the_eligibility_check_and_the_award(cast, django_capture_on_commit_callbacks):
    from cso.notices.models import Notification

    prog = programme(cast["county"])
    prog.reviewers.add(cast["county"])
    org = linked_org(cast["organization"], cast["registrar"])
    with django_capture_on_commit_callbacks(execute=True):
        app = submitted(prog, org, cast["organization"])
    services.score(app, cast["county"], Decimal("80"))
    with django_capture_on_commit_callbacks(execute=True):
        services.award(app, Decimal("20000"), cast["county"], "评审通过")
    titles = set(Notification.objects.filter(recipient=cast["organization"]).values_list("title", flat=True))
    assert titles == {"资金扶持申报已提交，资格审查通过", "资金扶持申报已立项"}


def test_reviewers_see_the_applicants_published_inspection_results(cast, client):
    from django.utils import timezone

    from cso.supervision.models import InspectionPlan, InspectionResult, InspectionTarget

    prog = programme(cast["county"])
    org = linked_org(cast["organization"], cast["registrar"])
    app = submitted(prog, org, cast["organization"])
    plan = InspectionPlan.objects.create(division_id="450102000000", year=2026, title="2026年度双随机抽查", rate=3)
    target = InspectionTarget.objects.create(plan=plan, organization=org, org_uid=org.uid, rank=1, score="0",
                                             method="site")
    InspectionResult.objects.create(target=target, method="site", inspected_on=date(2026, 5, 12), findings="账目不清",
                                    conclusion="fix", fix_by=date(2026, 6, 30), published_at=timezone.now())
    client.force_login(cast["county"])
    page = client.get(reverse("funding:application", args=[app.pk])).content.decode()
    assert 'data-testid="application-inspections"' in page and "2026年度双随机抽查" in page
    client.force_login(cast["organization"])  # the applicant's own page carries no reviewer block
    page = client.get(reverse("funding:application", args=[app.pk])).content.decode()
    assert 'data-testid="application-inspections"' not in page
