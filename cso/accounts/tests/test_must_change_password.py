from django.urls import reverse

from cso.accounts.models import User
from cso.demo.testing import PASSWORD

NEW_PASSWORD = "Nanning-2026-ok"


def flag(user):
    user.must_change_password = True
    user.save()
    return user


def test_sign_in_leads_to_the_password_change_page(cast, sign_in):
    flag(cast["street"])
    response = sign_in("street")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")


def test_every_other_page_redirects_until_the_password_is_changed(cast, login):
    client = login(flag(cast["street"]))
    for name in ("core:home", "accounts:profile", "accounts:user_list", "regions:browse"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    assert 'data-testid="must-change-password"' in page.content.decode()


def test_the_user_can_still_sign_out(cast, login):
    client = login(flag(cast["street"]))
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")


def test_changing_the_password_clears_the_flag(cast, login):
    client = login(flag(cast["street"]))
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert response.status_code == 302
    user = User.objects.get(pk=cast["street"].pk)
    assert user.must_change_password is False
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("core:home")).status_code == 200
    record = user.history.first()
    assert record.history_change_reason == "本人修改密码"
    assert record.history_user == user
