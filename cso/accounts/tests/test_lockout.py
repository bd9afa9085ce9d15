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


def test_the_lockout_is_per_user_name(cast, client, sign_in):
    fail(sign_in, "street", settings.AXES_FAILURE_LIMIT)
    assert sign_in("community").status_code == 302


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
