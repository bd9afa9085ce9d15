import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import path

from cso.core import views
from cso.urls import urlpatterns as site_urlpatterns


def _forbidden(request):
    raise PermissionDenied


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("forbidden/", _forbidden),
    path("boom/", _boom),
    *site_urlpatterns,
]
handler403 = "cso.core.views.permission_denied"
handler500 = "cso.core.views.server_error"


def test_an_unknown_page_is_a_chinese_404(cast, login):
    response = login(cast["street"]).get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert "不在您账号所属区划的范围内" in body


def test_a_refused_page_is_a_chinese_403(cast, login, settings):
    settings.ROOT_URLCONF = __name__
    response = login(cast["street"]).get("/forbidden/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_a_server_error_is_a_chinese_500_that_needs_no_database(cast, client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    client.force_login(cast["street"])
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "系统出错" in response.content.decode()


@pytest.mark.django_db
def test_the_500_view_renders_without_a_request_context(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "系统出错" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get("/divisions/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_health_check_answers_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("role", ["province", "county", "street", "community", "organization"])
def test_the_home_page_counts_the_units_below_the_users_division(cast, login, role):
    response = login(cast[role]).get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert cast[role].division.name in body


def test_navigation_follows_the_role(cast, login):
    body = login(cast["organization"]).get("/").content.decode()
    assert "账号管理" not in body
    assert "审计日志" not in body
    assert "统计报表" not in body
    assert "统计看板" in body
    body = login(cast["county"]).get("/").content.decode()
    assert "账号管理" in body
    assert "审计日志" in body
    assert "统计报表" in body
    assert "统计指标" in body
