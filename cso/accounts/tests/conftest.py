import pytest
from django.urls import reverse

from cso.demo.testing import PASSWORD


@pytest.fixture
def sign_in(client):
    """Sign in through the real login form (django-axes needs the request): ``sign_in("county")``."""

    def _sign_in(username, password=PASSWORD, **extra):
        client.logout()  # each attempt starts signed out, as a fresh browser would
        return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)

    return _sign_in
