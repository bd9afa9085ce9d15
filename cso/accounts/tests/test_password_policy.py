import pytest
from django.urls import reverse

from cso.accounts.models import User
from cso.demo.testing import PASSWORD


@pytest.mark.parametrize("weak", ["12345678", "abcdefgh", "abc123", "password1"])
def test_the_password_change_page_rejects_weak_passwords(cast, login, weak):
    client = login(cast["street"])
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": weak, "new_password2": weak,
    })
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert User.objects.get(pk=cast["street"].pk).check_password(PASSWORD)


def test_letters_only_are_rejected_with_a_chinese_reason(cast, login):
    client = login(cast["street"])
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "abcdefghxyz", "new_password2": "abcdefghxyz",
    })
    assert "密码须同时包含字母和数字" in response.content.decode()


def test_the_policy_is_shown_as_help_text(cast, login):
    client = login(cast["street"])
    body = client.get(reverse("accounts:password_change")).content.decode()
    assert "密码须同时包含字母和数字" in body
    assert "8" in body


@pytest.mark.parametrize("weak", ["12345678", "abcdefgh"])
def test_a_manager_cannot_set_a_weak_temporary_password(cast, login, weak):
    client = login(cast["county"])
    response = client.post(reverse("accounts:user_reset_password", args=[cast["street"].pk]), {
        "password1": weak, "password2": weak,
    })
    assert response.status_code == 200
    assert User.objects.get(pk=cast["street"].pk).check_password(PASSWORD)
