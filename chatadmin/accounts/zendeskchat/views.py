"""The OAuth adapter: every call to the Chat account goes through chatadmin.chat."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from allauth.socialaccount.models import SocialApp, SocialLogin, SocialToken
from allauth.socialaccount.providers.base import ProviderException
from allauth.socialaccount.providers.oauth2.client import OAuth2Client
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)
from django.http import HttpRequest
from django.utils import timezone

from chatadmin.accounts.sign_in_client import sign_in_client_secret
from chatadmin.chat import BearerCredential, ChatApi, ChatError, ChatRefused, chat_config, oauth

SIGN_IN_CLIENT_REFUSED = (
    "Zendesk Chat did not accept chatadmin's own sign-in client (its ID or secret), so nobody "
    "can sign in with Chat right now. This is not something you did: ask a chatadmin admin to "
    "check the sign-in client's secret (CHAT_OAUTH_CLIENT_SECRET, or Settings)."
)


class ChatSignInFailed(ProviderException):
    """The Chat account refused or could not complete the sign-in; the message is for a person."""


class ChatOAuth2Client(OAuth2Client):
    """Builds the authorize URL with chatadmin.chat (host style, `subdomain` on the legacy host)."""

    def get_redirect_url(self, authorization_url: str, scope: Any, extra_params: Any) -> str:
        return oauth.authorize_url(
            chat_config(),
            client_id=self.consumer_key,
            redirect_uri=self.callback_url,
            response_type="code",
            scopes=list(scope),
            state=self.state or "",
        )


class ZendeskChatOAuth2Adapter(OAuth2Adapter):
    provider_id = "zendeskchat"
    supports_state = True
    client_class = ChatOAuth2Client
    # allauth wants these; the client class and get_access_token_data below build the real
    # URLs through chatadmin.chat, which knows both host styles.
    authorize_url = ""
    access_token_url = ""

    def get_access_token_data(
        self,
        request: HttpRequest,
        app: SocialApp,
        client: Any,
        pkce_code_verifier: str | None = None,
    ) -> dict[str, Any]:
        """Exchange the code through chatadmin.chat (timeouts, errors, nothing secret logged)."""
        code = request.GET.get("code", "")
        try:
            grant = oauth.exchange_code(
                chat_config(),
                client_id=app.client_id,
                client_secret=sign_in_client_secret(),  # a secret regenerated here wins
                code=code,
                redirect_uri=client.callback_url,
            )
        except ChatRefused as refused:
            if refused.error == "invalid_client" or refused.status == 401:
                # Not the person's doing, and not theirs to fix: the explanation for a
                # client's owner ("regenerate the secret") would mislead them.
                raise ChatSignInFailed(SIGN_IN_CLIENT_REFUSED) from refused
            raise ChatSignInFailed(refused.explanation) from refused
        except ChatError as error:
            raise ChatSignInFailed(error.explanation) from error
        self.did_fetch_access_token = True
        return {
            "access_token": grant.access_token,
            "refresh_token": grant.refresh_token or "",
            "expires_in": grant.expires_in,
            "scope": " ".join(grant.scopes),
        }

    def parse_token(self, data: dict[str, Any]) -> SocialToken:
        token = SocialToken(token=data["access_token"], token_secret=data.get("refresh_token", ""))
        if data.get("expires_in"):
            token.expires_at = timezone.now() + timedelta(seconds=int(data["expires_in"]))
        return token

    def complete_login(
        self, request: HttpRequest, app: SocialApp, token: SocialToken, **kwargs: Any
    ) -> SocialLogin:
        """Ask the Chat account who the token belongs to."""
        try:
            with ChatApi(BearerCredential(token.token), config=chat_config()) as api:
                agent = api.agent_me()
        except ChatError as error:
            raise ChatSignInFailed(error.explanation) from error
        if not agent.enabled:
            raise ChatSignInFailed("Your Chat agent account is disabled.")
        data = dataclasses.asdict(agent)
        data["is_admin"] = agent.is_admin
        data["create_date"] = agent.create_date.isoformat() if agent.create_date else None
        data["scope"] = kwargs.get("response", {}).get("scope", "")
        return self.get_provider().sociallogin_from_response(request, data)


oauth2_login = OAuth2LoginView.adapter_view(ZendeskChatOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(ZendeskChatOAuth2Adapter)
