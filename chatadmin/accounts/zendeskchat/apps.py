from django.apps import AppConfig


class ZendeskChatProviderConfig(AppConfig):
    """allauth finds the provider in this app's `provider` module."""

    name = "chatadmin.accounts.zendeskchat"
    label = "zendeskchat"
    verbose_name = "Sign in with Zendesk Chat"
