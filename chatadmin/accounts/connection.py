"""The account connection: a service credential an admin saves for support staff's read-only views.

It is either the admin's own OAuth token (minted by an authorization-code flow with the
dashboard's client) or, on Legacy Chat-only accounts only, basic auth (email + password).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from chatadmin.accounts import policy
from chatadmin.accounts.credentials import expiry, tokens_renew
from chatadmin.accounts.models import AccountConnection, ConnectionKind, User
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record
from chatadmin.chat import (
    Agent,
    BasicCredential,
    BearerCredential,
    ChatApi,
    ChatError,
    ChatRefused,
    chat_config,
    oauth,
)

STATE_SESSION_KEY = "chatadmin.connection.state"
REFRESH_MARGIN = timedelta(seconds=60)


class ConnectionProblem(Exception):
    """The connection cannot be saved, used or checked; the message is for a person."""


@dataclass(frozen=True)
class ConnectionSummary:
    """What the settings page shows: never a secret."""

    base_url: str
    host_style: str
    subdomain: str
    account_type: str
    basic_auth_allowed: bool
    connection: AccountConnection | None


def connection_summary() -> ConnectionSummary:
    config = chat_config()
    return ConnectionSummary(
        base_url=config.base_url,
        host_style=config.host_style,
        subdomain=config.subdomain,
        account_type=config.account_type,
        basic_auth_allowed=config.account_type == "legacy_chat_only",
        connection=AccountConnection.objects.filter(key=AccountConnection.SINGLETON_KEY).first(),
    )


def _deny(actor: User, action: str, request: HttpRequest | None) -> NoReturn:
    audit_record(
        action,
        outcome=Outcome.DENIED,
        actor=actor,
        target_type="connection",
        target_label="account connection",
        message="Only admins manage the account connection.",
        request=request,
    )
    raise ConnectionProblem("Only admins manage the account connection.")


def _fail(actor: User, action: str, message: str, request: HttpRequest | None) -> NoReturn:
    audit_record(
        action,
        outcome=Outcome.FAILURE,
        actor=actor,
        target_type="connection",
        target_label="account connection",
        message=message,
        request=request,
    )
    raise ConnectionProblem(message)


def _callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("connection_callback"))


def connection_oauth_start(actor: User, *, request: HttpRequest) -> str:
    """Where to send the admin to grant the connection a token of their own."""
    if not policy.can_manage_connection(actor):
        _deny(actor, "connection.save", request)
    state = secrets.token_urlsafe(24)
    request.session[STATE_SESSION_KEY] = state
    config = chat_config()
    return oauth.authorize_url(
        config,
        client_id=config.oauth_client_id,
        redirect_uri=_callback_url(request),
        response_type="code",
        scopes=["read"],
        state=state,
    )


def connection_oauth_finish(
    actor: User, *, request: HttpRequest, code: str, state: str, error: str = ""
) -> AccountConnection:
    """Exchange the code, learn who the token acts as, and save it encrypted."""
    action = "connection.save"
    if not policy.can_manage_connection(actor):
        _deny(actor, action, request)
    expected = request.session.pop(STATE_SESSION_KEY, None)
    if not expected or not secrets.compare_digest(expected, state or ""):
        _fail(
            actor,
            action,
            "The answer from Zendesk Chat did not match this request; start again.",
            request,
        )
    if error:
        _fail(actor, action, f"Zendesk Chat did not grant access ({error}).", request)
    config = chat_config()
    try:
        grant = oauth.exchange_code(
            config,
            client_id=config.oauth_client_id,
            client_secret=config.oauth_client_secret,
            code=code,
            redirect_uri=_callback_url(request),
        )
        with ChatApi(BearerCredential(grant.access_token), config=config) as api:
            agent = api.agent_me()
    except ChatError as failure:
        _fail(actor, action, failure.explanation, request)
    if actor.chat_agent_id is not None and agent.id != actor.chat_agent_id:
        _fail(
            actor,
            action,
            f"You granted access as {agent.email}, but you are Chat agent #{actor.chat_agent_id}: "
            "the connection must be your own.",
            request,
        )
    expires_at = expiry(grant)
    return _save(
        actor,
        request=request,
        kind=ConnectionKind.OAUTH,
        agent=agent,
        access_token=grant.access_token,
        refresh_token=grant.refresh_token or "",
        expires_at=expires_at,
    )


def connection_save_basic(
    actor: User, *, email: str, password: str, request: HttpRequest
) -> AccountConnection:
    """Save basic auth as the connection: Legacy Chat-only accounts only."""
    action = "connection.save"
    if not policy.can_manage_connection(actor):
        _deny(actor, action, request)
    config = chat_config()
    try:
        with ChatApi(BasicCredential(email, password), config=config) as api:
            agent = api.agent_me()
    except ChatError as failure:  # ChatConfigurationError too: basic auth on a non-legacy account
        _fail(actor, action, failure.explanation, request)
    return _save(
        actor,
        request=request,
        kind=ConnectionKind.BASIC,
        agent=agent,
        basic_email=email,
        basic_password=password,
    )


def _save(
    actor: User,
    *,
    request: HttpRequest,
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
            check_message=f"Acts as {agent.display_name or agent.email} (agent #{agent.id}).",
        )
        audit_record(
            "connection.save",
            outcome=Outcome.SUCCESS,
            actor=actor,
            target_type="connection",
            target_label="account connection",
            message=f"{connection.get_kind_display()} acting as {agent.email} (agent #{agent.id}).",
            request=request,
        )
    return connection


def connection_delete(actor: User, *, request: HttpRequest) -> None:
    if not policy.can_manage_connection(actor):
        _deny(actor, "connection.delete", request)
    with transaction.atomic():
        deleted, _ = AccountConnection.objects.filter(key=AccountConnection.SINGLETON_KEY).delete()
        audit_record(
            "connection.delete",
            outcome=Outcome.SUCCESS if deleted else Outcome.FAILURE,
            actor=actor,
            target_type="connection",
            target_label="account connection",
            message="" if deleted else "There was no connection to remove.",
            request=request,
        )


def _connection() -> AccountConnection:
    connection = AccountConnection.objects.filter(key=AccountConnection.SINGLETON_KEY).first()
    if connection is None:
        raise ConnectionProblem("No account connection is saved: an admin can add one in Settings.")
    return connection


def _renew(connection: AccountConnection) -> None:
    """Renew an OAuth connection's token (refresh tokens rotate: keep the new one)."""
    if not connection.refresh_token:
        raise ConnectionProblem(
            "The connection's token expired and cannot be renewed; reconnect it."
        )
    try:
        grant = tokens_renew(connection.refresh_token)
    except ChatRefused as failure:
        raise ConnectionProblem(
            f"The connection's token was refused and could not be renewed: {failure.explanation} "
            "An admin must reconnect it."
        ) from failure
    connection.access_token = grant.access_token
    connection.refresh_token = grant.refresh_token or connection.refresh_token
    connection.expires_at = expiry(grant)
    connection.save(update_fields=["access_token", "refresh_token", "expires_at"])


def _api(connection: AccountConnection) -> ChatApi:
    config = chat_config()
    if connection.kind == ConnectionKind.BASIC:
        return ChatApi(
            BasicCredential(connection.basic_email, connection.basic_password), config=config
        )
    return ChatApi(BearerCredential(connection.access_token), config=config)


def connection_call[Result](operation: Callable[[ChatApi], Result]) -> Result:
    """Run a read through the account connection, renewing its token when needed."""
    with transaction.atomic():
        connection = _connection()
        if (
            connection.kind == ConnectionKind.OAUTH
            and connection.expires_at
            and (connection.expires_at - timezone.now() <= REFRESH_MARGIN)
        ):
            connection = AccountConnection.objects.select_for_update().get(pk=connection.pk)
            _renew(connection)
    try:
        with _api(connection) as api:
            return operation(api)
    except ChatRefused as failure:
        if failure.status != 401 or connection.kind != ConnectionKind.OAUTH:
            raise
    with transaction.atomic():
        connection = AccountConnection.objects.select_for_update().get(pk=connection.pk)
        _renew(connection)
    with _api(connection) as api:
        return operation(api)


def connection_check(actor: User, *, request: HttpRequest) -> AccountConnection:
    """Ask the Chat account who the connection acts as, and record the answer."""
    if not policy.can_manage_connection(actor):
        _deny(actor, "connection.check", request)
    connection = _connection()
    try:
        agent = connection_call(lambda api: api.agent_me())
    except (ChatError, ConnectionProblem) as failure:
        message = failure.explanation if isinstance(failure, ChatError) else str(failure)
        AccountConnection.objects.filter(pk=connection.pk).update(
            checked_at=timezone.now(), check_ok=False, check_message=message
        )
        _fail(actor, "connection.check", message, request)
    AccountConnection.objects.filter(pk=connection.pk).update(
        checked_at=timezone.now(),
        check_ok=True,
        agent_id=agent.id,
        agent_email=agent.email,
        agent_name=agent.display_name,
        agent_is_admin=agent.is_admin,
        check_message=f"Acts as {agent.display_name or agent.email} (agent #{agent.id}).",
    )
    audit_record(
        "connection.check",
        outcome=Outcome.SUCCESS,
        actor=actor,
        target_type="connection",
        target_label="account connection",
        message=f"Acts as {agent.email} (agent #{agent.id}).",
        request=request,
    )
    return AccountConnection.objects.get(pk=connection.pk)
