"""The notifications page: own notifications only, unread first, opening one goes to its case, mark all read,
the preferences form; the bell counts the unread."""

import pytest
from django.urls import reverse

from cso.notices.models import Notification, Preference


def make(user, title, read=False, link="/applications/"):
    from django.utils import timezone

    return Notification.objects.create(recipient=user, title=title, body="内容", link=link,
                                       read_at=timezone.now() if read else None)


@pytest.mark.django_db
def test_the_list_shows_own_notifications_unread_first(cast, login):
    user = cast["organization"]
    make(user, "已读的")
    Notification.objects.filter(title="已读的").update(read_at="2026-01-01T00:00:00Z")
    make(user, "未读的")
    make(cast["street"], "别人的")
    body = login(user).get(reverse("notices:list")).content.decode()
    assert body.index("未读的") < body.index("已读的")
    assert "别人的" not in body
    assert 'data-testid="bell-count">1<' in body


@pytest.mark.django_db
def test_opening_marks_read_and_goes_to_the_case(cast, login):
    n = make(cast["organization"], "您的申请已受理", link="/applications/SQ2026-000001/")
    response = login(cast["organization"]).get(reverse("notices:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/applications/SQ2026-000001/"
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.django_db
def test_a_foreign_link_is_not_followed(cast, login):
    n = make(cast["organization"], "x", link="//evil.example/")
    response = login(cast["organization"]).get(reverse("notices:open", args=[n.pk]))
    assert response["Location"] == reverse("notices:list")


@pytest.mark.django_db
def test_user_a_cannot_read_or_mark_user_bs_notification(cast, login):
    theirs = make(cast["street"], "街道的通知")
    client = login(cast["organization"])
    assert client.get(reverse("notices:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notices:read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notices:read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_mark_all_read_and_the_bell(cast, login):
    user = cast["organization"]
    for i in range(3):
        make(user, f"通知{i}")
    client = login(user)
    assert 'data-testid="bell-count">3<' in client.get("/").content.decode()
    response = client.post(reverse("notices:read_all"), follow=True)
    assert "已将 3 条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert 'data-testid="bell-count"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_list_pages(cast, login):
    user = cast["organization"]
    for i in range(25):
        make(user, f"通知{i:02d}")
    client = login(user)
    assert client.get(reverse("notices:list")).context["page_obj"].paginator.num_pages == 2
    assert client.get(reverse("notices:list") + "?page=2").status_code == 200


@pytest.mark.django_db
def test_the_preferences_form_saves(cast, login):
    user = cast["street"]
    client = login(user)
    response = client.post(reverse("notices:preferences"), {"email": "on"})
    assert response.status_code == 302
    pref = Preference.objects.get(user=user)
    assert pref.email is True and pref.sms is False


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("notices:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
