from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "cso.dashboards"
    label = "dashboards"
    verbose_name = "统计看板"

    def ready(self):
        # the worker process learns the dashboards' roll-up (the to-do list) here
        from . import services  # noqa: F401
