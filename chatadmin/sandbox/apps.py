from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """The embedded Chat-API-compatible server; installed only by chatadmin.sandbox.settings."""

    name = "chatadmin.sandbox"
    label = "sandbox"
    verbose_name = "Chat API sandbox"
    default_auto_field = "django.db.models.BigAutoField"
