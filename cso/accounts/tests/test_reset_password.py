from django.urls import reverse

from cso.accounts.models import User


def test_a_manager_resets_a_password_with_a_generated_one(cast, login, client):
    manager = login(cast["county"])
    response = manager.post(reverse("accounts:user_reset_password", args=[cast["street"].pk]),
                            {"password1": "", "password2": ""}, follow=True)
    temp = response.context["temp_password"]
    user = User.objects.get(pk=cast["street"].pk)
    assert user.check_password(temp)
    assert user.must_change_password is True
    record = user.history.first()
    assert record.history_user == cast["county"]
    assert record.history_change_reason == "管理员重置密码"


def test_the_new_user_signs_in_with_the_temporary_password_and_must_change_it(cast, login, client, sign_in):
    manager = login(cast["county"])
    manager.post(reverse("accounts:user_reset_password", args=[cast["street"].pk]),
                 {"password1": "Temp-pass-2026", "password2": "Temp-pass-2026"})
    manager.post(reverse("accounts:logout"))
    response = sign_in("street", "Temp-pass-2026")
    assert response["Location"] == reverse("accounts:password_change")


def test_the_two_passwords_must_match(cast, login):
    client = login(cast["county"])
    response = client.post(reverse("accounts:user_reset_password", args=[cast["street"].pk]),
                           {"password1": "Temp-pass-2026", "password2": "Temp-pass-2027"})
    assert "两次输入的密码不一致" in response.content.decode()
