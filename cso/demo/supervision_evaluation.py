"""Demo of grade evaluation (等级评估) in 兴宁区: the default indicator trees, and evaluations of associations
registered by the county (without credit records) in each state: the demo organization account's own (xn_zuzhi,
applied: its self-assessment to fill in), then self-scored, scored by the evaluator (xn_minzheng), decided by the
committee (xn_shenhe), published and within its notice period, and a standing 4A grade (valid 5 years). Each with
its record of who did what and when. Idempotent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cso.accounts.models import User
from cso.orgs.choices import LIVE_STATUSES, Track
from cso.orgs.models import AccountLink, Organization
from cso.supervision.credit_rules import add_years
from cso.supervision.evaluation_trees import leaves, load_default_trees
from cso.supervision.models import Evaluation, EvaluationEvent, EvaluationState, Score

COUNTY = "450102000000"
S, E = EvaluationState, EvaluationEvent.Kind
# state → (share of the points given by the self column, evaluator, committee); None: column not filled yet
PLAN = [
    (S.APPLIED, (None, None, None)),
    (S.FINAL, (Decimal("0.95"), Decimal("0.88"), Decimal("0.85"))),
    (S.PUBLISHED, (Decimal("0.98"), Decimal("0.92"), Decimal("0.91"))),
    (S.COMMITTEE, (Decimal("0.90"), Decimal("0.78"), Decimal("0.76"))),
    (S.EVALUATED, (Decimal("0.92"), Decimal("0.83"), None)),
    (S.SELF_SCORED, (Decimal("0.96"), None, None)),
]
GRADES = [("5A", 900), ("4A", 800), ("3A", 700), ("2A", 600), ("1A", 500)]


def _grade(total) -> str:
    return next((g for g, m in GRADES if total >= m), "")


@transaction.atomic
def load(stdout) -> None:
    trees = load_default_trees()
    if Evaluation.objects.filter(organization__registration_authority_division_id=COUNTY).exists():
        stdout.write("演示等级评估：已存在，跳过。")
        return
    candidates = (Organization.objects.filter(status__in=LIVE_STATUSES, track=Track.REGISTERED,
                                              registration_authority_division_id=COUNTY)
                  .filter(credit_events__isnull=True))
    mine = (AccountLink.objects.filter(user__username="xn_zuzhi", organization__in=candidates)
            .values_list("organization_id", flat=True).first())
    orgs = list(candidates.filter(pk=mine)) if mine else []
    orgs += list(candidates.exclude(pk=mine).order_by("-id")[: len(PLAN) - len(orgs)])
    if not orgs:
        stdout.write("演示等级评估：缺少本区登记的组织，跳过。")
        return
    users = {u.username: u for u in User.objects.filter(username__in=("xn_zuzhi", "xn_minzheng", "xn_shenhe"))}
    plan = PLAN if mine else PLAN[1:]
    today, made = timezone.localdate(), []
    for org, (state, shares) in zip(orgs, plan, strict=False):
        tree = trees[2] if org.is_community_org and state == S.SELF_SCORED else trees[0]
        made.append(_one(org, tree, state, shares, today, users))
    stdout.write("演示等级评估：" + "；".join(f"{ev.organization.name} {ev.grade or ev.get_state_display()}"
                                             for ev in made) + "。")


def _one(org, tree, state, shares, today, users) -> Evaluation:
    org_user, evaluator, committee = users.get("xn_zuzhi"), users.get("xn_minzheng"), users.get("xn_shenhe")
    applied = today - timedelta(days=120 if state in (S.FINAL, S.PUBLISHED) else 30)
    ev = Evaluation.objects.create(organization=org, tree=tree, year=applied.year, applied_on=applied,
                                   admission="登记满2个完整年度且未参加过评估，可申请评估（《社会组织评估管理办法》（民政部令第39号））。")
    EvaluationEvent.objects.create(evaluation=ev, kind=E.APPLY, actor=org_user if state == S.APPLIED else None,
                                   note=f"{tree.title}；{ev.admission}")
    self_share, eval_share, committee_share = shares
    columns = {"self_score": self_share, "evaluator_score": eval_share, "committee_score": committee_share}
    for leaf in leaves(tree):
        values = {c: (leaf.max_score * share).quantize(Decimal("0.1")) for c, share in columns.items()
                  if share is not None}
        if values:
            deducted = eval_share is not None and values["evaluator_score"] < leaf.max_score
            note = "部分材料未提供，酌情扣分" if deducted else ""
            Score.objects.create(evaluation=ev, indicator=leaf, note=note, **values)
    totals = {c: sum((getattr(s, c) or 0) for s in ev.scores.all()) for c in columns}
    if self_share is not None:
        ev.self_submitted_at = timezone.now()
        EvaluationEvent.objects.create(evaluation=ev, kind=E.SELF_SUBMIT, actor=None,
                                       note=f"提交自评，自评总分{totals['self_score']}")
    if eval_share is not None:
        ev.evaluator = evaluator
        EvaluationEvent.objects.create(evaluation=ev, kind=E.EVALUATOR, actor=evaluator,
                                       note=f"评估机构评分合计{totals['evaluator_score']}")
    if committee_share is not None:
        ev.total = min(totals["committee_score"], tree.max_total)
        ev.grade, ev.committee_by = _grade(ev.total * 1000 / tree.max_total), committee
        EvaluationEvent.objects.create(evaluation=ev, kind=E.COMMITTEE, actor=committee,
                                       note=f"审定总分{ev.total}，等级{ev.grade or '未达等级'}")
    if state in (S.PUBLISHED, S.FINAL):
        ev.published_on = today - timedelta(days=60 if state == S.FINAL else 2)
        ev.notice_until, ev.decided_by = ev.published_on + timedelta(days=7), committee
        EvaluationEvent.objects.create(evaluation=ev, kind=E.PUBLISH, actor=committee,
                                       note=f"公示7日，至{ev.notice_until:%Y-%m-%d}")
    if state == S.FINAL:
        ev.final_on = ev.notice_until + timedelta(days=1)
        ev.valid_until = add_years(ev.final_on, 5) - timedelta(days=1)
        EvaluationEvent.objects.create(evaluation=ev, kind=E.FINAL,
                                       note=f"公示期满无异议，确定等级：{ev.grade}，有效期至{ev.valid_until:%Y-%m-%d}（5年）。")
    ev.state = state
    ev.save()
    return ev
