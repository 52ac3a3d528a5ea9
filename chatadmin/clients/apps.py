from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "chatadmin.clients"
    label = "clients"
    verbose_name = "API clients"
