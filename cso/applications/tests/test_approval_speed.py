"""Approving a filing writes the whole registry entry in a bounded number of queries, and what it writes is the
same as before the shortcuts: the first span's masks, the field history with its m2m history, the leader."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cso.applications import services
from cso.orgs import services as registry
from cso.orgs.models import Category, Organization, OrgStateSpan, ServiceTarget

from .test_services import DATA

# 36 before issue 10's approval work: the existence checks of loaded relations, the empty m2m history of the
# creation record, the span masks read back, the lazy loads of the case's community, body and applicant.
APPROVAL_QUERIES = 20


@pytest.mark.django_db
def test_an_approval_stays_within_its_query_budget_and_writes_the_registry_entry(cast):
    draft = services.save_draft(cast["organization"], "filing", dict(DATA))
    case = services.act(services.submit(draft, cast["organization"]), cast["street"], "accept")
    with CaptureQueriesContext(connection) as ctx:
        case = services.act(case, cast["street"], "approve")
    assert len(ctx.captured_queries) <= APPROVAL_QUERIES, [q["sql"][:80] for q in ctx.captured_queries]
    org = Organization.objects.get(pk=case.organization_id)
    assert org.name == DATA["name"] and org.division_id == DATA["division"]
    assert org.registration_authority_division_id == case.authority_division_id
    assert [(r.history_type, r.history_user_id) for r in org.history.all()] == [("+", cast["street"].pk)]
    assert list(org.leaders.values_list("name", "phone")) == [("王芳", "13800000002")]
    assert org.account_links.get().user == cast["organization"]


@pytest.mark.django_db
def test_a_new_organizations_first_span_and_history_carry_its_categories_and_targets(cast):
    categories = list(Category.objects.order_by("bit")[:2])
    targets = list(ServiceTarget.objects.order_by("bit")[:1])
    org = registry.create_organization({
        "name": "兴宁社区书法队", "track": "filed", "org_type": "activity_team", "division": "450102001003",
        "filed_on": date(2025, 3, 1), "member_count": 12, "categories": [c.code for c in categories],
        "service_targets": [t.pk for t in targets], "leaders": [{"name": "李雷"}],
    }, cast["street"])
    span = OrgStateSpan.objects.get(organization=org)
    assert span.categories_mask == org.categories.all().mask() == sum(1 << c.bit for c in categories) != 0
    assert span.targets_mask == org.service_targets.all().mask() == sum(1 << t.bit for t in targets) != 0
    assert span.facts() == {k: v for k, v in org.span_facts().items() if k in span.facts()}
    records = list(org.history.order_by("history_id"))
    assert records[0].history_type == "+"
    assert not records[0].categories.exists() and not records[0].service_targets.exists()
    last = records[-1]
    assert {c.category_id for c in last.categories.all()} == {c.pk for c in categories}
    assert {t.servicetarget_id for t in last.service_targets.all()} == {t.pk for t in targets}
