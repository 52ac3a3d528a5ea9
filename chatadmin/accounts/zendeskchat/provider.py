"""The "Sign in with Zendesk Chat" provider for allauth: OAuth authorization code + agents/me."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from chatadmin.accounts.zendeskchat.views import ZendeskChatOAuth2Adapter
from chatadmin.vocabulary import SIGN_IN_SCOPES


class ZendeskChatAccount(ProviderAccount):
    def to_str(self) -> str:
        data = self.account.extra_data
        return str(data.get("display_name") or data.get("email") or super().to_str())


class ZendeskChatProvider(OAuth2Provider):
    id = "zendeskchat"
    name = "Zendesk Chat"
    account_class = ZendeskChatAccount
    oauth2_adapter_class = ZendeskChatOAuth2Adapter

    def get_default_scope(self) -> list[str]:
        return list(SIGN_IN_SCOPES)

    def extract_uid(self, data: dict[str, Any]) -> str:
        return str(data["id"])

    def extract_common_fields(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "email": data["email"],
            "first_name": data.get("first_name", ""),
            "last_name": data.get("last_name", ""),
            "display_name": data.get("display_name", ""),
            "chat_agent_id": data["id"],
            "chat_is_admin": data["is_admin"],
        }

    def extract_email_addresses(self, data: dict[str, Any]) -> list[EmailAddress]:
        # The Chat account manages its agents' addresses; they need no second verification.
        return [EmailAddress(email=data["email"], verified=True, primary=True)]


provider_classes = [ZendeskChatProvider]
