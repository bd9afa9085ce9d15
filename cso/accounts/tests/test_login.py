from django.urls import reverse

from cso.accounts.models import SignInEvent
from cso.demo.testing import PASSWORD


def test_the_login_page_is_in_chinese_and_needs_no_account(client, db):
    response = client.get(reverse("accounts:login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "社区社会组织培育发展管理平台" in body
    assert "用户名" in body and "密码" in body
    assert "login-page" in body


def test_a_correct_password_signs_in_and_is_recorded(cast, client, sign_in):
    response = sign_in("county", HTTP_USER_AGENT="Mozilla/5.0 test")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200
    event = SignInEvent.objects.get(username="county")
    assert event.success is True
    assert event.user == cast["county"]
    assert event.division_id == "450102000000"
    assert event.ip_address == "127.0.0.1"
    assert event.user_agent == "Mozilla/5.0 test"
    assert event.reason == "登录成功"


def test_a_wrong_password_is_refused_with_the_attempts_left(cast, client, sign_in):
    response = sign_in("county", "wrong-password-1")
    body = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码不正确，还可尝试 4 次" in body
    assert client.get(reverse("core:home")).status_code == 302
    event = SignInEvent.objects.get(username="county")
    assert event.success is False
    assert event.reason == "密码错误"
    assert event.division_id == "450102000000"


def test_an_unknown_user_name_is_recorded_without_a_division(cast, sign_in):
    response = sign_in("nobody-here", PASSWORD)
    assert "用户名或密码不正确" in response.content.decode()
    event = SignInEvent.objects.get(username="nobody-here")
    assert event.success is False
    assert event.user is None
    assert event.division_id is None
    assert event.reason == "用户名不存在"


def test_a_deactivated_account_cannot_sign_in(cast, client, sign_in):
    user = cast["street"]
    user.is_active = False
    user.save()
    response = sign_in("street")
    assert response.status_code == 200
    assert client.get(reverse("core:home")).status_code == 302
    assert SignInEvent.objects.get(username="street").reason == "账号已停用"


def test_signing_in_does_not_add_an_empty_entry_to_the_account_history(cast, sign_in):
    before = cast["county"].history.count()
    sign_in("county")
    cast["county"].refresh_from_db()
    assert cast["county"].last_login is not None
    assert cast["county"].history.count() == before


def test_an_already_signed_in_user_is_sent_home_from_the_login_page(cast, login):
    client = login(cast["county"])
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302


def test_logout_needs_a_post_and_ends_the_session(cast, login):
    client = login(cast["county"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("core:home")).status_code == 302


def test_pages_need_a_signed_in_user(client, db):
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
