from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "chatadmin.audit"
    label = "audit"
    verbose_name = "Audit log"
