from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "cso.portal"
    label = "portal"
    verbose_name = "组织和运营方门户"
