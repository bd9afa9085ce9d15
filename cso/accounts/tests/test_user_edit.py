import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cso.accounts import services
from cso.accounts.choices import Role
from cso.accounts.models import User
from cso.demo.testing import make_user
from cso.regions.models import Division


def edit_data(user, **overrides):
    data = {"full_name": user.full_name, "role": user.role, "division": user.division_id,
            "phone": user.phone, "title": user.title}
    data.update(overrides)
    return data


def test_a_manager_moves_a_street_clerk_to_another_street(cast, login):
    client = login(cast["county"])
    target = cast["street"]
    response = client.post(reverse("accounts:user_edit", args=[target.pk]),
                           edit_data(target, division="450102002000", full_name="王五"))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.division_id == "450102002000"
    assert target.full_name == "王五"
    record = target.history.first()
    assert record.history_user == cast["county"]
    assert record.history_change_reason == "调整角色或所属区划"


def test_the_detail_page_shows_who_changed_what(cast, login):
    client = login(cast["county"])
    target = cast["street"]
    client.post(reverse("accounts:user_edit", args=[target.pk]), edit_data(target, phone="13800000000"))
    body = client.get(reverse("accounts:user_detail", args=[target.pk])).content.decode()
    assert "手机号码" in body
    assert "13800000000" in body
    assert "修改账号信息" in body
    assert cast["county"].username in body


def test_a_manager_cannot_raise_an_account_above_its_own_rank(cast, login):
    client = login(cast["street"])
    target = cast["community"]
    response = client.post(reverse("accounts:user_edit", args=[target.pk]),
                           edit_data(target, role=Role.CIVIL_AFFAIRS, division="450102001000"))
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.role == Role.COMMUNITY


def test_an_account_ranking_above_the_manager_cannot_be_edited(cast, login):
    boss = make_user("county_admin", Role.ADMIN, "450102000000")
    client = login(cast["county"])
    for name in ("accounts:user_edit", "accounts:user_reset_password"):
        assert client.get(reverse(name, args=[boss.pk])).status_code == 403
    for name in ("accounts:user_toggle_active", "accounts:user_unlock"):
        assert client.post(reverse(name, args=[boss.pk])).status_code == 403
    boss.refresh_from_db()
    assert boss.is_active


def test_a_peer_of_the_same_rank_can_be_edited(cast, login):
    peer = make_user("county_peer", Role.CIVIL_AFFAIRS, "450102000000")
    client = login(cast["county"])
    assert client.get(reverse("accounts:user_edit", args=[peer.pk])).status_code == 200


def test_superusers_are_not_reachable_by_other_managers(cast, login):
    client = login(cast["province"])
    assert client.get(reverse("accounts:user_detail", args=[cast["superuser"].pk])).status_code == 404
    assert client.get(reverse("accounts:user_edit", args=[cast["superuser"].pk])).status_code == 404


def test_a_manager_does_not_edit_its_own_account_here(cast, login):
    client = login(cast["county"])
    assert client.get(reverse("accounts:user_edit", args=[cast["county"].pk])).status_code == 403
    assert client.post(reverse("accounts:user_toggle_active", args=[cast["county"].pk])).status_code == 403
    assert User.objects.get(pk=cast["county"].pk).is_active


def test_a_manager_deactivates_and_reactivates_an_account(cast, login, sign_in, client):
    manager = login(cast["county"])
    url = reverse("accounts:user_toggle_active", args=[cast["street"].pk])
    assert manager.get(url).status_code == 405
    assert manager.post(url).status_code == 302
    assert not User.objects.get(pk=cast["street"].pk).is_active
    assert cast["street"].history.first().history_change_reason == "停用账号"
    manager.post(url)
    assert User.objects.get(pk=cast["street"].pk).is_active
    assert cast["street"].history.first().history_change_reason == "启用账号"


# --- the same rules in the service layer --------------------------------------------------


def test_the_service_refuses_to_raise_an_account(cast):
    target = cast["community"]
    street = Division.objects.get(code="450102001000")
    with pytest.raises(ValidationError) as error:
        services.update_user(cast["street"], target, role=Role.CIVIL_AFFAIRS, division=street,
                             full_name="x", phone="", title="")
    assert "role" in error.value.error_dict
    with pytest.raises(ValidationError):
        services.update_user(cast["county"], cast["street"], role=Role.CIVIL_AFFAIRS,
                             division=Division.objects.get(code="450100000000"), full_name="x", phone="", title="")


def test_the_service_refuses_accounts_above_the_manager(cast):
    boss = make_user("county_admin", Role.ADMIN, "450102000000")
    with pytest.raises(PermissionDenied):
        services.set_active(cast["county"], boss, False)
    with pytest.raises(PermissionDenied):
        services.reset_password(cast["street"], cast["county"])


def test_the_service_refuses_foreign_accounts(cast):
    with pytest.raises(PermissionDenied):
        services.set_active(cast["outsider_county"], cast["street"], False)
    with pytest.raises(PermissionDenied):
        services.unlock(cast["outsider_street"], cast["community"])
    assert User.objects.get(pk=cast["street"].pk).is_active
