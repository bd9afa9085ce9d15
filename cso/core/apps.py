from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cso.core"
    label = "core"
    verbose_name = "公共"

    def ready(self):
        from .navigation import autodiscover

        autodiscover()
