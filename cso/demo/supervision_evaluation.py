"""Demo of grade evaluation (等级评估) in 兴宁区: the default indicator trees, and one association without credit
records holding a standing 4A grade (committee total 850 of 1,000, published and past its notice period, valid
5 years). Idempotent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cso.accounts.models import User
from cso.orgs.choices import LIVE_STATUSES, Track
from cso.orgs.models import Organization
from cso.supervision.credit_rules import add_years
from cso.supervision.evaluation_trees import load_default_trees
from cso.supervision.models import Evaluation, EvaluationState, Score

COUNTY = "450102000000"


@transaction.atomic
def load(stdout) -> None:
    trees = load_default_trees()
    if Evaluation.objects.filter(organization__registration_authority_division_id=COUNTY).exists():
        stdout.write("演示等级评估：已存在，跳过。")
        return
    org = (Organization.objects.filter(status__in=LIVE_STATUSES, track=Track.REGISTERED,
                                       registration_authority_division_id=COUNTY)
           .filter(credit_events__isnull=True).order_by("-id").first())
    if org is None:
        stdout.write("演示等级评估：缺少本区登记的组织，跳过。")
        return
    tree, today = trees[0], timezone.localdate()
    published = today - timedelta(days=60)
    final_on = published + timedelta(days=8)
    ev = Evaluation.objects.create(
        organization=org, tree=tree, year=published.year, state=EvaluationState.FINAL,
        applied_on=published - timedelta(days=90), published_on=published, notice_until=published + timedelta(days=7),
        total=Decimal(850), grade="4A", final_on=final_on, valid_until=add_years(final_on, 5) - timedelta(days=1),
        decided_by=User.objects.filter(username="xn_dengji").first())
    for indicator in tree.indicators.all():
        points = indicator.max_score * Decimal("0.85")
        Score.objects.create(evaluation=ev, indicator=indicator, self_score=indicator.max_score,
                             evaluator_score=points, committee_score=points)
    stdout.write(f"演示等级评估：{org.name} 4A（有效期至{ev.valid_until:%Y-%m-%d}）。")
