from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "cso.funding"
    label = "funding"
    verbose_name = "资金扶持"
