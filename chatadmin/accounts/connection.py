"""The account connection: a service credential an admin saves for support staff's read-only views.

It is either the admin's own OAuth token (minted by an authorization-code flow with the
dashboard's client) or, on Legacy Chat-only accounts only, basic auth (email + password).
Reading through it, and renewing its token, is Chat access's job (chat_access.py); here it
is saved, checked and removed, each as one audited operation.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from chatadmin.accounts import policy
from chatadmin.accounts.chat_access import connection_chat, connection_get, expiry
from chatadmin.accounts.chat_identity import chat_identity_confirm
from chatadmin.accounts.models import AccountConnection, ConnectionKind, User
from chatadmin.accounts.sign_in_client import sign_in_client_secret
from chatadmin.audit.models import Outcome
from chatadmin.audit.operations import AuditedOperation, AuditTarget, audited
from chatadmin.chat import (
    Agent,
    BasicCredential,
    BearerCredential,
    ChatApi,
    ChatError,
    chat_config,
    oauth,
)
from chatadmin.core.problems import Denied, Problem
from chatadmin.vocabulary import ACCOUNT_TYPE_LABELS, CONNECTION_SCOPES

STATE_SESSION_KEY = "chatadmin.connection.state"
TARGET = AuditTarget("connection", "", "account connection")
ADMINS_ONLY = "Only admins manage the account connection."


class ConnectionProblem(Problem):
    """The connection cannot be saved, used or checked; the explanation is for a person."""

    title = "The account connection did not change"


@dataclass(frozen=True)
class ConnectionSummary:
    """What the settings page shows: never a secret."""

    base_url: str
    host_style: str
    subdomain: str
    account_type: str
    account_type_label: str
    basic_auth_allowed: bool
    connection: AccountConnection | None


def connection_summary() -> ConnectionSummary:
    config = chat_config()
    return ConnectionSummary(
        base_url=config.base_url,
        host_style=config.host_style,
        subdomain=config.subdomain,
        account_type=config.account_type,
        account_type_label=ACCOUNT_TYPE_LABELS[config.account_type],
        basic_auth_allowed=config.allows_basic_auth,
        connection=connection_get(),
    )


def _admins_only(actor: User, request: HttpRequest) -> None:
    if policy.is_admin(actor):
        chat_identity_confirm(actor, request=request)  # Chat may have demoted them meanwhile
    if not policy.can_manage_connection(actor):
        raise Denied(ADMINS_ONLY)


def _callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("connection_callback"))


def connection_oauth_start(actor: User, *, request: HttpRequest) -> str:
    """Where to send the admin to grant the connection a token of their own."""
    with audited(
        "connection.connect_start", actor=actor, target=TARGET, request=request
    ) as operation:
        _admins_only(actor, request)
        operation.succeeded("Sent to Zendesk Chat to grant the connection a token.")
    state = secrets.token_urlsafe(24)
    request.session[STATE_SESSION_KEY] = state
    config = chat_config()
    return oauth.authorize_url(
        config,
        client_id=config.oauth_client_id,
        redirect_uri=_callback_url(request),
        response_type="code",
        scopes=CONNECTION_SCOPES,
        state=state,
    )


@sensitive_variables("code", "grant")
def connection_oauth_finish(
    actor: User, *, request: HttpRequest, code: str, state: str, error: str = ""
) -> AccountConnection:
    """Exchange the code, learn who the token acts as, and save it encrypted."""
    with audited("connection.save", actor=actor, target=TARGET, request=request) as operation:
        _admins_only(actor, request)
        expected = request.session.pop(STATE_SESSION_KEY, None)
        if not expected or not secrets.compare_digest(expected, state or ""):
            raise ConnectionProblem(
                "The answer from Zendesk Chat did not match this request; start again."
            )
        if error:
            raise ConnectionProblem(f"Zendesk Chat did not grant access ({error}).")
        config = chat_config()
        grant = oauth.exchange_code(
            config,
            client_id=config.oauth_client_id,
            client_secret=sign_in_client_secret(),
            code=code,
            redirect_uri=_callback_url(request),
        )
        agent = ChatApi(BearerCredential(grant.access_token), config=config).agent_me()
        if actor.chat_agent_id is not None and agent.id != actor.chat_agent_id:
            raise ConnectionProblem(
                f"You granted access as {agent.email}, but you are signed in as another Chat "
                "agent: the connection must be your own."
            )
        return _save(
            operation,
            actor=actor,
            kind=ConnectionKind.OAUTH,
            agent=agent,
            access_token=grant.access_token,
            refresh_token=grant.refresh_token or "",
            expires_at=expiry(grant),
        )


@sensitive_variables("password")
def connection_save_basic(
    actor: User, *, email: str, password: str, request: HttpRequest
) -> AccountConnection:
    """Save basic auth as the connection: Legacy Chat-only accounts only."""
    with audited("connection.save", actor=actor, target=TARGET, request=request) as operation:
        _admins_only(actor, request)
        # ChatConfigurationError too: basic auth on an account that is not Legacy Chat-only.
        agent = ChatApi(BasicCredential(email, password), config=chat_config()).agent_me()
        return _save(
            operation,
            actor=actor,
            kind=ConnectionKind.BASIC,
            agent=agent,
            basic_email=email,
            basic_password=password,
        )


def connection_save_refused(actor: User, *, message: str, request: HttpRequest) -> None:
    """Record a connection form that was not valid, whoever sent it (denied for non-admins)."""
    with audited("connection.save", actor=actor, target=TARGET, request=request) as operation:
        _admins_only(actor, request)
        operation.record(Outcome.FAILURE, f"Not saved: the form was not valid ({message}).")


def _acts_as(agent: Agent) -> str:
    return f"Acts as {agent.name} ({agent.email})."


@sensitive_variables("access_token", "refresh_token", "basic_password")
def _save(
    operation: AuditedOperation,
    *,
    actor: User,
    kind: str,
    agent: Agent,
    access_token: str = "",
    refresh_token: str = "",
    expires_at: datetime | None = None,
    basic_email: str = "",
    basic_password: str = "",
) -> AccountConnection:
    with transaction.atomic():
        AccountConnection.objects.filter(key=AccountConnection.SINGLETON_KEY).delete()
        connection = AccountConnection.objects.create(
            kind=kind,
            access_token=access_token,
            refresh_token=refresh_token,
            expires_at=expires_at,
            basic_email=basic_email,
            basic_password=basic_password,
            agent_id=agent.id,
            agent_email=agent.email,
            agent_name=agent.display_name,
            agent_is_admin=agent.is_admin,
            saved_by=actor,
            checked_at=timezone.now(),
            check_ok=True,
            check_message=_acts_as(agent),
        )
        operation.succeeded(
            f"{connection.get_kind_display()} acting as {agent.email} (agent #{agent.id})."
        )
    return connection


def connection_delete(actor: User, *, request: HttpRequest) -> None:
    with audited("connection.delete", actor=actor, target=TARGET, request=request) as operation:
        _admins_only(actor, request)
        with transaction.atomic():
            deleted, _ = AccountConnection.objects.filter(
                key=AccountConnection.SINGLETON_KEY
            ).delete()
        if not deleted:
            raise ConnectionProblem("There was no connection to remove.")
        operation.succeeded()


def connection_check(actor: User, *, request: HttpRequest) -> AccountConnection:
    """Ask the Chat account who the connection acts as, and record the answer."""
    with audited("connection.check", actor=actor, target=TARGET, request=request) as operation:
        _admins_only(actor, request)
        connection = connection_get()
        if connection is None:
            raise ConnectionProblem(
                "No account connection is saved: an admin can add one in Settings."
            )
        try:
            agent = connection_chat().agent_me()
        except (Problem, ChatError) as failure:
            message = failure.explanation
            AccountConnection.objects.filter(pk=connection.pk).update(
                checked_at=timezone.now(), check_ok=False, check_message=message
            )
            raise
        AccountConnection.objects.filter(pk=connection.pk).update(
            checked_at=timezone.now(),
            check_ok=True,
            agent_id=agent.id,
            agent_email=agent.email,
            agent_name=agent.display_name,
            agent_is_admin=agent.is_admin,
            check_message=_acts_as(agent),
        )
        operation.succeeded(f"Acts as {agent.email} (agent #{agent.id}).")
    return AccountConnection.objects.get(pk=connection.pk)
