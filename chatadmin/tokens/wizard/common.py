"""What the wizard's steps share: the landing URL, its problems, and how they are audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from django.http import HttpRequest
from django.urls import reverse

from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record
from chatadmin.chat import ApiClient

ACTION_START = "token.mint_start"
ACTION_MINT = "token.mint"
ACTION_CLIENT = "client.update"


class WizardProblem(Exception):
    """The wizard could not go on; the message says why in plain words (already audited)."""


@dataclass(frozen=True)
class Target:
    """The client an audit event is about (unknown until the person's choice is checked)."""

    client_id: int | str = ""
    client_name: str = ""

    @classmethod
    def of(cls, client: ApiClient) -> Target:
        return cls(client.id, client.name)

    @property
    def label(self) -> str:
        return self.client_name or (f"client #{self.client_id}" if self.client_id else "")


def wizard_redirect_uri(request: HttpRequest) -> str:
    """The wizard's landing page as Chat must know it: one of the client's redirect URLs."""
    return request.build_absolute_uri(reverse("tokens:landing"))


def redirect_registered(client: ApiClient, redirect_uri: str) -> bool:
    return redirect_uri in client.redirect_uris


def audit(
    user: User,
    action: str,
    outcome: Outcome,
    message: str,
    *,
    request: HttpRequest,
    target: Target | None = None,
) -> None:
    target = target or Target()
    audit_record(
        action,
        outcome=outcome,
        actor=user,
        target_type="client",
        target_id=target.client_id,
        target_label=target.label,
        message=message,
        request=request,
    )


def fail(
    user: User,
    action: str,
    message: str,
    *,
    request: HttpRequest,
    target: Target | None = None,
    outcome: Outcome = Outcome.FAILURE,
) -> NoReturn:
    """Audit a step that did not happen, and stop with its message."""
    audit(user, action, outcome, message, request=request, target=target)
    raise WizardProblem(message)
