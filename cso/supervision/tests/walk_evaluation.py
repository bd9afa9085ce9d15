"""A grade evaluation of the sibling county's organization with an objection, for the permission walk
(tests/test_permission_walk.py). Not yet published: the public list of grades shows published results of every
county by law."""

from datetime import date

from cso.supervision.evaluation_trees import load_default_trees
from cso.supervision.models import Evaluation, EvaluationObjection


def foreign_evaluation(organization, cast) -> dict:
    tree = load_default_trees()[0]
    ev = Evaluation.objects.create(organization=organization, tree=tree, year=2026, applied_on=date(2026, 1, 5),
                                   state="committee", total=850, grade="4A", admission="新竹街道组织")
    objection = EvaluationObjection.objects.create(evaluation=ev, text="新竹街道组织", filed_by=cast["outsider_county"])
    return {"evaluation": ev.pk, "evaluation_objection": objection.pk}
