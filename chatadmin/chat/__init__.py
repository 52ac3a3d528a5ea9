"""The Chat API client: the only code in chatadmin that talks HTTP to Zendesk Chat (or the sandbox).

    api = ChatApi(BearerCredential(access_token), config=chat_config())
    api.client_list()

OAuth (authorize URLs and the token endpoint) lives in `chatadmin.chat.oauth`.
"""

from chatadmin.chat import oauth
from chatadmin.chat.api import ChatApi
from chatadmin.chat.config import ChatConfig, chat_config
from chatadmin.chat.credentials import BasicCredential, BearerCredential, Credential
from chatadmin.chat.errors import (
    ChatBadResponse,
    ChatConfigurationError,
    ChatError,
    ChatRefused,
    ChatUnavailable,
)
from chatadmin.chat.models import Agent, ApiClient, ClientInput, Token, TokenGrant

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
    "Token",
    "TokenGrant",
    "chat_config",
    "oauth",
]
