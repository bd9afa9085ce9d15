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
def _private_media(settings, tmp_path):
    """Applicants' materials (cso.core.privatefiles) go to a directory of the test's own."""
    settings.CSO_PRIVATE_MEDIA_ROOT = str(tmp_path / "private-media")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Statistics and dashboards cache national and provincial results: every test starts and ends
    with an empty cache, so no test sees another's figures."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _tasks_inline(settings):
    """Background tasks run inside the test (django-tasks' immediate backend), unless a test asks
    for a real worker with the ``task_worker`` fixture (cso/core/testing.py)."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def task_worker(settings, _tasks_inline):
    """A real task backend and a worker loop that drains it: ``task_worker()`` runs every queued
    task. The backend is the database one, or Redis (RQ) when CSO_TEST_TASKS_BACKEND=rq (the
    second round of scripts/test.sh); without a reachable Redis that round skips, or fails in CI."""
    from cso.core.taskworker import task_worker_for

    return task_worker_for(settings)
