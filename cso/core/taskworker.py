"""Test helpers of background work: a real task backend and a worker loop that drains it (the
conftest fixture ``task_worker``)."""

from __future__ import annotations

import os

import pytest


def task_worker_for(settings):
    """Switch ``settings`` (pytest-django's fixture) to a real task backend and return a function
    that runs a worker over everything queued, until the queue is empty. See conftest ``task_worker``."""
    backend = os.environ.get("CSO_TEST_TASKS_BACKEND", "database")
    if backend == "rq":
        import redis

        url = os.environ.get("CSO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
        # one Redis database per pytest-xdist worker, so that two test processes never take each other's tasks
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        if worker.startswith("gw") and worker[2:].isdigit() and url.rstrip("/").rsplit("/", 1)[-1].isdigit():
            base, number = url.rstrip("/").rsplit("/", 1)
            url = f"{base}/{max(int(number) - int(worker[2:]), 1)}"
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        except redis.RedisError as exc:
            message = f"Redis ({url}) is not reachable: {exc}"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
        settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 600}}
        settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
        import django_rq

        django_rq.get_queue("default").empty()

        def run() -> None:
            from django_tasks_rq import Job
            from rq import SimpleWorker

            queue = django_rq.get_queue("default", job_class=Job)
            SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)

        return run
    if backend != "database":
        raise ValueError(f"CSO_TEST_TASKS_BACKEND: {backend!r} is not 'database' or 'rq'")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

    def run() -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
               max_tasks=None, worker_id="test-worker", excluded_queue_names=[]).run()

    return run
