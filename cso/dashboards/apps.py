from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "cso.dashboards"
    label = "dashboards"
    verbose_name = "统计看板"
