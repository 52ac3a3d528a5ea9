"""Starting the wizard: check the client, scopes and redirect URL; send the person to Chat."""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpRequest

from chatadmin.accounts import policy
from chatadmin.accounts.chat_identity import chat_identity_confirm
from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from chatadmin.audit.operations import AuditedOperation, audit_attempt, audited
from chatadmin.chat import ApiClient, ClientInput, chat_config, oauth
from chatadmin.clients.selectors import ClientNotFound, client_get
from chatadmin.clients.snapshot import clients_changed
from chatadmin.tokens.selectors import own_tokens_chat
from chatadmin.tokens.wizard.common import (
    ACTION_CLIENT,
    ACTION_START,
    WizardDenied,
    WizardProblem,
    client_target,
    redirect_registered,
    target_of,
    wizard_redirect_uri,
)
from chatadmin.tokens.wizard.flow import Mode, PendingFlow, flow_keep, seal

CLIENT_UNKNOWN = (
    "chatadmin cannot tell whether the wizard's URL was added to the client: open the wizard "
    "again to check."
)


@dataclass(frozen=True)
class WizardStart:
    """Where to send the person, and the sealed client secret to send along (production)."""

    authorize_url: str
    sealed_secret: str


NOT_YOURS = "That is not an API client you can mint tokens for here."


def token_wizard_refused(user: User, *, request: HttpRequest, message: str) -> None:
    """Record wizard input that was refused before anything was called."""
    audit_attempt(ACTION_START, Outcome.FAILURE, message, actor=user, request=request)


def _mintable_client(user: User, client_id: int, operation: AuditedOperation) -> ApiClient:
    """The client, if this person may mint tokens for (and so change) it."""
    if not policy.has_tokens(user):
        raise WizardDenied("Support staff have no tokens and change nothing.")
    if policy.is_admin(user):
        chat_identity_confirm(user, request=operation.request)
    try:
        client = client_get(user, client_id)
    except ClientNotFound as missing:
        raise WizardDenied(NOT_YOURS) from missing
    if not policy.may_mint_token(user, client_agent_id=client.agent_id):
        raise WizardDenied(NOT_YOURS)
    operation.about(target_of(client))
    return client


def token_wizard_start(
    user: User,
    *,
    request: HttpRequest,
    client_id: int,
    scopes: Sequence[str],
    mode: Mode,
    client_secret: str = "",
) -> WizardStart:
    """Check the request, keep its state in the session, and build Chat's authorize link."""
    with audited(
        ACTION_START, actor=user, target=client_target(client_id), request=request
    ) as operation:
        client = _mintable_client(user, client_id, operation)
        started = _start(request, client, scopes=scopes, mode=mode, client_secret=client_secret)
        operation.succeeded(
            f"Sent to Zendesk Chat for a {mode} token with scopes {' '.join(scopes)!r}."
        )
    return started


def _start(
    request: HttpRequest,
    client: ApiClient,
    *,
    scopes: Sequence[str],
    mode: Mode,
    client_secret: str,
) -> WizardStart:
    refused = [scope for scope in scopes if scope not in client.scopes]
    if refused:
        message = (
            f"The client {client.name!r} allows only the scopes {' '.join(client.scopes)!r}, "
            f"so it cannot grant {' '.join(refused)!r}. Add them to the client first."
        )
        raise WizardProblem(message)
    redirect_uri = wizard_redirect_uri(request)
    if not redirect_registered(client, redirect_uri):
        message = (
            f"chatadmin's wizard URL {redirect_uri} is not one of the redirect URLs of "
            f"{client.name!r}, so Zendesk Chat would refuse to send the token there. Add it "
            "to the client first."
        )
        raise WizardProblem(message)
    if mode == "production" and not client_secret:
        raise WizardProblem("Production mode needs the client secret.")
    seal_key, sealed = seal(client_secret) if mode == "production" else ("", "")
    state = secrets.token_urlsafe(24)
    flow_keep(
        request,
        PendingFlow(
            state=state,
            mode=mode,
            client_id=client.id,
            client_identifier=client.client_identifier,
            client_name=client.name,
            scopes=tuple(scopes),
            redirect_uri=redirect_uri,
            started_at=time.time(),
            seal_key=seal_key,
        ),
    )
    url = oauth.authorize_url(
        chat_config(),
        client_id=client.client_identifier,
        redirect_uri=redirect_uri,
        response_type="code" if mode == "production" else "token",
        scopes=scopes,
        state=state,
    )
    return WizardStart(authorize_url=url, sealed_secret=sealed)


def token_wizard_redirect_add(user: User, *, request: HttpRequest, client_id: int) -> ApiClient:
    """Add the wizard's landing page to the client's redirect URLs (a partial PUT, audited)."""
    with audited(
        ACTION_CLIENT,
        actor=user,
        target=client_target(client_id),
        request=request,
        if_unknown=CLIENT_UNKNOWN,
    ) as operation:
        client = _mintable_client(user, client_id, operation)
        redirect_uri = wizard_redirect_uri(request)
        if redirect_registered(client, redirect_uri):
            operation.succeeded("The wizard's URL was a redirect URL already; nothing was sent.")
            return client
        wanted = ClientInput.of(client).but(redirect_uris=(*client.redirect_uris, redirect_uri))
        try:
            updated = own_tokens_chat(user).client_update(
                client.id, wanted, fields=("redirect_uris",)
            )
        finally:
            clients_changed()
        operation.succeeded(
            f"Added chatadmin's token wizard URL {redirect_uri} to the redirect URLs."
        )
    return updated
