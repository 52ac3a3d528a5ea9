from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "chatadmin.tokens"
    label = "tokens"
    verbose_name = "OAuth tokens"
