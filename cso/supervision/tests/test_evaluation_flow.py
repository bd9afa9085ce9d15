"""Grade evaluation moves at service level: apply → self → evaluator → committee → publish → final (+5 years)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from cso.notices.models import Notification
from cso.orgs.models import AccountLink
from cso.orgs.tests.factories import make_registered
from cso.supervision import evaluation_services as svc
from cso.supervision.evaluation_trees import leaves as tree_leaves
from cso.supervision.evaluation_trees import load_default_trees
from cso.supervision.models import Evaluation, EvaluationState
from cso.supervision.tests.test_evaluation_rules import _report


def test_full_path_and_expiry_reminder(cast):
    org = make_registered(cast["superuser"], registered_on=date(2024, 6, 1))
    AccountLink.objects.create(organization=org, user=cast["organization"], division=org.division)
    _report(org, 2025)
    tree = load_default_trees()[0]
    assert load_default_trees()[0] == tree and tree.indicators.count() == 52  # idempotent
    ev = svc.apply(org, tree, date(2026, 6, 1))
    with pytest.raises(ValidationError):
        svc.apply(org, tree, date(2026, 6, 2))  # one at a time
    leaves = {i.pk: i.max_score for i in tree_leaves(tree)}
    svc.record_scores(ev, "self_score", leaves)
    svc.record_scores(ev, "evaluator_score", {pk: m - 5 for pk, m in leaves.items()})
    with pytest.raises(ValidationError):
        svc.record_scores(ev, "committee_score", {next(iter(leaves)): 9999})
    big = [pk for pk, m in leaves.items() if m >= 30][:3]
    svc.record_scores(ev, "committee_score", {pk: m - 30 if pk in big else m for pk, m in leaves.items()})  # 910
    assert ev.total == 910 and ev.grade == "5A"  # default (Luoyang) cut-offs: ≥ 900
    svc.publish(ev, date(2026, 9, 1), cast["superuser"])
    assert ev.notice_until == date(2026, 9, 8)  # 7 days
    assert svc.finalise_due(date(2026, 9, 8)) == 0  # still in notice
    assert svc.finalise_due(date(2026, 9, 9)) == 1
    ev.refresh_from_db()
    assert ev.state == EvaluationState.FINAL and ev.final_on == date(2026, 9, 9)
    assert ev.valid_until == date(2031, 9, 8)  # 5 years
    assert svc.remind_expiring(date(2031, 3, 11)) == 0  # 181 days before
    assert svc.remind_expiring(date(2031, 3, 12)) == 1
    assert svc.remind_expiring(date(2031, 3, 13)) == 0  # once
    assert Notification.objects.filter(kind="supervision.evaluation_expiring").count() == 1
    call_command("evaluation_daily")


def test_excluded_org_cannot_apply(cast):
    org = make_registered(cast["superuser"], registered_on=date(2024, 6, 1))
    tree = load_default_trees()[0]
    with pytest.raises(ValidationError, match="未报送年度报告"):
        svc.apply(org, tree, date(2026, 6, 1))
    assert not Evaluation.objects.exists()


def test_public_list_shows_published_and_final_grades_without_login(client, cast):
    org = make_registered(cast["superuser"], registered_on=date(2024, 6, 1))
    tree = load_default_trees()[0]
    Evaluation.objects.create(organization=org, tree=tree, year=2026, applied_on=date(2026, 6, 1),
                              state=EvaluationState.FINAL, grade="4A", published_on=date(2026, 9, 1),
                              notice_until=date(2026, 9, 8), valid_until=date(2031, 9, 8))
    hidden = make_registered(cast["superuser"], name="未公示协会")
    Evaluation.objects.create(organization=hidden, tree=tree, year=2026, applied_on=date(2026, 6, 1))
    response = client.get(reverse("supervision:evaluation_public"))
    assert response.status_code == 200, response
    page = response.content.decode()
    assert org.name in page and "4A" in page and "2031-09-08" in page and "未公示协会" not in page
