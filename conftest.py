import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard would refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def tree(db):
    from cso.demo.testing import build_tree
    from cso.orgs.models import RegistryRules
    from cso.regions import codes

    divisions = build_tree()
    # 广西's registry rules, as the demo sets them: seed 001's capital floor and federation minimum, groups
    # below the registration bar filed with the street.
    RegistryRules.objects.create(province_id="450000000000", min_registered_capital=2000,
                                 federation_min_members=30, filing_level=codes.STREET)
    return divisions


@pytest.fixture
def cast(tree):
    from cso.demo.testing import build_cast

    return build_cast()


@pytest.fixture
def login(client):
    """Sign a cast member in on the test client: ``login(cast["street"])``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Statistics and dashboards cache national and provincial results: every test starts and ends
    with an empty cache, so no test sees another's figures."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
