from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "cso.funding"
    label = "funding"
    verbose_name = "资金扶持"

    def ready(self):
        from . import exports  # noqa: F401  (the worker knows the funding export runner)
