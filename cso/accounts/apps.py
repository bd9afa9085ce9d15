from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cso.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self):
        from . import responsibilities, signals

        signals.connect()
        responsibilities.register_with_rules()
