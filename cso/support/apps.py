from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "cso.support"
    label = "support"
    verbose_name = "培育扶持"

    def ready(self):
        from cso.applications.signals import application_moved

        from . import exports  # noqa: F401  (the worker knows the place-list export runner)
        from .receivers import graduation_decided

        application_moved.connect(graduation_decided, dispatch_uid="support.graduation")
