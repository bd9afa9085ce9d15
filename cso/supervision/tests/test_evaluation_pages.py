"""Grade evaluation through HTTP: the organization checks its eligibility, applies, self-scores and submits; the
bureau's evaluator and committee score; the result is published, an objection answered, the notice period passes
and the grade stands on the public list and the organization page. An ineligible organization is refused with its
reasons; another district can neither read nor act; spreadsheets carry no formulas."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cso.accounts.choices import Role
from cso.demo.testing import make_user
from cso.orgs.models import AccountLink
from cso.orgs.tests.factories import make_registered
from cso.supervision import evaluation_services as svc
from cso.supervision.evaluation_trees import DEFAULT_TREES, check, leaves, load_default_trees
from cso.supervision.models import Evaluation, Inspector, InspectorConflict, Score
from cso.supervision.tests.test_evaluation_rules import _report

TODAY = date(2026, 6, 1)


@pytest.fixture
def today(monkeypatch):
    state = {"day": TODAY}
    monkeypatch.setattr(svc, "today", lambda: state["day"])
    return state


@pytest.fixture
def org(cast):
    org = make_registered(cast["superuser"], registered_on=date(2024, 6, 1), name="兴宁区为民服务协会")
    AccountLink.objects.create(organization=org, user=cast["organization"], division=org.division)
    _report(org, 2025)
    return org


def _sheet(ev, value, **override):
    data = {f"score_{leaf.pk}": str(value(leaf)) for leaf in leaves(ev.tree)}
    data.update(override)
    return data


def test_the_default_trees_add_up_and_have_three_levels(cast):
    for _code, (_title, _track, total, nodes, _note) in DEFAULT_TREES.items():
        check(nodes, total)
    trees = load_default_trees()
    assert load_default_trees() == trees  # idempotent
    social = trees[0]
    assert social.indicators.filter(parent__parent__isnull=False).exists()  # third level
    assert sum(leaf.max_score for leaf in leaves(social)) == 1000
    assert sum(leaf.max_score for leaf in leaves(trees[2])) == 100 and "本平台建议" in trees[2].title


def test_whole_path_from_eligibility_to_a_standing_grade(cast, client, org, today):
    client.force_login(cast["organization"])
    page = client.get(reverse("supervision:evaluation_home"), follow=True).content.decode()
    assert 'data-testid="eligible"' in page and "登记满2个完整年度" in page
    tree = load_default_trees()[0]
    response = client.post(reverse("supervision:evaluation_apply"), {"org": org.uid, "tree": tree.pk})
    ev = Evaluation.objects.get(organization=org)
    assert response.url == reverse("supervision:evaluation_self", args=[ev.pk])
    assert ev.applied_by == cast["organization"]
    self_url = reverse("supervision:evaluation_self", args=[ev.pk])
    # a score above the indicator's points is refused beside its field, in Chinese; nothing is stored
    first = leaves(tree)[0]
    response = client.post(self_url, _sheet(ev, lambda leaf: leaf.max_score, **{f"score_{first.pk}": "99",
                                                                               "then": "submit"}))
    assert response.status_code == 200
    assert f"“{first.code} {first.title}”的得分应在0至{first.max_score}之间" in response.content.decode()
    assert not Score.objects.filter(evaluation=ev).exists()
    # a draft with part of the sheet, then the whole sheet submitted
    client.post(self_url, {f"score_{first.pk}": "20", "then": "save"})
    assert Evaluation.objects.get(pk=ev.pk).state == "applied"
    response = client.post(self_url, {f"score_{first.pk}": "20", "then": "submit"})
    assert "请填写得分" in response.content.decode()  # submitting needs every leaf
    client.post(self_url, _sheet(ev, lambda leaf: leaf.max_score, then="submit"))
    ev.refresh_from_db()
    assert ev.state == "self_scored" and ev.self_submitted_at
    client.post(self_url, _sheet(ev, lambda leaf: 0, then="submit"))  # immutable after submission
    assert Score.objects.get(evaluation=ev, indicator=first).self_score == first.max_score

    # the bureau: a conflicted evaluator may not score; the evaluator, then another account as committee
    conflicted = make_user("county_conflicted", Role.CIVIL_AFFAIRS, "450102000000")
    inspector = Inspector.objects.create(user=conflicted, division_id="450102000000")
    InspectorConflict.objects.create(inspector=inspector, organization=org, reason="近亲属任该会理事")
    client.force_login(conflicted)
    client.post(reverse("supervision:evaluation_evaluator", args=[ev.pk]), _sheet(ev, lambda leaf: 1))
    assert Evaluation.objects.get(pk=ev.pk).state == "self_scored"
    client.force_login(cast["county"])
    sheet = client.get(reverse("supervision:evaluation_evaluator", args=[ev.pk])).content.decode()
    assert 'data-testid="score-sheet"' in sheet and first.rule in sheet
    client.post(reverse("supervision:evaluation_evaluator", args=[ev.pk]),
                _sheet(ev, lambda leaf: leaf.max_score - 1, **{f"note_{first.pk}": "党建指导员未到位"}))
    ev.refresh_from_db()
    assert ev.state == "evaluated" and ev.evaluator == cast["county"]
    response = client.post(reverse("supervision:evaluation_committee", args=[ev.pk]), _sheet(ev, lambda leaf: 0))
    assert "评估人员以外的账号" in response.content.decode()
    committee = make_user("county_committee", Role.CIVIL_AFFAIRS, "450102000000")
    client.force_login(committee)
    client.post(reverse("supervision:evaluation_committee", args=[ev.pk]), _sheet(ev, lambda leaf: leaf.max_score))
    ev.refresh_from_db()
    assert ev.state == "committee" and ev.total == 1000 and ev.grade == "5A"
    client.post(reverse("supervision:evaluation_publish", args=[ev.pk]), {"text": "第一批"})
    ev.refresh_from_db()
    assert ev.state == "published" and ev.notice_until == TODAY + timedelta(days=7)

    # an objection during the notice period holds the result until it is answered
    client.force_login(cast["organization"])
    client.post(reverse("supervision:evaluation_object", args=[ev.pk]), {"text": "社会评价得分有误"})
    assert svc.finalise_due(ev.notice_until + timedelta(days=1)) == 0
    client.force_login(committee)
    objection = ev.objections.get()
    client.post(reverse("supervision:evaluation_reply", args=[ev.pk, objection.pk]), {"text": "经复核，维持原结果"})
    assert svc.finalise_due(ev.notice_until + timedelta(days=1)) == 1
    ev.refresh_from_db()
    assert ev.state == "final" and ev.valid_until == date(2031, 6, 8)
    kinds = list(ev.events.values_list("kind", "actor__username"))
    assert ("evaluator", "county") in kinds and ("committee", "county_committee") in kinds and kinds[-1][0] == "final"

    public = client.get(reverse("supervision:evaluation_public")).content.decode()
    assert org.name in public and "5A" in public
    client.force_login(cast["organization"])
    page = client.get(reverse("orgs:detail", args=[org.uid])).content.decode()
    assert 'data-testid="org-grade">5A' in page and "2031-06-08" in page
    client.force_login(cast["county"])
    detail = client.get(reverse("supervision:evaluation_detail", args=[ev.pk])).content.decode()
    assert "党建指导员未到位" in detail and "经复核，维持原结果" in detail
    assert 'data-testid="evaluation-grade">5A' in detail
    listing = client.get(reverse("supervision:evaluation_list"), {"grade": "5A", "year": "2026"}).content.decode()
    assert org.name in listing


def test_an_ineligible_organization_is_refused_with_its_reasons(cast, client, today):
    org = make_registered(cast["superuser"], registered_on=date(2024, 6, 1), name="未报年报协会")
    AccountLink.objects.create(organization=org, user=cast["organization"], division=org.division)
    client.force_login(cast["organization"])
    page = client.get(reverse("supervision:evaluation_mine")).content.decode()
    assert 'data-testid="ineligible"' in page and "未参加2025年度检查（未报送年度报告），不予评估" in page
    assert "民政部令第39号" in page
    tree = load_default_trees()[0]
    response = client.post(reverse("supervision:evaluation_apply"), {"org": org.uid, "tree": tree.pk}, follow=True)
    assert "不能申请" in response.content.decode() and not Evaluation.objects.exists()
    section = client.get(reverse("orgs:detail", args=[org.uid])).content.decode()
    assert 'data-testid="org-eligibility"' in section and "未报送年度报告" in section


def test_community_organizations_may_choose_the_lighter_tree(cast, org, today):
    trees = svc.trees_for(org)
    assert trees[0].code == "default-social-group" and "default-community" in [t.code for t in trees]
    org.is_community_org = False
    assert "default-community" not in [t.code for t in svc.trees_for(org)]


def test_another_district_can_neither_read_nor_act(cast, client, org, today):
    tree = load_default_trees()[0]
    ev = svc.apply(org, tree, TODAY)
    Evaluation.objects.filter(pk=ev.pk).update(state="committee", total=900, grade="5A")
    for name in ("outsider_county", "outsider_registrar"):
        client.force_login(cast[name])
        assert client.get(reverse("supervision:evaluation_detail", args=[ev.pk])).status_code == 404
        assert client.post(reverse("supervision:evaluation_publish", args=[ev.pk])).status_code == 404
        assert client.post(reverse("supervision:evaluation_committee", args=[ev.pk])).status_code == 404
        body = client.get(reverse("supervision:evaluation_list")).content.decode()
        assert org.name not in body
        csv = b"".join(client.get(reverse("supervision:evaluation_list"), {"format": "csv"}).streaming_content)
        assert org.name.encode() not in csv
    assert Evaluation.objects.get(pk=ev.pk).state == "committee"
    # another organization's account
    other = make_user("other_org", Role.ORGANIZATION, "450102001003")
    client.force_login(other)
    assert client.get(reverse("supervision:evaluation_detail", args=[ev.pk])).status_code == 404
    # the street reads the organization but is not a party to its evaluation
    client.force_login(cast["street"])
    assert client.get(reverse("supervision:evaluation_detail", args=[ev.pk])).status_code == 403


def test_the_export_neutralises_formulas(cast, client, today):
    org = make_registered(cast["superuser"], registered_on=date(2024, 6, 1), name="=HYPERLINK(1)协会")
    _report(org, 2025)
    svc.apply(org, load_default_trees()[0], TODAY)
    client.force_login(cast["county"])
    response = client.get(reverse("supervision:evaluation_list"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)协会" in text
    response = client.get(reverse("supervision:evaluation_list"), {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")


def test_the_bureau_weighs_the_published_inspection_results(cast, client, org, today):
    from django.utils import timezone

    from cso.supervision.models import InspectionPlan, InspectionResult, InspectionTarget

    plan = InspectionPlan.objects.create(division_id="450102000000", year=2026, title="2026年度双随机抽查", rate=3)
    target = InspectionTarget.objects.create(plan=plan, organization=org, org_uid=org.uid, rank=1, score="0",
                                             method="desk")
    InspectionResult.objects.create(target=target, method="desk", inspected_on=date(2026, 5, 12),
                                    findings="账目不清", conclusion="fix", fix_by=date(2026, 6, 30),
                                    published_at=timezone.now())
    ev = Evaluation.objects.create(organization=org, tree=load_default_trees()[0], year=2026, applied_on=TODAY,
                                   applied_by=cast["organization"])
    client.force_login(cast["county"])
    page = client.get(reverse("supervision:evaluation_detail", args=[ev.pk])).content.decode()
    assert 'data-testid="evaluation-inspections"' in page and "2026年度双随机抽查" in page and "2026-06-30" in page
    client.force_login(cast["organization"])  # the applicant's own view carries no bureau block
    page = client.get(reverse("supervision:evaluation_detail", args=[ev.pk])).content.decode()
    assert 'data-testid="evaluation-inspections"' not in page


def test_a_large_evaluation_export_goes_to_the_worker_with_formulas_neutralised(cast, client, today, settings):
    import io

    import openpyxl

    from cso.core.models import Job, JobStatus

    for name in ("=HYPERLINK(1)协会", "民生街道评估协会"):
        org = make_registered(cast["superuser"], registered_on=date(2024, 6, 1), name=name)
        _report(org, 2025)
        svc.apply(org, load_default_trees()[0], TODAY)
    settings.CSO_EXPORT_SYNC_ROWS = 1
    client.force_login(cast["county"])
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("supervision:evaluation_list"), {"format": fmt})
        assert response.status_code == 302
        job = Job.objects.filter(kind="supervision.evaluation_export").latest("pk")
        assert response["Location"] == reverse("core:job", args=[job.pk])
        assert job.status == JobStatus.DONE and job.user == cast["county"] and job.result_name.endswith(fmt)
        if fmt == "csv":
            text = bytes(job.result).decode("utf-8-sig")
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(bytes(job.result))).active
            text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
        assert "'=HYPERLINK(1)协会" in text and "民生街道评估协会" in text
    # the job's file is offered to the account that asked only
    client.force_login(cast["outsider_county"])
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 404
