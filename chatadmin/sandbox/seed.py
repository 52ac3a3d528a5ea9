"""The demo account (chatadmin.sandbox.demo) written into the database, idempotently.

Seeding creates what is missing and leaves the rest alone, except the dashboard's sign-in
client, whose identifier, secret, redirect URIs, scopes and type are a contract with the
dashboard's demo settings and are put back each time. Reset wipes everything first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from chatadmin.sandbox import demo, hashing
from chatadmin.sandbox.models import (
    AccessToken,
    Account,
    Agent,
    ClientType,
    Grant,
    OAuthClient,
    RefreshToken,
    Role,
)
from chatadmin.sandbox.tokens import TOKEN_LENGTH, token_store


@dataclass(frozen=True)
class SeedReport:
    agents: int
    clients: int
    tokens: int


@cache
def _demo_password_hash() -> str:
    # Hashing costs ~20 ms; resets happen before every test that uses the sandbox.
    return make_password(demo.PASSWORD)


@transaction.atomic
def seed() -> SeedReport:
    """Create the demo account's missing parts; report what was created."""
    Account.load()
    for role in demo.ROLES:
        Role.objects.update_or_create(
            id=role.id,
            defaults={"kind": role.kind, "name": role.name, "description": role.description},
        )
    new_agents = 0
    for person in demo.AGENTS:
        _, created = Agent.objects.get_or_create(
            id=person.id,
            defaults={
                "email": person.email,
                "password": _demo_password_hash(),
                "role_id": next(r.id for r in demo.ROLES if r.kind == person.role_kind),
                "first_name": person.first_name,
                "last_name": person.last_name,
                "display_name": person.display_name,
                "is_active": person.enabled,
            },
        )
        new_agents += created
    new_clients = sum(_seed_client(client) for client in demo.CLIENTS)
    new_tokens = sum(_seed_token(token) for token in demo.TOKENS)
    return SeedReport(agents=new_agents, clients=new_clients, tokens=new_tokens)


def _seed_client(spec: demo.DemoClient) -> bool:
    owner = Agent.objects.get(email=spec.owner)
    client, created = OAuthClient.objects.get_or_create(
        client_identifier=spec.client_identifier,
        defaults={
            "name": spec.name,
            "company": spec.company,
            "agent": owner,
            "redirect_uris": spec.redirect_uris,
            "scopes": spec.scopes,
            "client_type": spec.client_type,
        },
    )
    if spec.client_identifier == demo.DASHBOARD_CLIENT_ID:
        client.agent = owner
        client.redirect_uris = spec.redirect_uris
        client.scopes = spec.scopes
        client.client_type = ClientType.CONFIDENTIAL
        client.set_secret(demo.DASHBOARD_CLIENT_SECRET)
        client.save()
    elif created:
        client.set_secret(hashing.new_secret())  # nobody knows it: generate_secret gives one
        client.save(update_fields=["secret_digest"])
    return created


def _seed_token(spec: demo.DemoToken) -> bool:
    agent = Agent.objects.get(email=spec.agent)
    client = OAuthClient.objects.get(client_identifier=spec.client_identifier)
    if AccessToken.objects.filter(agent=agent, client=client).exists():
        return False
    created = timezone.now() - timedelta(hours=spec.created_hours_ago)
    lifetime = timedelta(hours=spec.created_hours_ago + spec.expires_in_hours)
    # The values are thrown away: only their digests are kept, so nobody can use these
    # tokens; they exist to be listed and revoked.
    token_store(
        agent=agent,
        client=client,
        scopes=spec.scopes,
        access_token=hashing.new_secret(TOKEN_LENGTH),
        refresh_token=hashing.new_secret(TOKEN_LENGTH) if spec.with_refresh_token else None,
        expires_in=int(lifetime.total_seconds()),
        created=created,
    )
    return True


@transaction.atomic
def reset() -> SeedReport:
    """Wipe every row (sign-in sessions too) and seed again, knobs back to their start."""
    for model in (Grant, RefreshToken, AccessToken, OAuthClient, Agent, Role, Account, Session):
        model.objects.all().delete()
    return seed()


def bulk_clients(count: int, *, owner: str = demo.OWNER) -> int:
    """Add `count` generated clients (benchmarks, paging demos). Returns the new total."""
    agent = Agent.objects.get(email=owner)
    moment = timezone.now()
    batch = [
        OAuthClient(
            client_identifier=hashing.new_secret(hashing.IDENTIFIER_LENGTH),
            name=f"Generated client {number}",
            company="Bulk Co",
            redirect_uris=demo.LOCALHOST if number % 2 else demo.EXTERNAL,
            scopes="read write",
            client_type=ClientType.PUBLIC if number % 3 else ClientType.CONFIDENTIAL,
            secret_digest=hashing.digest(hashing.new_secret()),
            agent=agent,
            create_date=moment,
            update_date=moment,
        )
        for number in range(1, count + 1)
    ]
    OAuthClient.objects.bulk_create(batch, batch_size=500)
    return OAuthClient.objects.count()
