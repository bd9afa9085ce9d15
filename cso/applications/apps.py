from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cso.applications"
    verbose_name = "网上办理"

    def ready(self):
        from . import checks  # noqa: F401  (registers applications.E002)
