"""Changing API clients: create, update, delete, regenerate the secret.

Each service is one audited operation: it asks the policy first, acts as the person with
their own Chat token (`person_chat`), and every ending is recorded — success, failure with
the plain explanation, denial, or unknown when Chat may have done it without answering. A
client secret never reaches the audit log or a log line: it lives only in the returned
IssuedSecret (whose repr hides it) until the page shows it once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.views.decorators.debug import sensitive_variables

from chatadmin.accounts import policy
from chatadmin.accounts.chat_access import READ_ONLY, cannot_change, person_chat
from chatadmin.accounts.chat_identity import chat_identity_confirm
from chatadmin.accounts.models import User
from chatadmin.accounts.sign_in_client import (
    DELETE_REFUSED,
    is_sign_in_client,
    sign_in_secret_store,
)
from chatadmin.audit.models import Outcome
from chatadmin.audit.operations import AuditedOperation, AuditTarget, audit_attempt, audited
from chatadmin.chat import ApiClient, ChatRefused, ClientInput, IssuedSecret, Removal
from chatadmin.clients.selectors import ClientNotFound, client_get
from chatadmin.clients.snapshot import clients_changed
from chatadmin.core.problems import Denied, InvalidInput, Problem, ReadOnly
from chatadmin.vocabulary import SCOPES

if TYPE_CHECKING:
    from django.http import HttpRequest

CREATE = "client.create"
UPDATE = "client.update"
DELETE = "client.delete"
REGENERATE = "client.secret_regenerate"

# What to tell a person when Chat may have made the change without saying so.
CREATE_UNKNOWN = (
    "chatadmin cannot tell whether the client was created. Look for it in the list before you "
    "try again: if it is there, its secret was never shown to you, so regenerate the secret to "
    "get one."
)
UPDATE_UNKNOWN = "chatadmin cannot tell whether your changes were saved: open the client to check."
DELETE_UNKNOWN = "chatadmin cannot tell whether the client was deleted: check the list."
REGENERATE_UNKNOWN = (
    "chatadmin cannot tell whether the secret was replaced. If it was, the old secret no longer "
    "works and the new one was never shown: regenerate the secret again to see a new one."
)


GONE = "This API client was deleted meanwhile (or it is not one you can change)."


class ConfirmationMismatch(InvalidInput):
    """The typed name did not match the client's name, so nothing was done."""


class SignInClientKept(Denied):
    """chatadmin's own sign-in client is not deleted from the dashboard."""

    title = "chatadmin's sign-in client"


@dataclass(frozen=True)
class ClientUpdate:
    """The client after an edit, and which fields were sent (none: nothing was sent)."""

    client: ApiClient
    changed: tuple[str, ...]


@dataclass(frozen=True)
class ClientDeletion:
    """The client that was deleted, and whether Chat had already deleted it on a first try."""

    client: ApiClient
    removal: Removal


def _may_change_clients(user: User, operation: AuditedOperation) -> None:
    """Support staff change nothing; an admin's role is confirmed with Chat first."""
    if policy.is_admin(user):
        chat_identity_confirm(user, request=operation.request)
    if not policy.can_change_clients(user):
        raise cannot_change(user)


def _client_to_change(user: User, client_id: int, operation: AuditedOperation) -> ApiClient:
    """The client, if this person may change it: denied for support, not found for others."""
    _may_change_clients(user, operation)
    client = client_get(user, client_id, fresh=True)
    operation.about(AuditTarget.client(client))
    if not policy.may_change_client(user, client_agent_id=client.agent_id):
        raise ReadOnly(READ_ONLY)
    return client


@contextmanager
def _writing() -> Iterator[None]:
    """Around a change sent to Chat: drop every list snapshot, whatever came of it.

    A 404 to a change of a client just looked up means it was deleted in between.
    """
    try:
        yield
    except ChatRefused as refused:
        if refused.status == 404:
            raise ClientNotFound(GONE) from refused
        raise
    finally:
        clients_changed()


def _use(client: ApiClient) -> str:
    return "internal-use" if client.is_internal else "external-integration"


def client_input_rejected(
    user: User,
    *,
    action: str,
    problems: Mapping[str, Sequence[str]],
    client_id: int | None = None,
    name: str = "",
    request: HttpRequest | None = None,
) -> ApiClient | None:
    """Record a change that was not sent because the form was invalid; the client it was for.

    Denied for support staff; for an existing client, not found unless this person may change
    it, as if the values had been valid.
    """
    said = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in problems.items())
    target = AuditTarget("client", client_id or "", name)
    client = None
    with audited(action, actor=user, target=target, request=request) as operation:
        if client_id is None:
            _may_change_clients(user, operation)
        else:
            client = _client_to_change(user, client_id, operation)
        operation.record(Outcome.FAILURE, f"Not sent to Chat: the form was not valid ({said}).")
    return client


@sensitive_variables("issued")
def client_create(
    user: User, *, wanted: ClientInput, request: HttpRequest | None = None
) -> IssuedSecret:
    """Create a client as the person; the result carries its secret, to be shown once."""
    target = AuditTarget("client", "", wanted.name)
    with audited(
        CREATE, actor=user, target=target, request=request, if_unknown=CREATE_UNKNOWN
    ) as operation:
        _may_change_clients(user, operation)
        with _writing():
            issued = person_chat(user).client_create(wanted)
        created = issued.client
        operation.about(AuditTarget.client(created))
        operation.succeeded(
            f"Created {created.client_type} {_use(created)} client (client ID "
            f"{created.client_identifier}, scopes {' '.join(created.scopes)}); its secret was "
            "shown once."
        )
    return issued


def client_update(
    user: User, client_id: int, *, wanted: ClientInput, request: HttpRequest | None = None
) -> ClientUpdate:
    """Send only what changed (a partial PUT), so the type and scopes are never reset.

    Scopes chatadmin does not offer, which the client already has, are kept.
    """
    target = AuditTarget("client", client_id)
    with audited(
        UPDATE, actor=user, target=target, request=request, if_unknown=UPDATE_UNKNOWN
    ) as operation:
        client = _client_to_change(user, client_id, operation)
        kept = [scope for scope in client.scopes if scope not in SCOPES]
        wanted = wanted.but(scopes=(*wanted.scopes, *kept))
        changed = wanted.differences(client)
        if not changed:
            operation.succeeded("Nothing changed, so nothing was sent to Chat.")
            return ClientUpdate(client, ())
        with _writing():
            updated = person_chat(user).client_update(client.id, wanted, fields=changed)
        operation.succeeded(f"Changed {', '.join(changed)}; kept the rest as it was.")
    return ClientUpdate(updated, changed)


def client_delete(
    user: User, client_id: int, *, confirm_name: str, request: HttpRequest | None = None
) -> ClientDeletion:
    """Delete a client; an external integration's client needs its name typed to confirm."""
    target = AuditTarget("client", client_id)
    with audited(
        DELETE, actor=user, target=target, request=request, if_unknown=DELETE_UNKNOWN
    ) as operation:
        client = _client_to_change(user, client_id, operation)
        if is_sign_in_client(client):
            raise SignInClientKept(DELETE_REFUSED)
        if not client.is_internal and confirm_name.strip() != client.name.strip():
            operation.record(
                Outcome.FAILURE,
                "The typed name did not match the client's name, so nothing was deleted.",
            )
            raise ConfirmationMismatch(
                f"Type the client's name exactly (“{client.name}”) to delete it. "
                "Nothing was deleted."
            )
        with _writing():
            removal = person_chat(user).client_delete(client.id)
        gone = (
            " Chat had already deleted it: a first attempt got no answer, the retry found it gone."
            if removal is Removal.ALREADY_GONE
            else ""
        )
        operation.succeeded(
            f"Deleted {_use(client)} client (client ID {client.client_identifier}).{gone}"
        )
    return ClientDeletion(client, removal)


@sensitive_variables("issued")
def client_secret_regenerate(
    user: User, client_id: int, *, confirm_name: str = "", request: HttpRequest | None = None
) -> IssuedSecret:
    """Replace the secret (the old one stops working at once); the result carries the new one.

    chatadmin's own sign-in client needs its name typed, and its new secret is kept (encrypted)
    and used for sign-in from then on, so that nobody is locked out.
    """
    target = AuditTarget("client", client_id)
    with audited(
        REGENERATE, actor=user, target=target, request=request, if_unknown=REGENERATE_UNKNOWN
    ) as operation:
        client = _client_to_change(user, client_id, operation)
        sign_in = is_sign_in_client(client)
        if sign_in and confirm_name.strip() != client.name.strip():
            operation.record(
                Outcome.FAILURE,
                "The typed name did not match chatadmin's sign-in client, so nothing was changed.",
            )
            raise ConfirmationMismatch(
                f"Type the client's name exactly (“{client.name}”) to replace the secret of "
                "chatadmin's sign-in client. Nothing was changed."
            )
        with _writing():
            issued = person_chat(user).client_secret_generate(client.id)
        if sign_in:
            sign_in_secret_store(client, issued.secret, actor=user)
        operation.succeeded(
            "Replaced the client secret; the old one stopped working. The new one was shown once."
            + (" chatadmin's sign-in now uses the new secret." if sign_in else "")
        )
    return issued


DeletionStatus = Literal["deleted", "refused", "failed", "unknown"]


@dataclass(frozen=True)
class DeletionResult:
    """What became of one client of a Delete Selected, and why, in plain words."""

    client_id: int
    label: str
    status: DeletionStatus
    message: str


def _status(problem: Problem) -> DeletionStatus:
    if problem.outcome == "unknown":
        return "unknown"
    if problem.outcome == "denied" or isinstance(problem, InvalidInput | ClientNotFound):
        return "refused"
    return "failed"


def client_delete_many(
    user: User,
    *,
    client_ids: Sequence[int],
    confirm_names: Mapping[int, str],
    labels: Mapping[int, str],
    request: HttpRequest | None = None,
) -> tuple[DeletionResult, ...]:
    """Delete Selected: each client deleted (and audited) on its own, with the same rules as one.

    An external client needs its own name in `confirm_names`; chatadmin's sign-in client is
    refused; the others go on whatever happens to one. `labels` name the clients in results.
    """
    if not client_ids:
        audit_attempt(
            DELETE,
            Outcome.FAILURE,
            "Delete Selected with no client selected.",
            actor=user,
            target=AuditTarget("client"),
            request=request,
        )
        raise InvalidInput("Select at least one client to delete.")
    results = []
    for client_id in client_ids:
        label = labels.get(client_id) or "A selected client"
        try:
            deletion = client_delete(
                user, client_id, confirm_name=confirm_names.get(client_id, ""), request=request
            )
        except Problem as problem:
            if problem.signs_out:
                raise
            results.append(DeletionResult(client_id, label, _status(problem), problem.explanation))
            continue
        said = (
            "Deleted (Chat had already deleted it on a first try that got no answer)."
            if deletion.removal is Removal.ALREADY_GONE
            else "Deleted."
        )
        results.append(DeletionResult(client_id, deletion.client.label, "deleted", said))
    return tuple(results)
