"""Probes of grade evaluation (等级评估) for the generated permission test (imported by ``probes.py``).

Subjects are the registry's organizations (``cso.orgs.tests.probes``: registered by the county, the city, the
province, a sibling county, another province; filed groups; one linked to the account trying)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from cso.accounts.probes import Probe, answered, register
from cso.orgs.tests.probes import ALL, make
from cso.supervision.evaluation_trees import leaves, load_default_trees
from cso.supervision.models import AnnualReport, Evaluation


def _eligible_org(world, subject, account):
    org = make(world, subject, account)  # registered 2020-05-01
    AnnualReport.objects.create(organization=org, year=timezone.localdate().year - 1, state="reviewed",
                                result="pass", submitted_at=timezone.now())
    load_default_trees()
    return org


def _apply(client, org):
    from cso.supervision.models import IndicatorTree

    tree = IndicatorTree.objects.get(code="default-social-group")
    response = client.post(reverse("supervision:evaluation_apply"), {"org": org.uid, "tree": tree.pk})
    return answered(response, Evaluation.objects.filter(organization=org).exists())


register(Probe("supervision.evaluation_apply", ALL, _eligible_org, _apply))


def _evaluation(state, **extra):
    def build(world, subject, account):
        org = make(world, subject, account)
        tree = load_default_trees()[0]
        return Evaluation.objects.create(organization=org, tree=tree, year=2026, applied_on=timezone.localdate(),
                                         state=state, **extra)

    return build


def _score(client, ev):
    data = {f"score_{leaf.pk}": str(leaf.max_score - 1) for leaf in leaves(ev.tree)}
    response = client.post(reverse("supervision:evaluation_evaluator", args=[ev.pk]), data)
    return answered(response, Evaluation.objects.get(pk=ev.pk).state == "evaluated")


register(Probe("supervision.evaluation_score", ALL, _evaluation("self_scored"), _score))


def _publish(client, ev):
    response = client.post(reverse("supervision:evaluation_publish", args=[ev.pk]), {"text": "探针公示"})
    return answered(response, Evaluation.objects.get(pk=ev.pk).state == "published")


register(Probe("supervision.evaluation_publish", ALL, _evaluation("committee", total=Decimal(850), grade="4A"),
               _publish))


def _list(client, _):
    response = client.get(reverse("supervision:evaluation_list"))
    return answered(response, response.status_code == 200)


register(Probe("supervision.evaluation_list", (None,), lambda world, subject, account: None, _list))

