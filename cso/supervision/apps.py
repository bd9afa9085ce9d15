from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "cso.supervision"
    label = "supervision"
    verbose_name = "监督管理"

    def ready(self):
        from . import annual_exports  # noqa: F401  (the worker knows the annual-report export runner)
