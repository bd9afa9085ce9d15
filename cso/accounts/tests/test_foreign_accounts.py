"""An account outside the manager's subtree does not exist for that manager: 404 everywhere."""

import pytest
from django.urls import reverse

from cso.accounts.models import User

PAGES = ["accounts:user_detail", "accounts:user_edit", "accounts:user_reset_password",
         "accounts:user_toggle_active", "accounts:user_unlock"]


@pytest.mark.parametrize("manager", ["outsider_county", "outsider_street"])
@pytest.mark.parametrize("page", PAGES)
def test_an_outsider_manager_gets_404_on_every_page_of_a_foreign_account(cast, login, manager, page):
    client = login(cast[manager])
    target = cast["community"]  # 兴宁社区, under 民生街道: foreign to both outsiders
    before = User.objects.filter(pk=target.pk).values().get()
    for method in ("get", "post"):
        response = getattr(client, method)(reverse(page, args=[target.pk]))
        assert response.status_code in (404, 405), f"{method} {page}: {response.status_code}"
        if method == "post":
            assert response.status_code == 404
    assert User.objects.filter(pk=target.pk).values().get() == before


def test_a_county_manager_reaches_accounts_of_its_whole_subtree(cast, login):
    client = login(cast["county"])
    for name in ("street", "community", "operator", "organization", "outsider_street"):
        assert client.get(reverse("accounts:user_detail", args=[cast[name].pk])).status_code == 200, name


def test_a_street_manager_does_not_reach_its_county(cast, login):
    client = login(cast["street"])
    assert client.get(reverse("accounts:user_detail", args=[cast["county"].pk])).status_code == 404
    assert client.get(reverse("accounts:user_detail", args=[cast["outsider_street"].pk])).status_code == 404


@pytest.mark.parametrize("role", ["organization", "operator", "community"])
def test_accounts_without_account_management_get_403(cast, login, role):
    client = login(cast[role])
    target = cast["organization"] if role != "organization" else cast["community"]
    for name in ("accounts:user_list", "accounts:user_create", "accounts:division_lookup"):
        assert client.get(reverse(name)).status_code == 403, name
    for name in ("accounts:user_detail", "accounts:user_edit", "accounts:user_reset_password"):
        assert client.get(reverse(name, args=[target.pk])).status_code == 403, name
    for name in ("accounts:user_toggle_active", "accounts:user_unlock"):
        assert client.post(reverse(name, args=[target.pk])).status_code == 403, name


def test_the_403_page_is_in_chinese(cast, login):
    response = login(cast["organization"]).get(reverse("accounts:user_list"))
    assert "无权访问" in response.content.decode()
