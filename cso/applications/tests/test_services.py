"""The engine without HTTP: moves out of order are refused, reasons and missing items are required, a refused
approval leaves no trace."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cso.applications import services
from cso.applications.models import Application, State
from cso.orgs.models import Organization

DATA = {"division": "450102001003", "name": "兴宁社区舞蹈队", "org_type": "activity_group", "leader_name": "王芳",
        "leader_phone": "13800000002", "member_count": 6, "activity": "广场舞", "schedule": "每晚7点",
        "place": "兴宁广场", "category": "", "party_reported": "none"}


@pytest.fixture
def submitted(cast):
    draft = services.save_draft(cast["organization"], "filing", dict(DATA))
    return services.submit(draft, cast["organization"])


@pytest.mark.django_db
def test_a_draft_cannot_be_approved_or_accepted_twice(cast, submitted):
    with pytest.raises(ValidationError):
        services.act(submitted, cast["street"], "approve")
    services.act(submitted, cast["street"], "accept")
    with pytest.raises(ValidationError):
        services.act(submitted, cast["street"], "accept")
    assert Application.objects.get(pk=submitted.pk).events.filter(verb="accept").count() == 1


@pytest.mark.django_db
def test_a_correction_needs_the_missing_items_and_a_rejection_its_reasons(cast, submitted):
    with pytest.raises(ValidationError):
        services.act(submitted, cast["street"], "ask_correction", missing=[" "])
    with pytest.raises(ValidationError):
        services.act(submitted, cast["street"], "reject", reason="")
    assert Application.objects.get(pk=submitted.pk).state == State.SUBMITTED
    services.act(submitted, cast["street"], "reject", reason="活动内容不属于社区社会组织")
    event = Application.objects.get(pk=submitted.pk).events.last()
    assert event.verb == "reject" and event.reason == "活动内容不属于社区社会组织" and event.actor == cast["street"]


@pytest.mark.django_db
def test_an_approval_the_registry_refuses_leaves_the_case_accepted_and_the_registry_untouched(cast, submitted):
    from cso.orgs.tests.factories import make_filed

    services.act(submitted, cast["street"], "accept")
    make_filed(cast["superuser"], name="兴宁社区舞蹈队", division="450102001003")  # typed in by a clerk meanwhile
    with pytest.raises(ValidationError):
        services.act(submitted, cast["street"], "approve")
    case = Application.objects.get(pk=submitted.pk)
    assert case.state == State.ACCEPTED and case.organization is None
    assert Organization.objects.filter(name="兴宁社区舞蹈队").count() == 1


@pytest.mark.django_db
def test_the_community_committee_cannot_decide_a_filing(cast, submitted):
    with pytest.raises(PermissionDenied):
        services.act(submitted, cast["community"], "accept")
