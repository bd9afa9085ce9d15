"""Pages with lists stay at a fixed number of queries however many rows they show."""

import pytest
from django.urls import reverse

from cso.accounts.models import SignInEvent
from cso.demo.testing import make_user
from cso.regions.models import Division


@pytest.fixture
def busy(cast):
    for i in range(15):
        user = make_user(f"bulk{i}", "community", "450102001003")
        user.full_name = f"改名{i}"
        user.save()
        SignInEvent.objects.create(username=user.username, user=user, division_id=user.division_id, success=True)
    for division in Division.objects.filter(code__startswith="450102"):
        division.households = 100
        division.save()
    return cast


@pytest.mark.parametrize("tab", ["signins", "users", "divisions"])
def test_the_audit_tabs_make_a_fixed_number_of_queries(busy, login, tab, django_assert_max_num_queries):
    client = login(busy["county"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("accounts:audit") + f"?tab={tab}")
    assert response.status_code == 200


def test_the_detail_page_makes_a_fixed_number_of_queries(busy, login, django_assert_max_num_queries):
    target = busy["street"]
    for i in range(10):
        target.title = f"职务{i}"
        target.save()
    client = login(busy["county"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("accounts:user_detail", args=[target.pk]))
    assert response.status_code == 200
