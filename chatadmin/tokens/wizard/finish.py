"""Coming back from Chat: the testing flow's landing, and the production flow's exchange."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables

from chatadmin.accounts.chat_access import expiry
from chatadmin.accounts.models import User
from chatadmin.audit.operations import audited
from chatadmin.chat import (
    BearerCredential,
    ChatApi,
    ChatError,
    TokenGrant,
    chat_config,
    explanations,
    oauth,
)
from chatadmin.tokens.wizard.common import ACTION_MINT, WizardProblem, client_target
from chatadmin.tokens.wizard.flow import PendingFlow, flow_take, unseal

STATE_MISMATCH = (
    "The answer from Zendesk Chat does not match a token request you started here, so nothing "
    "was exchanged. Start the token wizard again."
)
TOO_OLD = "This token request is more than 10 minutes old. Start the token wizard again."
SEAL_LOST = (
    "The client secret you entered did not survive the trip to Zendesk Chat and back (the "
    "browser dropped chatadmin's short-lived cookie, or it took too long), so nothing was "
    "exchanged. Start the token wizard again."
)
NO_CODE = "Zendesk Chat sent you back without a code, so there is nothing to exchange."
MINT_UNKNOWN = (
    "chatadmin cannot tell whether Chat minted a token (the code cannot be used again). If it "
    "did, it appears on your Tokens page, where you can revoke it; start the wizard again for "
    "one you can see."
)


def duration_words(seconds: int) -> str:
    """A token's lifetime in words, as the testing mode's page says it (static/js/tokens.js)."""
    hours, rest = divmod(seconds, 3600)
    minutes = round(rest / 60)
    if hours >= 48:
        return f"about {round(hours / 24)} days"
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


@dataclass(frozen=True, repr=False)
class MintedToken:
    """A freshly minted production token, for the one page that shows it."""

    grant: TokenGrant
    client_name: str
    acts_as: str
    acts_as_someone_else: bool
    expires_at: datetime | None

    def __repr__(self) -> str:
        return f"MintedToken(client_name={self.client_name!r}, grant={self.grant!r})"

    @property
    def expires_in_words(self) -> str:
        """How long the token lives, in words ("" when Chat did not say)."""
        return duration_words(self.grant.expires_in) if self.grant.expires_in else ""


def token_wizard_landing(user: User, *, request: HttpRequest) -> PendingFlow | None:
    """The testing flow that waits for its token in the fragment (taken out: used once)."""
    flow = flow_take(request)
    if flow is None or flow.mode != "testing" or flow.expired():
        return None
    return flow


def _acts_as(grant: TokenGrant, user: User) -> tuple[str, bool]:
    """Who the new token acts as (when it may read), and whether that is someone else."""
    if "read" not in grant.scopes:
        return "", False
    try:
        with ChatApi(BearerCredential(grant.access_token), config=chat_config()) as api:
            agent = api.agent_me()
    except ChatError:
        return "", False
    named = f"{agent.name} ({agent.email})" if agent.name != agent.email else agent.email
    return named, agent.id != user.chat_agent_id


@sensitive_variables("secret", "sealed_secret", "grant")
def token_wizard_finish(
    user: User,
    *,
    request: HttpRequest,
    code: str,
    state: str,
    error: str,
    sealed_secret: str,
) -> MintedToken:
    """Chat sent a flow back with a code (or an error): check state, exchange the code now.

    Nothing is called unless the state matches the flow this person started.
    """
    with audited(
        ACTION_MINT, actor=user, target=client_target(), request=request, if_unknown=MINT_UNKNOWN
    ) as operation:
        flow = flow_take(request)
        if flow is None or not secrets.compare_digest(flow.state.encode(), state.encode()):
            raise WizardProblem(STATE_MISMATCH)
        operation.about(client_target(flow.client_id, flow.client_name))
        if error:
            explained = explanations.refusal(
                status=400, error=error, description="", details={}, grant=None
            )
            raise WizardProblem(f"Zendesk Chat did not grant a token. {explained}")
        if flow.mode != "production" or not code:
            raise WizardProblem(NO_CODE)
        if flow.expired():
            raise WizardProblem(TOO_OLD)
        secret = unseal(flow.seal_key, sealed_secret)
        if secret is None:
            raise WizardProblem(SEAL_LOST)
        grant = oauth.exchange_code(
            chat_config(),
            client_id=flow.client_identifier,
            client_secret=secret,
            code=code,
            redirect_uri=flow.redirect_uri,
        )
        acts_as, someone_else = _acts_as(grant, user)
        operation.succeeded(
            f"Minted a production token with scopes {' '.join(grant.scopes)!r}"
            + (f", acting as {acts_as}." if acts_as else ".")
        )
    return MintedToken(
        grant,
        flow.client_name,
        acts_as,
        acts_as_someone_else=someone_else,
        expires_at=expiry(grant),
    )
