"""Ranking of applications: the reviewers' average plus the priority bonus for an evaluation grade at or above the
priority grade (RULES.md: 3A and above have priority; the bonus, 5 points by default, is 本平台建议, a province
setting). Numbers computed by hand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cso.accounts.models import User
from cso.funding import rules, services
from cso.orgs.tests.factories import make_registered
from cso.supervision.evaluation_trees import load_default_trees
from cso.supervision.models import Evaluation, EvaluationState

from .helpers import linked_org, programme, submitted

pytestmark = pytest.mark.django_db


def _graded(org, grade):
    today = timezone.localdate()
    Evaluation.objects.create(organization=org, tree=load_default_trees()[0], year=today.year - 1,
                              applied_on=today - timedelta(days=200), state=EvaluationState.FINAL, grade=grade,
                              final_on=today - timedelta(days=100), published_on=today - timedelta(days=100),
                              valid_until=today + timedelta(days=1500))


def _three(cast, **extra):
    prog = programme(cast["county"], grade_rule="priority", **extra)
    second = User.objects.create_user("reviewer2", password="x", role="civil_affairs", division_id="450102000000")
    prog.reviewers.add(cast["county"], second)
    graded = linked_org(cast["organization"], cast["registrar"], name="三A协会")
    _graded(graded, "3A")
    plain = linked_org(cast["organization"], cast["registrar"], name="未评估协会")
    late = linked_org(cast["organization"], cast["registrar"], name="未评分协会")
    apps = [submitted(prog, o, cast["organization"]) for o in (graded, plain, late)]
    assert apps[0].priority and apps[0].grade == "3A" and not apps[1].priority
    for app, (p1, p2) in zip(apps[:2], [(80, 81), (84, 85)], strict=True):
        services.score(app, cast["county"], Decimal(p1))
        services.score(app, second, Decimal(p2))
    return prog, apps


def test_the_priority_bonus_is_added_to_the_ranking_score(cast, client):
    prog, (graded, plain, late) = _three(cast)
    ranked = services.ranking(prog, prog.applications.prefetch_related("scores"))
    # 3A: (80 + 81) / 2 = 80.5, + 5 = 85.5; the other: (84 + 85) / 2 = 84.5, no bonus; the unscored last
    assert [(a.pk, a.rank, a.bonus, a.ranking_score) for a in ranked] == [
        (graded.pk, 1, Decimal(5), Decimal("85.5")), (plain.pk, 2, Decimal(0), Decimal("84.5")),
        (late.pk, None, Decimal(0), None)]
    client.force_login(cast["county"])
    page = client.get(reverse("funding:programme", args=[prog.pk])).content.decode()
    assert page.index("三A协会") < page.index("未评估协会") < page.index("未评分协会")
    assert "+5" in page and "85.5" in page and "84.5" in page and "本平台建议" in page
    assert "评估等级3A及以上" in page
    call = client.get(reverse("funding:call", args=[prog.pk])).content.decode()
    assert "评审排序加5分" in call
    detail = client.get(reverse("funding:application", args=[graded.pk])).content.decode()
    assert "优先加分 +5" in detail and "排序得分 85.5" in detail


def test_the_bonus_is_the_provinces_setting(cast, settings):
    settings.CSO_FUNDING_RULES = {"": {"priority_grade": "3A", "priority_bonus": 5},
                                  "45": {"priority_bonus": 3}}
    prog, (graded, plain, _late) = _three(cast)
    ranked = services.ranking(prog, prog.applications.prefetch_related("scores"))
    # 80.5 + 3 = 83.5 < 84.5: the better average now ranks first
    assert [(a.pk, a.ranking_score) for a in ranked[:2]] == [(plain.pk, Decimal("84.5")),
                                                             (graded.pk, Decimal("83.5"))]


def test_no_bonus_when_the_programme_does_not_look_at_grades(cast):
    prog = programme(cast["county"], grade_rule="none")
    assert rules.priority_bonus(prog) == 0
    assert rules.ranking_score(Decimal("80.5"), True, rules.priority_bonus(prog)) == Decimal("80.5")
    assert rules.ranking_score(None, True, Decimal(5)) is None
    org = make_registered(cast["registrar"])
    _graded(org, "4A")
    assert rules.current_grade(org, date.today()) == "4A"
