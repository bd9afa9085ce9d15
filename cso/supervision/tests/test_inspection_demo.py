"""The demo of random inspections: 兴宁区's pool, a drawn and published plan with results, a recorded skip."""

from io import StringIO

from cso.demo import supervision_inspections as demo
from cso.demo.testing import make_user
from cso.orgs.tests.factories import make_registered
from cso.supervision import inspections as services
from cso.supervision.models import InspectionPlan, Inspector, InspectorConflict, TargetInspector


def test_the_demo_draws_publishes_and_records_and_runs_again(cast):
    for name, role in (("xn_minzheng", "civil_affairs"), ("xn_shenhe", "civil_affairs"), ("xn_dengji", "registrar")):
        make_user(name, role, "450102000000")
    for i in range(60):
        make_registered(cast["superuser"], name=f"兴宁区演示协会{i:02d}")
    out = StringIO()
    demo.load(out)
    demo.load(out)  # safe to run again
    assert Inspector.objects.count() == 3
    plan = InspectionPlan.objects.get()
    assert plan.state == "published" and plan.targets.count() == 3  # ceil(5 % × 60)
    assert services.verify(plan) == []
    assert plan.targets.filter(result__published_at__isnull=False).count() == 3
    conflict = InspectorConflict.objects.get()
    assert conflict.inspector.user.username == "xn_dengji"
    assert not TargetInspector.objects.filter(target__organization=conflict.organization, status="assigned",
                                              inspector=conflict.inspector).exists()
    for skipped in TargetInspector.objects.filter(status="skipped"):  # the skip, when the draw would have sent them
        assert skipped.inspector == conflict.inspector and skipped.reason.startswith("近亲属")
    assert "随机抽查" in out.getvalue()
