"""Starting the wizard: check the client, scopes and redirect URL; send the person to Chat."""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpRequest

from chatadmin.accounts import policy
from chatadmin.accounts.access import NoChatAccess, chat_write
from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from chatadmin.chat import ApiClient, ChatError, chat_config, oauth
from chatadmin.clients.selectors import ClientNotFound, client_get
from chatadmin.tokens.selectors import problem_text
from chatadmin.tokens.wizard.common import (
    ACTION_CLIENT,
    ACTION_START,
    Target,
    audit,
    fail,
    redirect_registered,
    wizard_redirect_uri,
)
from chatadmin.tokens.wizard.flow import Mode, PendingFlow, flow_keep, seal


@dataclass(frozen=True)
class WizardStart:
    """Where to send the person, and the sealed client secret to send along (production)."""

    authorize_url: str
    sealed_secret: str


def token_wizard_refused(user: User, *, request: HttpRequest, message: str) -> None:
    """Record wizard input that was refused before anything was called."""
    audit(user, ACTION_START, Outcome.FAILURE, message, request=request)


def _mintable_client(user: User, client_id: int, *, action: str, request: HttpRequest) -> ApiClient:
    """The client, if this person may mint tokens for (and so change) it; audited otherwise."""
    asked = Target(client_id)
    not_found = f"There is no API client #{client_id} that you can use here."
    if not policy.has_tokens(user):
        message = "Support staff have no tokens and change nothing."
        fail(user, action, message, request=request, target=asked, outcome=Outcome.DENIED)
    try:
        client = client_get(user, client_id)
    except ClientNotFound:
        fail(user, action, not_found, request=request, target=asked, outcome=Outcome.DENIED)
    except (ChatError, NoChatAccess) as problem:
        fail(user, action, problem_text(problem), request=request, target=asked)
    if not policy.may_mint_token(user, client_agent_id=client.agent_id):
        fail(user, action, not_found, request=request, target=asked, outcome=Outcome.DENIED)
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
    client = _mintable_client(user, client_id, action=ACTION_START, request=request)
    target = Target.of(client)
    refused = [scope for scope in scopes if scope not in client.scopes]
    if refused:
        message = (
            f"The client {client.name!r} allows only the scopes {' '.join(client.scopes)!r}, "
            f"so it cannot grant {' '.join(refused)!r}. Add them to the client first."
        )
        fail(user, ACTION_START, message, request=request, target=target)
    redirect_uri = wizard_redirect_uri(request)
    if not redirect_registered(client, redirect_uri):
        message = (
            f"chatadmin's wizard URL {redirect_uri} is not one of the redirect URLs of "
            f"{client.name!r}, so Zendesk Chat would refuse to send the token there. Add it "
            "to the client first."
        )
        fail(user, ACTION_START, message, request=request, target=target)
    if mode == "production" and not client_secret:
        message = "Production mode needs the client secret."
        fail(user, ACTION_START, message, request=request, target=target)
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
    message = f"Sent to Zendesk Chat for a {mode} token with scopes {' '.join(scopes)!r}."
    audit(user, ACTION_START, Outcome.SUCCESS, message, request=request, target=target)
    return WizardStart(authorize_url=url, sealed_secret=sealed)


def token_wizard_redirect_add(user: User, *, request: HttpRequest, client_id: int) -> ApiClient:
    """Add the wizard's landing page to the client's redirect URLs (a partial PUT, audited)."""
    client = _mintable_client(user, client_id, action=ACTION_CLIENT, request=request)
    target = Target.of(client)
    redirect_uri = wizard_redirect_uri(request)
    if redirect_registered(client, redirect_uri):
        return client
    wanted = [*client.redirect_uris, redirect_uri]
    try:
        updated = chat_write(user, lambda api: api.client_update(client.id, redirect_uris=wanted))
    except (ChatError, NoChatAccess) as problem:
        fail(user, ACTION_CLIENT, problem_text(problem), request=request, target=target)
    message = f"Added chatadmin's token wizard URL {redirect_uri} to the redirect URLs."
    audit(user, ACTION_CLIENT, Outcome.SUCCESS, message, request=request, target=target)
    return updated
