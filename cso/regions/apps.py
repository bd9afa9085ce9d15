from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "cso.regions"
    label = "regions"
    verbose_name = "行政区划"
