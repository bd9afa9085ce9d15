from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cso.core"
    label = "core"
    verbose_name = "公共"

    def ready(self):
        from . import lookups, navigation

        navigation.autodiscover()
        lookups.autodiscover()
