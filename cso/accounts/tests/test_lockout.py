from django.conf import settings
from django.urls import reverse

from cso.accounts.models import SignInEvent
from cso.demo.testing import PASSWORD


def fail(sign_in, username, times):
    return [sign_in(username, "Wrong-password-9") for _ in range(times)]


def test_the_account_locks_after_the_failure_limit(cast, sign_in):
    limit = settings.AXES_FAILURE_LIMIT
    responses = fail(sign_in, "street", limit)
    assert all(r.status_code == 200 for r in responses[:-1])
    last = responses[-1]
    assert last.status_code == 429
    body = last.content.decode()
    assert f"连续 {limit} 次登录失败" in body
    assert "锁定 30 分钟" in body
    assert "账号管理员" in body


def test_a_locked_account_is_refused_even_with_the_right_password(cast, client, sign_in):
    fail(sign_in, "street", settings.AXES_FAILURE_LIMIT)
    response = sign_in("street", PASSWORD)
    assert response.status_code == 429
    assert client.get(reverse("core:home")).status_code == 302
    reasons = list(SignInEvent.objects.filter(username="street").order_by("id").values_list("reason", flat=True))
    assert reasons[-2] == f"连续{settings.AXES_FAILURE_LIMIT}次登录失败，账号被锁定"
    assert reasons[-1] == "账号已锁定，拒绝登录"


OFFICE = "203.0.113.10"
STRANGER = "198.51.100.77"


def fail_from(sign_in, address, username, times):
    return [sign_in(username, "Wrong-password-9", REMOTE_ADDR=address) for _ in range(times)]


def test_one_clerk_locked_out_does_not_lock_the_colleagues_at_the_same_address(cast, sign_in):
    fail_from(sign_in, OFFICE, "street", settings.AXES_FAILURE_LIMIT)
    assert sign_in("street", REMOTE_ADDR=OFFICE).status_code == 429
    assert sign_in("community", REMOTE_ADDR=OFFICE).status_code == 302
    assert sign_in("county", REMOTE_ADDR=OFFICE).status_code == 302


def test_a_stranger_elsewhere_cannot_lock_the_real_user_out(cast, sign_in):
    responses = fail_from(sign_in, STRANGER, "street", settings.AXES_FAILURE_LIMIT + 3)
    assert responses[-1].status_code == 429  # the stranger is stopped
    assert sign_in("street", REMOTE_ADDR=OFFICE).status_code == 302  # the clerk, at the office, is not


def test_the_real_users_success_does_not_clear_the_strangers_count(cast, sign_in):
    fail_from(sign_in, STRANGER, "street", settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in("street", REMOTE_ADDR=OFFICE).status_code == 302
    assert fail_from(sign_in, STRANGER, "street", 1)[0].status_code == 429


def test_an_address_trying_many_user_names_is_locked_at_the_address_cap(cast, sign_in, settings):
    settings.CSO_LOGIN_ADDRESS_FAILURE_LIMIT = 12
    names = ["street", "community", "county", "city", "province", "operator"]
    responses = [r for name in names for r in fail_from(sign_in, STRANGER, name, 2)]
    assert all(r.status_code == 200 for r in responses[:-1])
    assert responses[-1].status_code == 429
    # the address is locked for every user name, even with the right password …
    assert sign_in("organization", REMOTE_ADDR=STRANGER).status_code == 429
    reasons = list(SignInEvent.objects.order_by("id").values_list("reason", flat=True))
    assert reasons[-2] == "同一地址登录失败次数过多，该地址被暂时禁止登录"
    # … and only that address
    assert sign_in("organization", REMOTE_ADDR=OFFICE).status_code == 302


def test_below_the_address_cap_an_office_signs_in(cast, sign_in, settings):
    settings.CSO_LOGIN_ADDRESS_FAILURE_LIMIT = 12
    for name in ["street", "community", "county", "city", "province"]:
        fail_from(sign_in, OFFICE, name, 2)
    assert sign_in("operator", REMOTE_ADDR=OFFICE).status_code == 302


def test_a_manager_sees_the_lock_and_can_lift_it(cast, client, sign_in):
    fail(sign_in, "street", settings.AXES_FAILURE_LIMIT)
    client.force_login(cast["county"])
    detail = client.get(reverse("accounts:user_detail", args=[cast["street"].pk]))
    assert 'data-testid="locked-badge"' in detail.content.decode()
    response = client.post(reverse("accounts:user_unlock", args=[cast["street"].pk]))
    assert response.status_code == 302
    last = cast["street"].history.first()
    assert last.history_change_reason == "解除登录锁定"
    assert last.history_user == cast["county"]
    client.post(reverse("accounts:logout"))
    assert sign_in("street").status_code == 302


def test_an_outsider_manager_cannot_unlock_a_foreign_account(cast, login, sign_in):
    fail(sign_in, "street", settings.AXES_FAILURE_LIMIT)
    client = login(cast["outsider_county"])
    assert client.post(reverse("accounts:user_unlock", args=[cast["street"].pk])).status_code == 404
    client.post(reverse("accounts:logout"))
    assert sign_in("street").status_code == 429


def test_unlock_only_answers_a_post(cast, login):
    client = login(cast["county"])
    assert client.get(reverse("accounts:user_unlock", args=[cast["street"].pk])).status_code == 405
