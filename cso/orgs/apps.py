from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "cso.orgs"
    label = "orgs"
    verbose_name = "社会组织"

    def ready(self):
        from . import audit, audit_links

        audit.register()
        audit_links.register()

        # background work (cso.core.jobs): the worker process learns the runners and tasks here
        from . import exports, tasks  # noqa: F401
