"""What the wizard's steps share: the landing URL, its problems, and what they are about."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from chatadmin.audit.operations import AuditTarget
from chatadmin.chat import ApiClient
from chatadmin.core.problems import Problem

ACTION_START = "token.mint_start"
ACTION_MINT = "token.mint"
ACTION_CLIENT = "client.update"


class WizardProblem(Problem):
    """The wizard could not go on; the explanation says why in plain words (audited)."""

    title = "The token wizard stopped"


class WizardDenied(WizardProblem):
    """Not a client this person may mint tokens for (or no tokens at all: support staff)."""

    outcome = "denied"


def client_target(client_id: int | str = "", client_name: str = "") -> AuditTarget:
    """The client an audit event is about (its name once the person's choice is checked)."""
    return AuditTarget("client", client_id, client_name)


def target_of(client: ApiClient) -> AuditTarget:
    return AuditTarget.client(client)


def wizard_redirect_uri(request: HttpRequest) -> str:
    """The wizard's landing page as Chat must know it: one of the client's redirect URLs."""
    return request.build_absolute_uri(reverse("tokens:landing"))


def redirect_registered(client: ApiClient, redirect_uri: str) -> bool:
    return redirect_uri in client.redirect_uris
