"""The sandbox's demo account, as plain data.

This module imports nothing from Django so that the dashboard's process (which does not
install the sandbox app), the test fixture and the bench can read the same facts the seed
writes. The dashboard client's identifier and secret are a contract with the dashboard's demo
settings (CHAT_OAUTH_CLIENT_ID / CHAT_OAUTH_CLIENT_SECRET defaults): change them together.
"""

from __future__ import annotations

from dataclasses import dataclass

PASSWORD = "sandbox-demo"  # noqa: S105 - the demo agents' shared password, printed on start
ACCOUNT_TYPE = "phase4"
SUBDOMAIN = "demo"

DASHBOARD_CLIENT_ID = "chatadmin-dashboard"
DASHBOARD_CLIENT_SECRET = "chatadmin-dashboard-demo-secret"  # noqa: S105 - demo only
DASHBOARD_REDIRECT_URIS = (
    "http://127.0.0.1:8000/accounts/zendeskchat/login/callback/",
    "http://localhost:8000/accounts/zendeskchat/login/callback/",
    # Settings > Chat API connection > "Connect with my Chat account".
    "http://127.0.0.1:8000/settings/connection/callback/",
    "http://localhost:8000/settings/connection/callback/",
)

OWNER = "owner@sandbox.test"
ADMIN = "admin@sandbox.test"
AGENT1 = "agent1@sandbox.test"
AGENT2 = "agent2@sandbox.test"
DISABLED = "disabled@sandbox.test"


@dataclass(frozen=True)
class DemoRole:
    id: int
    kind: str
    name: str
    description: str


@dataclass(frozen=True)
class DemoAgent:
    id: int
    email: str
    role_kind: str
    first_name: str
    last_name: str
    enabled: bool = True

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class DemoClient:
    client_identifier: str
    name: str
    company: str
    owner: str
    redirect_uris: str
    scopes: str
    client_type: str


@dataclass(frozen=True)
class DemoToken:
    agent: str
    client_identifier: str
    scopes: str
    created_hours_ago: float
    expires_in_hours: float  # from now; negative means already expired
    with_refresh_token: bool = True


ROLES = (
    DemoRole(1, "owner", "Owner", "The account owner: every permission, and billing."),
    DemoRole(2, "administrator", "Administrator", "Manages the account, agents and API clients."),
    DemoRole(3, "agent", "Agent", "Serves chats; manages only the API clients they created."),
)

AGENTS = (
    DemoAgent(1, OWNER, "owner", "Olivia", "Owner"),
    DemoAgent(2, ADMIN, "administrator", "Adam", "Admin"),
    DemoAgent(3, AGENT1, "agent", "Ada", "Agent"),
    DemoAgent(4, AGENT2, "agent", "Alan", "Agent"),
    DemoAgent(5, DISABLED, "agent", "Dora", "Disabled", enabled=False),
)

LOCALHOST = "http://localhost:8080"
EXTERNAL = "https://integrations.example.com/callback"

CLIENTS = (
    DemoClient(
        DASHBOARD_CLIENT_ID,
        "chatadmin dashboard",
        "chatadmin",
        OWNER,
        " ".join(DASHBOARD_REDIRECT_URIS),
        "read write chat",
        "confidential",
    ),
    DemoClient(
        "owner-reporting-script", "Reporting script", "Demo Co", OWNER, LOCALHOST, "read", "public"
    ),
    DemoClient(
        "admin-helpdesk-sync",
        "Helpdesk sync",
        "Example Integrations Ltd",
        ADMIN,
        EXTERNAL,
        "read write",
        "confidential",
    ),
    DemoClient(
        "agent1-local-tool", "Local tool", "Demo Co", AGENT1, LOCALHOST, "read write chat", "public"
    ),
    DemoClient(
        "agent1-crm-bridge",
        "CRM bridge",
        "Example Integrations Ltd",
        AGENT1,
        f"{EXTERNAL} {LOCALHOST}",
        "read write",
        "confidential",
    ),
    DemoClient("agent2-test-client", "Test client", "Demo Co", AGENT2, LOCALHOST, "read", "public"),
)

TOKENS = (
    DemoToken(OWNER, "owner-reporting-script", "read", created_hours_ago=72, expires_in_hours=7),
    DemoToken(ADMIN, "admin-helpdesk-sync", "read write", created_hours_ago=24, expires_in_hours=9),
    DemoToken(
        AGENT1,
        "agent1-local-tool",
        "read write chat",
        created_hours_ago=2,
        expires_in_hours=8,
        with_refresh_token=False,  # an implicit-grant token: no refresh token
    ),
    DemoToken(
        AGENT1, "agent1-crm-bridge", "read write", created_hours_ago=288, expires_in_hours=-278
    ),
    DemoToken(AGENT2, "agent2-test-client", "read", created_hours_ago=9.5, expires_in_hours=0.5),
)


def sign_in_lines() -> list[str]:
    """Who can sign in to the sandbox, and the dashboard's client, for a console."""
    lines = [f"Sandbox agents (password for all: {PASSWORD}):"]
    for agent in AGENTS:
        state = "" if agent.enabled else " (disabled: cannot sign in)"
        lines.append(f"  {agent.email:<24} {agent.role_kind}{state}")
    lines.append(
        f"Dashboard sign-in client: client_id={DASHBOARD_CLIENT_ID} "
        f"client_secret={DASHBOARD_CLIENT_SECRET} (demo only)"
    )
    return lines
