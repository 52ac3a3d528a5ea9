"""The Chat API client: the only code in chatadmin that talks HTTP to Zendesk Chat (or the sandbox).

    api = ChatApi(BearerCredential(access_token), config=chat_config())
    api.client_list()

In the dashboard, services and selectors get their ChatApi from chatadmin.accounts.chat_access.

OAuth (authorize URLs and the token endpoint) lives in `chatadmin.chat.oauth`.
"""

from chatadmin.chat import oauth
from chatadmin.chat.api import ChatApi, CredentialSource, FixedCredential, Removal
from chatadmin.chat.config import ChatConfig, chat_config
from chatadmin.chat.credentials import BasicCredential, BearerCredential, Credential
from chatadmin.chat.deadline import chat_deadline
from chatadmin.chat.errors import (
    ChatBadResponse,
    ChatConfigurationError,
    ChatError,
    ChatRefused,
    ChatUnavailable,
)
from chatadmin.chat.resources import (
    Agent,
    ApiClient,
    ClientInput,
    IssuedSecret,
    Role,
    Token,
    TokenGrant,
)

__all__ = [
    "Agent",
    "ApiClient",
    "BasicCredential",
    "BearerCredential",
    "ChatApi",
    "ChatBadResponse",
    "ChatConfig",
    "ChatConfigurationError",
    "ChatError",
    "ChatRefused",
    "ChatUnavailable",
    "ClientInput",
    "Credential",
    "CredentialSource",
    "FixedCredential",
    "IssuedSecret",
    "Removal",
    "Role",
    "Token",
    "TokenGrant",
    "chat_config",
    "chat_deadline",
    "oauth",
]
