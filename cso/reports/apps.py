from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cso.reports"
    label = "reports"
    verbose_name = "季度统计报表"
