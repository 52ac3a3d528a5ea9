from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chatadmin.core"
    label = "core"
    verbose_name = "chatadmin shell"

    def ready(self) -> None:
        from chatadmin.core import checks  # noqa: F401 - registers the system checks
