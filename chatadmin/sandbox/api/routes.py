"""The Chat REST API's operations: agents, roles, OAuth clients and OAuth tokens.

Views stay thin: they check input through the schemas and call chatadmin.sandbox.clients /
chatadmin.sandbox.tokens, which hold the rules. Bodies are bare objects and arrays.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status

from chatadmin.sandbox import clients, shapes, tokens
from chatadmin.sandbox.api.auth import AUTH
from chatadmin.sandbox.api.handlers import body_is_not_an_object, not_an_object
from chatadmin.sandbox.api.schemas import (
    MAX_ID,
    AgentOut,
    ClientCreateIn,
    ClientOut,
    ClientUpdateIn,
    ClientWithSecretOut,
    Error,
    RoleOut,
    TokenOut,
    ValidationFailure,
)
from chatadmin.sandbox.errors import ApiError
from chatadmin.sandbox.models import Agent, Role

router = Router(auth=AUTH)

MAX_EMAIL = 254  # RFC 5321's longest address; Django's EmailField allows as much

# Every authenticated operation can answer these: no or bad credentials, a missing scope,
# and the fault knobs (429 rate limit, 503 injected failure).
_ALWAYS = (401, 403, 429, 503)


def answers(success: dict[int, Any], *statuses: int) -> dict[int, Any]:
    """The documented responses of an operation: its success and every error it can send."""
    documented = dict(success)
    for status in (*statuses, *_ALWAYS):
        documented[status] = ValidationFailure if status == 422 else Error
    return documented


def _item_id() -> Any:
    """A path id: ids are positive bigints; anything else is simply not found."""
    return Path(..., ge=1, le=MAX_ID)


def _agent(request: HttpRequest) -> Agent:
    agent = request.auth  # type: ignore[attr-defined]
    assert isinstance(agent, Agent)  # noqa: S101 - AUTH only ever returns agents
    return agent


def _json(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type="application/json")


# --- Agents and roles ----------------------------------------------------------------------


@router.get("/agents/me", response=answers({200: AgentOut}), tags=["agents"])
def agents_me(request: HttpRequest) -> dict[str, Any]:
    """The agent the credentials belong to."""
    return shapes.agent_shape(_agent(request))


@router.get("/agents", response=answers({200: list[AgentOut]}, 422), tags=["agents"])
def agents_list(
    request: HttpRequest,
    since_id: int = Query(0, ge=0, le=MAX_ID, description="Agents with this id or higher."),
    limit: int = Query(100, ge=1, le=1000, description="At most this many agents."),
) -> list[dict[str, Any]]:
    """Agents by id; page with `since_id` = last id + 1."""
    agents = Agent.objects.select_related("role").filter(id__gte=since_id).order_by("id")
    return [shapes.agent_shape(agent) for agent in agents[:limit]]


@router.get("/agents/email/{email}", response=answers({200: AgentOut}, 404), tags=["agents"])
def agents_show_by_email(
    request: HttpRequest,
    email: str = Path(..., description="The agent's email address, matched regardless of case."),
) -> dict[str, Any]:
    """The agent with this email address, shown as agents/{agent_id} shows it (zenpy calls it)."""
    address = email.strip()
    if "@" not in address or len(address) > MAX_EMAIL or not address.isprintable():
        raise ApiError(404)  # cannot be an agent's address: not worth a query
    agent = Agent.objects.select_related("role").filter(email__iexact=address).first()
    if agent is None:
        raise ApiError(404)
    return shapes.agent_shape(agent)


@router.get("/agents/{agent_id}", response=answers({200: AgentOut}, 404), tags=["agents"])
def agents_show(request: HttpRequest, agent_id: int = _item_id()) -> dict[str, Any]:
    agent = Agent.objects.select_related("role").filter(pk=agent_id).first()
    if agent is None:
        raise ApiError(404)
    return shapes.agent_shape(agent)


def _members_per_role() -> dict[int, int]:
    return dict(Agent.objects.values_list("role_id").annotate(members=Count("id")).order_by())


@router.get("/roles", response=answers({200: list[RoleOut]}), tags=["roles"])
def roles_list(request: HttpRequest) -> list[dict[str, Any]]:
    members = _members_per_role()
    return [shapes.role_shape(role, members.get(role.id, 0)) for role in Role.objects.all()]


@router.get("/roles/{role_id}", response=answers({200: RoleOut}, 404), tags=["roles"])
def roles_show(request: HttpRequest, role_id: int = _item_id()) -> dict[str, Any]:
    role = Role.objects.filter(pk=role_id).first()
    if role is None:
        raise ApiError(404)
    return shapes.role_shape(role, _members_per_role().get(role.id, 0))


# --- OAuth clients -------------------------------------------------------------------------


@router.get("/oauth/clients", response=answers({200: list[ClientOut]}), tags=["oauth clients"])
def clients_list(request: HttpRequest) -> HttpResponse:
    """Admins: every client. Agents: the clients they created. Never a secret."""
    return _json(clients.client_list_json(_agent(request)))


@router.post(
    "/oauth/clients",
    response=answers({201: ClientWithSecretOut}, 400, 422),
    tags=["oauth clients"],
)
def clients_create(request: HttpRequest, payload: ClientCreateIn) -> Status:
    """Create a client owned by the caller; the answer carries the only copy of the secret."""
    client, secret = clients.client_create(_agent(request), payload.model_dump())
    return Status(201, shapes.client_shape(client, secret=secret))


@router.get(
    "/oauth/clients/{client_id}", response=answers({200: ClientOut}, 404), tags=["oauth clients"]
)
def clients_show(request: HttpRequest, client_id: int = _item_id()) -> dict[str, Any]:
    return shapes.client_shape(clients.client_get(_agent(request), client_id))


@router.put(
    "/oauth/clients/{client_id}",
    response=answers({200: ClientOut}, 400, 404, 422),
    tags=["oauth clients"],
)
def clients_update(
    request: HttpRequest, payload: ClientUpdateIn, client_id: int = _item_id()
) -> dict[str, Any]:
    """Change the fields sent (any subset); the others, client_type included, stay as they are."""
    if body_is_not_an_object(request):
        raise not_an_object()  # every field is optional, so only this check catches `[]` or `"x"`
    changes = payload.model_dump(exclude_unset=True)
    return shapes.client_shape(clients.client_update(_agent(request), client_id, changes))


@router.delete(
    "/oauth/clients/{client_id}", response=answers({204: None}, 404), tags=["oauth clients"]
)
def clients_delete(request: HttpRequest, client_id: int = _item_id()) -> Status:
    """Delete the client; every token it issued stops working."""
    clients.client_delete(_agent(request), client_id)
    return Status(204, None)


@router.post(
    "/oauth/clients/{client_id}/generate_secret",
    response=answers({200: ClientWithSecretOut}, 404),
    tags=["oauth clients"],
)
def clients_generate_secret(request: HttpRequest, client_id: int = _item_id()) -> dict[str, Any]:
    """Replace the client's secret; the answer carries the only copy of the new one."""
    client, secret = clients.client_secret_regenerate(_agent(request), client_id)
    return shapes.client_shape(client, secret=secret)


# --- OAuth tokens --------------------------------------------------------------------------


@router.get("/oauth/tokens", response=answers({200: list[TokenOut]}), tags=["oauth tokens"])
def tokens_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's own tokens (admins included), values masked."""
    return [shapes.token_shape(token) for token in tokens.tokens_of(_agent(request))]


@router.get(
    "/oauth/tokens/{token_id}", response=answers({200: TokenOut}, 404), tags=["oauth tokens"]
)
def tokens_show(request: HttpRequest, token_id: int = _item_id()) -> dict[str, Any]:
    return shapes.token_shape(tokens.token_get(_agent(request), token_id))


@router.delete(
    "/oauth/tokens/{token_id}", response=answers({204: None}, 404), tags=["oauth tokens"]
)
def tokens_revoke(request: HttpRequest, token_id: int = _item_id()) -> Status:
    """Revoke one of the caller's own tokens; anyone else's is a 404."""
    tokens.token_revoke(_agent(request), token_id)
    return Status(204, None)
