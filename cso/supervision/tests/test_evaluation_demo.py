import io

from cso.demo import supervision_evaluation
from cso.orgs.tests.factories import make_registered
from cso.supervision.models import Evaluation


def test_demo_grade_is_idempotent(cast):
    org = make_registered(cast["superuser"])
    out = io.StringIO()
    supervision_evaluation.load(out)
    supervision_evaluation.load(out)
    if org.registration_authority_division_id == supervision_evaluation.COUNTY:
        ev = Evaluation.objects.get()
        assert ev.grade == "4A" and ev.scores.count() == 5
    else:
        assert "跳过" in out.getvalue()
