from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "cso.stats"
    label = "stats"
    verbose_name = "目标与统计指标"
