"""Changing API clients: create, update, delete, regenerate the secret.

Each service asks the policy first, acts as the person with their own Chat token
(`chat_write`), and records every outcome in the audit log: success, failure with the plain
explanation, and denial. A client secret never reaches the audit log or a log line: it lives
only in the returned ApiClient (whose repr hides it) until the page shows it once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.views.decorators.debug import sensitive_variables

from chatadmin.accounts import policy
from chatadmin.accounts.access import NoChatAccess, chat_write
from chatadmin.accounts.credentials import ChatSignInRequired
from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record
from chatadmin.chat import ApiClient, ChatApi, ChatError, ChatRefused, ClientInput
from chatadmin.chat.models import checked_client_type
from chatadmin.clients.selectors import ClientNotFound, client_get

if TYPE_CHECKING:
    from django.http import HttpRequest

CREATE = "client.create"
UPDATE = "client.update"
DELETE = "client.delete"
REGENERATE = "client.secret_regenerate"
# Scopes the dashboard offers; any other scope a client already has is kept on edit.
KNOWN_SCOPES = ("read", "write", "chat")
READ_ONLY = "Support staff have read-only access: nothing can be changed here."


class ClientDenied(Exception):
    """The policy does not let this person change clients (support staff)."""


class ConfirmationMismatch(Exception):
    """The typed name did not match the client's name, so nothing was deleted."""


@dataclass(frozen=True)
class ClientUpdate:
    """The client after an edit, and which fields were sent (none: nothing was sent)."""

    client: ApiClient
    changed: tuple[str, ...]


class ClientChanges(TypedDict, total=False):
    """The fields a partial PUT sends: only those that changed."""

    name: str
    company: str
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...]
    client_type: str


@dataclass(frozen=True)
class _Target:
    id: object = ""
    label: str = ""


def _record(
    user: User,
    action: str,
    outcome: Outcome,
    target: _Target,
    message: str,
    request: HttpRequest | None,
) -> None:
    audit_record(
        action,
        outcome=outcome,
        actor=user,
        target_type="client",
        target_id=target.id,
        target_label=target.label,
        message=message,
        request=request,
    )


def _require_change_role(
    user: User, action: str, target: _Target, request: HttpRequest | None
) -> None:
    if not policy.can_change_clients(user):
        _record(user, action, Outcome.DENIED, target, READ_ONLY, request)
        raise ClientDenied(READ_ONLY)


def _explained(problem: Exception) -> str:
    return problem.explanation if isinstance(problem, ChatError) else str(problem)


def _client_to_change(
    user: User, client_id: int, action: str, request: HttpRequest | None
) -> ApiClient:
    """The client, if this person may change it: denied for support, not found for others."""
    _require_change_role(user, action, _Target(client_id), request)
    try:
        client = client_get(user, client_id)
    except (ClientNotFound, NoChatAccess, ChatError, ChatSignInRequired) as problem:
        _record(user, action, Outcome.FAILURE, _Target(client_id), _explained(problem), request)
        raise
    if not policy.may_change_client(user, client_agent_id=client.agent_id):
        _record(user, action, Outcome.DENIED, _Target(client.id, client.name), READ_ONLY, request)
        raise ClientDenied(READ_ONLY)
    return client


def _write[Result](
    user: User,
    action: str,
    target: _Target,
    request: HttpRequest | None,
    operation: Callable[[ChatApi], Result],
) -> Result:
    """Run one change as the person; a failure is recorded with its plain explanation."""
    try:
        return chat_write(user, operation)
    except ChatRefused as error:
        if error.status == 404 and target.id != "":
            # Deleted meanwhile, or never the person's: the same answer either way.
            gone = ClientNotFound(f"There is no API client #{target.id} that you can see.")
            _record(user, action, Outcome.FAILURE, target, str(gone), request)
            raise gone from error
        _record(user, action, Outcome.FAILURE, target, error.explanation, request)
        raise
    except (NoChatAccess, ChatError, ChatSignInRequired) as problem:
        _record(user, action, Outcome.FAILURE, target, _explained(problem), request)
        raise


def client_input_rejected(
    user: User,
    *,
    action: str,
    problems: Mapping[str, Sequence[str]],
    client_id: int | None = None,
    name: str = "",
    request: HttpRequest | None = None,
) -> None:
    """Record a change that was not sent because the form was invalid.

    Denied for support staff; for an existing client, ClientNotFound unless this person may
    change it, as if the values had been valid.
    """
    target = _Target(client_id or "", name)
    if client_id is None:
        _require_change_role(user, action, target, request)
    else:
        client = _client_to_change(user, client_id, action, request)
        target = _Target(client.id, client.name)
    said = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in problems.items())
    message = f"Not sent to Chat: the form was not valid ({said})."
    _record(user, action, Outcome.FAILURE, target, message, request)


@sensitive_variables("created")
def client_create(
    user: User,
    *,
    name: str,
    company: str,
    redirect_uris: Sequence[str],
    scopes: Sequence[str],
    client_type: str,
    request: HttpRequest | None = None,
) -> ApiClient:
    """Create a client as the person; the result carries its secret, to be shown once."""
    target = _Target("", name)
    _require_change_role(user, CREATE, target, request)
    wanted = ClientInput(
        name=name,
        company=company,
        redirect_uris=redirect_uris,
        scopes=scopes,
        client_type=checked_client_type(client_type),
    )
    created = _write(user, CREATE, target, request, lambda api: api.client_create(wanted))
    use = "internal-use" if created.is_internal else "external-integration"
    message = (
        f"Created {created.client_type} {use} client (client ID {created.client_identifier}, "
        f"scopes {' '.join(created.scopes)}); its secret was shown once."
    )
    _record(user, CREATE, Outcome.SUCCESS, _Target(created.id, created.name), message, request)
    return created


def _changes(
    client: ApiClient,
    *,
    name: str,
    company: str,
    redirect_uris: Sequence[str],
    scopes: Sequence[str],
    client_type: str,
) -> ClientChanges:
    """Only the fields that differ from the client as it is now."""
    kept = [scope for scope in client.scopes if scope not in KNOWN_SCOPES]
    wanted_scopes = tuple(dict.fromkeys([*scopes, *kept]))
    changes: ClientChanges = {}
    if name != client.name:
        changes["name"] = name
    if company != client.company:
        changes["company"] = company
    if set(redirect_uris) != set(client.redirect_uris):
        changes["redirect_uris"] = tuple(redirect_uris)
    if set(wanted_scopes) != set(client.scopes):
        changes["scopes"] = wanted_scopes
    if client_type != client.client_type:
        changes["client_type"] = checked_client_type(client_type)
    return changes


def client_update(
    user: User,
    client_id: int,
    *,
    name: str,
    company: str,
    redirect_uris: Sequence[str],
    scopes: Sequence[str],
    client_type: str,
    request: HttpRequest | None = None,
) -> ClientUpdate:
    """Send only what changed (a partial PUT), so the type and scopes are never reset."""
    client = _client_to_change(user, client_id, UPDATE, request)
    target = _Target(client.id, client.name)
    changes = _changes(
        client,
        name=name,
        company=company,
        redirect_uris=redirect_uris,
        scopes=scopes,
        client_type=client_type,
    )
    if not changes:
        message = "Nothing changed, so nothing was sent to Chat."
        _record(user, UPDATE, Outcome.SUCCESS, target, message, request)
        return ClientUpdate(client, ())
    updated = _write(
        user,
        UPDATE,
        target,
        request,
        lambda api: api.client_update(client.id, **changes),
    )
    message = f"Changed {', '.join(changes)}; kept the rest as it was."
    _record(user, UPDATE, Outcome.SUCCESS, _Target(updated.id, updated.name), message, request)
    return ClientUpdate(updated, tuple(changes))


def client_delete(
    user: User, client_id: int, *, confirm_name: str, request: HttpRequest | None = None
) -> ApiClient:
    """Delete a client; an external integration's client needs its name typed to confirm."""
    client = _client_to_change(user, client_id, DELETE, request)
    target = _Target(client.id, client.name)
    if not client.is_internal and confirm_name.strip() != client.name.strip():
        message = "The typed name did not match the client's name, so nothing was deleted."
        _record(user, DELETE, Outcome.FAILURE, target, message, request)
        raise ConfirmationMismatch(
            f"Type the client's name exactly (“{client.name}”) to delete it. Nothing was deleted."
        )
    _write(user, DELETE, target, request, lambda api: api.client_delete(client.id))
    use = "internal-use" if client.is_internal else "external-integration"
    message = f"Deleted {use} client (client ID {client.client_identifier})."
    _record(user, DELETE, Outcome.SUCCESS, target, message, request)
    return client


@sensitive_variables("renewed")
def client_secret_regenerate(
    user: User, client_id: int, *, request: HttpRequest | None = None
) -> ApiClient:
    """Replace the secret (the old one stops working at once); the result carries the new one."""
    client = _client_to_change(user, client_id, REGENERATE, request)
    target = _Target(client.id, client.name)
    renewed = _write(
        user, REGENERATE, target, request, lambda api: api.client_secret_generate(client.id)
    )
    message = "Replaced the client secret; the old one stopped working. The new one was shown once."
    _record(user, REGENERATE, Outcome.SUCCESS, target, message, request)
    return renewed
