"""Random inspections over HTTP: plan → draw → publish → notice → results → follow-up → public page;
another county's staff gets 404, a community clerk 403, and nothing changes."""

import hashlib

import pytest

from cso.demo.testing import make_user
from cso.orgs.tests.factories import credit_code, make_registered
from cso.supervision.models import InspectionPlan, InspectionResult, InspectionTarget, Inspector, InspectorConflict

COUNTY = "450102000000"


@pytest.fixture
def registry(cast):
    orgs = [make_registered(cast["superuser"], name=f"兴宁区抽查协会{i:02d}") for i in range(30)]
    for name in ("county", "registrar"):
        Inspector.objects.create(user=cast[name], division_id=COUNTY, added_by=cast["county"])
    return orgs


def _create_plan(client, **extra):
    data = {"year": "2026", "kind": "yearly", "title": "2026年度兴宁区社会组织随机抽查", "matter": "年度报告",
            "org_type": "", "rate": "10", "site_share": "100", "inspectors_per_visit": "2", **extra}
    return client.post("/supervision/inspections/new/", data)


def test_plan_draw_publish_record_and_publish_results(cast, login, client, registry):
    c = login(cast["county"])
    body = c.post("/supervision/inspections/new/", {"year": "2026", "kind": "yearly", "title": "预览", "rate": "10",
                                                   "site_share": "100", "inspectors_per_visit": "2",
                                                   "preview": "1"}).content.decode()
    assert "符合条件的组织 <strong>30</strong> 个" in body and "将抽取 <strong>3</strong> 个" in body
    assert not InspectionPlan.objects.exists()  # a preview saves nothing

    response = _create_plan(c)
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and plan.created_by == cast["county"] and plan.division_id == COUNTY
    assert len(plan.seed) == 32
    # commit–reveal: only SHA-256(seed) is published with the plan; the seed stays hidden until the draw
    assert plan.seed_commitment == hashlib.sha256(plan.seed.encode()).hexdigest()
    page = c.get(f"/supervision/inspections/{plan.pk}/").content.decode()
    assert plan.seed_commitment in page and plan.seed not in page
    client.logout()
    announced = client.get(f"/supervision/inspections/public/{plan.pk}/").content.decode()
    assert plan.seed_commitment in announced and plan.seed not in announced and "尚未抽取" in announced
    c = login(cast["county"])

    assert c.post(f"/supervision/inspections/{plan.pk}/draw/").status_code == 302
    plan.refresh_from_db()
    assert plan.state == "drawn" and plan.targets.count() == 3  # ceil(10 % × 30)
    page = c.get(f"/supervision/inspections/{plan.pk}/").content.decode()
    assert "与记录的抽查名单一致" in page and plan.seed in page and "与承诺值相符" in page
    # the seed is revealed at the draw; the list is not public yet
    client.logout()
    announced = client.get(f"/supervision/inspections/public/{plan.pk}/").content.decode()
    assert plan.seed in announced and "与承诺值相符" in announced
    assert not any(t.organization.name in announced for t in plan.targets.all())

    c = login(cast["county"])
    c.post(f"/supervision/inspections/{plan.pk}/publish/")
    plan.refresh_from_db()
    assert plan.state == "published" and plan.published_by == cast["county"]

    target = plan.targets.order_by("rank").first()
    assert target.method == "site" and len(target.assigned) == 2
    # the assigned registrar finds the visit on its own page and may open it, not the plan
    r = login(cast["registrar"])
    mine = Inspector.objects.get(user=cast["registrar"])
    own_page = r.get(f"/supervision/inspections/inspectors/{mine.pk}/conflicts/").content.decode()
    assert target.organization.name in own_page
    assert r.get(f"/supervision/inspections/targets/{target.pk}/").status_code == 200
    assert r.get(f"/supervision/inspections/{plan.pk}/").status_code == 403
    c = login(cast["county"])
    c.post(f"/supervision/inspections/targets/{target.pk}/", {"action": "visit", "visit_on": "2026-05-12"})
    notice = c.get(f"/supervision/inspections/targets/{target.pk}/notice/").content.decode()
    assert target.organization.name in notice and "民发〔2017〕45号" in notice and "2026年5月12日" in notice
    assert all(row.inspector.user.display_name in notice for row in target.assigned)

    # a missing deadline for a "fix" conclusion is named in Chinese and records nothing
    body = c.post(f"/supervision/inspections/targets/{target.pk}/", {
        "action": "result", "method": "site", "inspected_on": "2026-05-12", "findings": "未按时提交年度报告",
        "conclusion": "fix"}).content.decode()
    assert "请填写整改期限" in body and not InspectionResult.objects.exists()
    c.post(f"/supervision/inspections/targets/{target.pk}/", {
        "action": "result", "method": "site", "inspected_on": "2026-05-12", "findings": "未按时提交年度报告",
        "conclusion": "fix", "fix_by": "2026-06-30"})
    result = InspectionResult.objects.get()
    assert result.recorded_by == cast["county"] and result.published_at is None
    c.post(f"/supervision/inspections/targets/{target.pk}/", {
        "action": "follow_up", "follow_up": "已补报年度报告", "follow_up_on": "2026-06-20"})
    result.refresh_from_db()
    assert result.follow_up == "已补报年度报告" and result.follow_up_by == cast["county"]

    client.logout()
    public = client.get(f"/supervision/inspections/public/{plan.pk}/").content.decode()
    assert plan.seed in public and target.organization.name in public and "结果尚未公开" in public
    assert "与公示名单一致" in public
    assert cast["county"].username not in public and cast["registrar"].username not in public  # no personal data

    c = login(cast["county"])
    c.post(f"/supervision/inspections/{plan.pk}/publish-results/")
    result.refresh_from_db()
    assert result.published_by == cast["county"]
    client.logout()
    public = client.get(f"/supervision/inspections/public/{plan.pk}/").content.decode()
    assert "发现问题，责令限期整改" in public and "2026-06-30" in public
    assert "未按时提交年度报告" not in public  # the findings' free text stays inside

    from cso.supervision.inspections import published_results

    assert list(published_results(target.organization)) == [result]


def test_another_countys_staff_gets_404_and_a_community_clerk_403(cast, login, client, registry):
    _create_plan(login(cast["county"]))
    plan = InspectionPlan.objects.get()
    c = login(cast["outsider_county"])
    assert c.get(f"/supervision/inspections/{plan.pk}/").status_code == 404
    assert c.post(f"/supervision/inspections/{plan.pk}/draw/").status_code == 404
    assert c.post(f"/supervision/inspections/{plan.pk}/publish/").status_code == 404
    c = login(cast["community"])
    assert c.get("/supervision/inspections/").status_code == 403
    assert c.post("/supervision/inspections/new/", {"year": "2026", "title": "x", "rate": "10"}).status_code == 403
    assert c.get(f"/supervision/inspections/{plan.pk}/").status_code == 404  # outside its community
    # the registrar of the same county sees the plan's division but may not draw
    c = login(cast["registrar"])
    assert c.post(f"/supervision/inspections/{plan.pk}/draw/").status_code == 403
    plan.refresh_from_db()
    assert plan.state == "draft" and not InspectionTarget.objects.exists()


def test_a_rate_below_the_minimum_is_refused_naming_the_field(cast, login, registry):
    body = _create_plan(login(cast["county"]), rate="2").content.decode()
    assert "抽查比例不得低于本级的最低比例3%" in body
    assert not InspectionPlan.objects.exists()


def test_inspectors_pool_and_declared_conflicts(cast, login, registry):
    c = login(cast["county"])
    helper = make_user("xn_inspector", "civil_affairs", COUNTY, full_name="韦检查")
    c.post("/supervision/inspections/inspectors/", {"user": helper.pk, "badge": "GX-0042"})
    inspector = Inspector.objects.get(user=helper)
    assert inspector.added_by == cast["county"] and inspector.badge == "GX-0042"
    # a street clerk cannot be put into the pool
    page = c.get("/supervision/inspections/inspectors/").content.decode()
    assert cast["street"].username not in page.split('data-testid="add-inspector"')[1]
    c.post(f"/supervision/inspections/inspectors/{inspector.pk}/active/", {"reason": "借调外单位"})
    inspector.refresh_from_db()
    assert not inspector.active and inspector.change_reason == "借调外单位"

    # the registrar (an inspector) declares a conflict for itself, not for someone else
    r = login(cast["registrar"])
    mine = Inspector.objects.get(user=cast["registrar"])
    own_page = f"/supervision/inspections/inspectors/{mine.pk}/conflicts/"
    assert r.get("/supervision/inspections/conflicts/").url == own_page
    r.post(f"/supervision/inspections/inspectors/{mine.pk}/conflicts/",
           {"organization": registry[3].uid, "reason": "配偶任该会秘书长"})
    assert InspectorConflict.objects.get().organization == registry[3]
    theirs = Inspector.objects.get(user=cast["county"])
    response = r.post(f"/supervision/inspections/inspectors/{theirs.pk}/conflicts/",
                      {"organization": registry[4].uid, "reason": "x"})
    assert response.status_code == 403 and InspectorConflict.objects.count() == 1
    body = r.post(f"/supervision/inspections/inspectors/{mine.pk}/conflicts/",
                  {"organization": "NOPE", "reason": "x"}).content.decode()
    assert "本机关登记的组织中没有这个组织标识" in body


def test_an_ad_hoc_plan_filters_the_population_by_type(cast, login, registry):
    centre = make_registered(cast["superuser"], name="兴宁区公益服务中心", org_type="social_service",
                             credit_code=credit_code("2"))
    c = login(cast["county"])
    _create_plan(c, kind="ad_hoc", org_type="social_service", rate="100", site_share="0")
    plan = InspectionPlan.objects.get()
    c.post(f"/supervision/inspections/{plan.pk}/draw/")
    assert [t.organization for t in plan.targets.all()] == [centre]
    assert plan.targets.get().method == "desk"
