"""Two reviewers award the last of a budget at the same moment: exactly one succeeds (PostgreSQL row lock)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from cso.demo.testing import build_cast, build_tree
from cso.funding import services
from cso.funding.models import Application, Award

from .helpers import linked_org, programme, submitted


@pytest.mark.django_db(transaction=True)
def test_two_awards_of_the_last_budget_at_once_only_one_succeeds():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) are tested on PostgreSQL")
    build_tree()
    cast = build_cast()
    prog = programme(cast["county"], budget=Decimal("50000"))
    prog.reviewers.add(cast["county"])
    apps = []
    for _ in range(2):
        org = linked_org(cast["organization"], cast["registrar"])
        app = submitted(prog, org, cast["organization"], "40000")
        services.score(app, cast["county"], Decimal("90"))
        apps.append(app)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(app, who):
        try:
            barrier.wait(timeout=10)
            services.award(Application.objects.get(pk=app.pk), Decimal("40000"), who, "最后的预算")
            outcomes.append("awarded")
        except ValidationError as exc:
            outcomes.append("refused: " + "；".join(exc.messages))
        finally:
            connections.close_all()

    deciders = (cast["county"], cast["city"])
    threads = [threading.Thread(target=decide, args=(app, who)) for app, who in zip(apps, deciders, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(o[:7] for o in outcomes) == ["awarded", "refused"], outcomes
    assert Award.objects.count() == 1
    assert services.committed(prog) == Decimal("40000")
