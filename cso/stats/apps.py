from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "cso.stats"
    label = "stats"
    verbose_name = "目标与统计指标"

    def ready(self):
        # background work (cso.core.jobs): the worker process learns the runners here
        from . import exports  # noqa: F401
