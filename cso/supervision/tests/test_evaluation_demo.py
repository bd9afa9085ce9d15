import io

from cso.demo import supervision_evaluation
from cso.orgs.tests.factories import make_registered
from cso.supervision.evaluation_trees import leaves
from cso.supervision.models import Evaluation


def test_demo_grade_is_idempotent(cast):
    org = make_registered(cast["superuser"])
    out = io.StringIO()
    supervision_evaluation.load(out)
    supervision_evaluation.load(out)
    if org.registration_authority_division_id == supervision_evaluation.COUNTY:
        ev = Evaluation.objects.get()  # one organization: the standing grade comes first
        assert ev.state == "final" and ev.grade == "4A" and ev.valid_until and ev.events.count() == 6
        assert ev.scores.count() == len(leaves(ev.tree))
    else:
        assert "跳过" in out.getvalue()
