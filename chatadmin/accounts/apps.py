from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chatadmin.accounts"
    label = "accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        from chatadmin.accounts import signals  # noqa: F401 - connects the audit receivers
