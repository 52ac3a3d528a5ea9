"""One audited operation: whatever happens inside it is recorded once, with its outcome.

    with audited("client.delete", actor=user, target=AuditTarget.client(client),
                 request=request, if_unknown="Check the list: ...") as operation:
        api.client_delete(client.id)
        operation.succeeded("Deleted ...")

Success, failure, denial and unknown come from what happened: a `Problem` raised inside
carries its own outcome (denied, failure, unknown); a `ChatError` becomes the Problem it is
(unknown when a change may have been made, worded with `if_unknown`) and is raised as that,
so views meet only Problems. A block that ends without saying records a plain success.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record
from chatadmin.chat import ApiClient, ChatError
from chatadmin.core.problems import Problem, chat_problem

if TYPE_CHECKING:
    from django.http import HttpRequest

    from chatadmin.accounts.models import User


@dataclass(frozen=True)
class AuditTarget:
    """What an event is about: a type, an id and how a person recognises it."""

    type: str = ""
    id: object = ""
    label: str = ""

    @classmethod
    def client(cls, client: ApiClient) -> AuditTarget:
        return cls("client", client.id, client.label)


class AuditedOperation:
    """The event being written for one operation; say how it ended, or let it say itself."""

    def __init__(
        self,
        action: str,
        *,
        actor: User | None,
        target: AuditTarget,
        request: HttpRequest | None,
        actor_label: str = "",
    ) -> None:
        self.action = action
        self.actor = actor
        self.actor_label = actor_label
        self.target = target
        self.request = request
        self.outcome: Outcome | None = None

    def about(self, target: AuditTarget) -> None:
        """Name the target once it is known (the client behind an id, say)."""
        self.target = target

    def record(self, outcome: Outcome, message: str = "") -> None:
        """Write the event (once: a second call is a bug)."""
        if self.outcome is not None:
            raise RuntimeError(f"{self.action} was recorded already as {self.outcome}")
        self.outcome = outcome
        audit_record(
            self.action,
            outcome=outcome,
            actor=self.actor,
            actor_label=self.actor_label,
            target_type=self.target.type,
            target_id=self.target.id,
            target_label=self.target.label,
            message=message,
            request=self.request,
        )

    def succeeded(self, message: str = "") -> None:
        self.record(Outcome.SUCCESS, message)

    def stopped(self, problem: Problem) -> Problem:
        """Record a problem that ends the operation, and hand it back to be raised."""
        self.record(Outcome(problem.outcome), problem.explanation)
        return problem


@contextmanager
def audited(
    action: str,
    *,
    actor: User | None,
    target: AuditTarget | None = None,
    request: HttpRequest | None = None,
    if_unknown: str = "",
    actor_label: str = "",
) -> Iterator[AuditedOperation]:
    """Run an operation whose every ending is recorded in the audit log exactly once."""
    operation = AuditedOperation(
        action,
        actor=actor,
        target=target or AuditTarget(),
        request=request,
        actor_label=actor_label,
    )
    try:
        yield operation
    except Problem as problem:
        if operation.outcome is None:
            operation.stopped(problem)
        raise
    except ChatError as error:
        explained = chat_problem(error, if_unknown=if_unknown)
        if operation.outcome is None:
            operation.stopped(explained)
        raise explained from error
    if operation.outcome is None:
        operation.succeeded()


def audit_attempt(
    action: str,
    outcome: Outcome,
    message: str,
    *,
    actor: User | None,
    target: AuditTarget | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Record an attempt that ended before anything was done (refused input, not allowed)."""
    with audited(action, actor=actor, target=target, request=request) as operation:
        operation.record(outcome, message)
