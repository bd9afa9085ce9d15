"""Sign-up with a mobile number: a one-time code by SMS (sent by a background task through core.messaging),
then code + name + password + community → an organization's account, linked to nothing yet."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cso.accounts.choices import Role
from cso.accounts.models import PhoneCode, User
from cso.core.messaging import clear_sent, sent_messages
from cso.demo.testing import make_user

PAGE = reverse("accounts:signup")
PHONE = "13912345678"
COMMUNITY = "450102001003"


@pytest.fixture(autouse=True)
def _outbox():
    clear_sent()
    yield
    clear_sent()


def last_code(phone=PHONE) -> str:
    import re

    texts = [m.body for m in sent_messages("sms", phone)]
    assert texts, f"no SMS to {phone}"
    return re.search(r"验证码为(\d{6})", texts[-1]).group(1)


def same_page(html: str, phone: str) -> str:
    """The page without its per-response tokens (CSP nonce, CSRF) and with the number blanked."""
    import re

    html = re.sub(r'(nonce|content|value)="[^"]*"', "", html)
    return html.replace(phone, "N").replace(f"{phone[:3]}****{phone[7:]}", "M")


def ask_code(client, capture, phone=PHONE, **extra):
    with capture(execute=True):
        return client.post(PAGE, {"step": "send", "phone": phone}, **extra)


def sign_up(client, code, **extra):
    data = {"code": code, "full_name": "李桂兰", "division": COMMUNITY, "password1": "Qunzhong-2026",
            "password2": "Qunzhong-2026"}
    data.update(extra)
    return client.post(PAGE, data)


def test_a_person_signs_up_with_a_mobile_number_and_lands_signed_in(tree, client,
                                                                      django_capture_on_commit_callbacks):
    assert client.get(PAGE).status_code == 200
    response = ask_code(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    page = client.get(PAGE).content.decode()
    assert "139****5678" in page and PHONE not in page.replace(f'value="{PHONE}"', "")
    record = PhoneCode.objects.get()
    code = last_code()
    assert code not in record.code_hash and len(record.code_hash) == 64
    response = sign_up(client, code)
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username=PHONE)
    assert user.role == Role.ORGANIZATION and user.division_id == COMMUNITY and user.phone == PHONE
    assert user.phone_verified_at is not None and not user.links.exists()
    assert user.check_password("Qunzhong-2026")
    assert client.get(reverse("core:home")).wsgi_request.user == user
    assert PhoneCode.objects.get().used


def test_the_answer_is_the_same_whether_or_not_the_number_has_an_account(cast, client,
                                                                           django_capture_on_commit_callbacks):
    make_user("someone", Role.ORGANIZATION, COMMUNITY, phone="13800000009")
    first = ask_code(client, django_capture_on_commit_callbacks, phone="13800000009")
    text_registered = client.get(PAGE).content.decode()
    client.get(PAGE + "?restart=1")
    ask_code(client, django_capture_on_commit_callbacks, phone="13800000008")
    text_new = client.get(PAGE).content.decode()
    assert first.status_code == 302
    for page in (text_registered, text_new):
        assert "如该号码可以接收短信，验证码将在1分钟内送达" in page
    assert same_page(text_registered, "13800000009") == same_page(text_new, "13800000008")
    # the owner of the registered number proves it, and only then is told to sign in
    client.get(PAGE + "?restart=1")
    ask_code(client, django_capture_on_commit_callbacks, phone="13800000009")
    body = sign_up(client, last_code("13800000009")).content.decode()
    assert "该手机号码已注册账号" in body
    assert User.objects.filter(phone="13800000009").count() == 1


def test_a_wrong_code_counts_and_the_fifth_wrong_try_kills_the_code(tree, client,
                                                                    django_capture_on_commit_callbacks):
    ask_code(client, django_capture_on_commit_callbacks)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        body = sign_up(client, wrong).content.decode()
        assert f"还可尝试{left}次" in body
    body = sign_up(client, wrong).content.decode()
    assert "已输错5次而失效" in body
    body = sign_up(client, code).content.decode()  # even the right code is dead now
    assert "已输错5次而失效" in body
    assert not User.objects.filter(username=PHONE).exists()
    assert PhoneCode.objects.get().attempts == 5


def test_an_expired_code_is_refused(tree, client, django_capture_on_commit_callbacks, settings):
    settings.CSO_PHONE_CODE_MINUTES = 10
    ask_code(client, django_capture_on_commit_callbacks)
    PhoneCode.objects.update(created=timezone.now() - timedelta(minutes=11))
    body = sign_up(client, last_code()).content.decode()
    assert "验证码错误或已失效" in body
    assert not User.objects.filter(username=PHONE).exists()


def test_only_the_newest_code_works(tree, client, django_capture_on_commit_callbacks):
    ask_code(client, django_capture_on_commit_callbacks)
    old = last_code()
    ask_code(client, django_capture_on_commit_callbacks)
    new = last_code()
    if old != new:
        assert "验证码错误或已失效" in sign_up(client, old).content.decode()
    assert sign_up(client, new).status_code == 302


def test_codes_per_phone_and_per_address_are_limited_per_hour(tree, client, settings,
                                                              django_capture_on_commit_callbacks):
    settings.CSO_PHONE_CODES_PER_PHONE_HOUR = 3
    settings.CSO_PHONE_CODES_PER_ADDRESS_HOUR = 5
    for _ in range(3):
        assert ask_code(client, django_capture_on_commit_callbacks).status_code == 302
    body = ask_code(client, django_capture_on_commit_callbacks).content.decode()
    assert "一小时内获取验证码已达3次" in body
    assert len(sent_messages("sms", PHONE)) == 3
    # an hour later the phone may ask again
    PhoneCode.objects.update(created=timezone.now() - timedelta(minutes=61))
    assert ask_code(client, django_capture_on_commit_callbacks).status_code == 302
    # one address asking for many phones is stopped too
    for n in range(4):
        ask_code(client, django_capture_on_commit_callbacks, phone=f"1370000000{n}")
    body = ask_code(client, django_capture_on_commit_callbacks, phone="13700000009").content.decode()
    assert "您所在的网络获取验证码过于频繁" in body
    assert not sent_messages("sms", "13700000009")
    # another address is not stopped
    response = ask_code(client, django_capture_on_commit_callbacks, phone="13700000009", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302


def test_a_malformed_number_is_refused_by_name(tree, client):
    body = client.post(PAGE, {"step": "send", "phone": "12345"}).content.decode()
    assert "请填写正确的11位手机号码" in body
    assert not PhoneCode.objects.exists()


def test_the_community_must_be_chosen_from_the_list_and_passwords_must_match(tree, client,
                                                                             django_capture_on_commit_callbacks):
    ask_code(client, django_capture_on_commit_callbacks)
    code = last_code()
    body = sign_up(client, code, division="450102001000", password2="other-2026").content.decode()
    assert "请从候选中选择组织所在的社区（村）" in body and "两次输入的密码不一致" in body
    assert not User.objects.filter(username=PHONE).exists()
    assert PhoneCode.objects.get().attempts == 0  # a form error does not spend a try


def test_the_public_community_search_answers_without_an_account(tree, client):
    results = client.get(reverse("accounts:signup_communities"), {"q": "兴宁"}).json()["results"]
    assert any(r["value"] == COMMUNITY for r in results)
    assert all(len(r["value"]) == 12 and not r["value"].endswith("000") for r in results)


def test_a_signed_in_account_is_sent_home(cast, login):
    response = login(cast["street"]).get(PAGE)
    assert response.status_code == 302 and response.url == reverse("core:home")


def test_old_codes_are_pruned(tree):
    from django.core.management import call_command

    PhoneCode.objects.create(phone=PHONE, code_hash="x" * 64)
    old = PhoneCode.objects.create(phone=PHONE, code_hash="y" * 64)
    PhoneCode.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=2))
    call_command("prune_phone_codes", verbosity=0)
    assert list(PhoneCode.objects.values_list("code_hash", flat=True)) == ["x" * 64]


@pytest.mark.django_db
def test_the_queued_sms_task_holds_no_usable_code(monkeypatch):
    from cso.accounts import phonecodes, tasks

    queued = []
    from types import SimpleNamespace

    monkeypatch.setattr(tasks, "send_code", SimpleNamespace(enqueue=lambda *args: queued.append(args)))
    monkeypatch.setattr(phonecodes.transaction, "on_commit", lambda func: func())
    phonecodes.issue("13800138000")
    (phone, nonce), = queued
    code = phonecodes.code_of(nonce)
    assert phone == "13800138000" and code not in nonce and len(code) == 6
    phonecodes.verify("13800138000", code)  # the code the SMS carries is the one that works
