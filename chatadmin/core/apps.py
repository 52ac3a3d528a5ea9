from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chatadmin.core"
    label = "core"
    verbose_name = "chatadmin shell"
