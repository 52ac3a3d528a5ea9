"""OAuth clients: who sees which, what is valid, and the changes the API makes.

Admins (owner, administrator) see and change every client; agents only the clients they
created, and another agent's client is a 404 so its existence does not leak (DESIGN.md).
What is valid lives in chatadmin.sandbox.validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import connections, router, transaction
from django.db.models import QuerySet
from django.utils import timezone

from chatadmin.sandbox import hashing, shapes
from chatadmin.sandbox.errors import ApiError
from chatadmin.sandbox.models import Agent, ClientType, OAuthClient
from chatadmin.sandbox.validation import DEFAULT_SCOPES, validate


def clients_visible_to(agent: Agent) -> QuerySet[OAuthClient]:
    clients = OAuthClient.objects.all()
    return clients if agent.is_admin else clients.filter(agent=agent)


def client_list_json(agent: Agent) -> bytes:
    """Every client the agent may see, as the JSON array the API sends.

    Rows straight from the database cursor into orjson, with no model instances, no field
    converters and no response-schema pass (bench/sandbox_clients.py: 10,000 clients).
    """
    query = clients_visible_to(agent).order_by("id").values_list(*shapes.CLIENT_FIELDS).query
    sql, params = query.get_compiler(using=query_db()).as_sql()
    with connections[query_db()].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return shapes.client_rows_json(rows)


def query_db() -> str:
    return router.db_for_read(OAuthClient)


def client_get(agent: Agent, client_id: int) -> OAuthClient:
    try:
        return clients_visible_to(agent).get(pk=client_id)
    except OAuthClient.DoesNotExist:
        raise ApiError(404) from None


def client_create(agent: Agent, data: Mapping[str, Any]) -> tuple[OAuthClient, str]:
    """A new client owned by `agent`, and its secret (shown this once, stored hashed)."""
    fields = {"company": "", "scopes": DEFAULT_SCOPES, "client_type": ClientType.PUBLIC}
    fields.update(validate(data))
    secret = hashing.new_secret()
    client = OAuthClient(
        agent=agent,
        client_identifier=hashing.new_secret(hashing.IDENTIFIER_LENGTH),
        **fields,
    )
    client.set_secret(secret)
    client.save()
    return client, secret


@transaction.atomic
def client_update(agent: Agent, client_id: int, data: Mapping[str, Any]) -> OAuthClient:
    """Change only the fields sent; a missing client_type is kept, never reset to public."""
    client = client_get(agent, client_id)
    changes = validate(data)
    for field, value in changes.items():
        setattr(client, field, value)
    client.update_date = timezone.now()
    client.save(update_fields=[*changes, "update_date"])
    return client


@transaction.atomic
def client_delete(agent: Agent, client_id: int) -> None:
    """Delete the client; its codes and tokens go with it, so they stop working at once."""
    client_get(agent, client_id).delete()


@transaction.atomic
def client_secret_regenerate(agent: Agent, client_id: int) -> tuple[OAuthClient, str]:
    """A new secret; the old one stops working. Tokens already issued keep working."""
    client = client_get(agent, client_id)
    secret = hashing.new_secret()
    client.set_secret(secret)
    client.update_date = timezone.now()
    client.save(update_fields=["secret_digest", "update_date"])
    return client, secret
