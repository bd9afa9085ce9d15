from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "cso.supervision"
    label = "supervision"
    verbose_name = "监督管理"

    def ready(self):
        # the worker knows the export runners of the annual-report lists and the evaluation list
        from . import annual_exports, evaluation_exports  # noqa: F401
