from django.urls import reverse

from cso.accounts.models import User


def test_the_profile_shows_the_account_and_its_division_path(cast, login):
    body = login(cast["community"]).get(reverse("accounts:profile")).content.decode()
    assert "南宁市 / 兴宁区 / 民生街道 / 兴宁社区居委会" in body
    assert "社区（村）工作人员" in body


def test_the_user_edits_name_phone_and_title(cast, login):
    client = login(cast["community"])
    response = client.post(reverse("accounts:profile"),
                           {"full_name": "陈六", "phone": "138 0000 1234", "title": "社区主任"})
    assert response.status_code == 302
    user = User.objects.get(pk=cast["community"].pk)
    assert (user.full_name, user.phone, user.title) == ("陈六", "13800001234", "社区主任")  # normalised
    record = user.history.first()
    assert record.history_user == user
    assert record.history_change_reason == "本人修改个人信息"


def test_the_profile_cannot_change_role_or_division(cast, login):
    client = login(cast["community"])
    client.post(reverse("accounts:profile"), {"full_name": "x", "phone": "", "title": "",
                                              "role": "civil_affairs", "division": "450000000000"})
    user = User.objects.get(pk=cast["community"].pk)
    assert user.role == "community"
    assert user.division_id == "450102001003"


def test_a_bad_phone_number_is_refused(cast, login):
    response = login(cast["community"]).post(reverse("accounts:profile"),
                                             {"full_name": "x", "phone": "call me", "title": ""})
    assert response.status_code == 200
    assert "格式不正确" in response.content.decode()
