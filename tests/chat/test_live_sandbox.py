"""The Chat client against a live sandbox over real HTTP: every operation, in both host styles.

Proves the client and the sandbox agree on paths, shapes, statuses and errors.
"""

from __future__ import annotations

import pytest

from chatadmin.chat import (
    BasicCredential,
    BearerCredential,
    ChatApi,
    ChatConfigurationError,
    ChatRefused,
    ClientInput,
    Removal,
)
from chatadmin.sandbox import demo
from tests.chat.live import api_as, live_config
from tests.chat.operations import client_update
from tests.fixtures.sandbox import LiveSandbox

pytestmark = pytest.mark.live

NEW_CLIENT = ClientInput(
    name="Live test app",
    company="Acme",
    redirect_uris=["http://localhost:8080/cb", "https://app.example.com/cb"],
    scopes=["read", "write"],
    client_type="public",
)


def test_agents(sandbox: LiveSandbox, host_style: str) -> None:
    with api_as(sandbox, host_style, demo.OWNER) as owner:
        me = owner.agent_me()
        everyone = owner.agent_list()
        page = owner.agent_list(since_id=3, limit=2)
        second_agent = owner.agent_get(4)
        with pytest.raises(ChatRefused) as missing:
            owner.agent_get(999_999)

    assert (me.email, me.is_owner, me.is_admin, me.first_name) == (demo.OWNER, True, True, "Olivia")
    assert me.create_date is not None
    assert [(agent.email, agent.is_admin, agent.enabled) for agent in everyone] == [
        (demo.OWNER, True, True),
        (demo.ADMIN, True, True),
        (demo.AGENT1, False, True),
        (demo.AGENT2, False, True),
        (demo.DISABLED, False, False),
    ]
    assert [agent.id for agent in page] == [3, 4]
    assert second_agent.email == demo.AGENT2
    assert missing.value.status == 404
    assert "belongs to another agent" in missing.value.explanation


@pytest.mark.parametrize(("email", "admin"), [(demo.ADMIN, True), (demo.AGENT1, False)])
def test_agent_me_tells_admins_from_agents(
    sandbox: LiveSandbox, host_style: str, email: str, admin: bool
) -> None:
    with api_as(sandbox, host_style, email) as api:
        me = api.agent_me()

    assert (me.email, me.is_admin, me.is_owner) == (email, admin, False)


def test_client_lifecycle(sandbox: LiveSandbox, host_style: str) -> None:
    with api_as(sandbox, host_style, demo.AGENT1) as agent1:
        issued = agent1.client_create(NEW_CLIENT)
        created = issued.client
        shown = agent1.client_get(created.id)
        listed = agent1.client_list()
        wanted = ClientInput.of(shown)
        made_confidential = agent1.client_update(
            created.id, wanted.but(client_type="confidential"), fields=("client_type",)
        )
        renamed = agent1.client_update(
            created.id,
            wanted.but(name="Renamed app", scopes=["read", "chat"]),
            fields=("name", "scopes"),
        )
        regenerated = agent1.client_secret_generate(created.id)
        removal = agent1.client_delete(created.id)
        with pytest.raises(ChatRefused) as gone:
            agent1.client_get(created.id)

    me = 3  # agent1's id in the demo account
    assert issued.secret and len(issued.secret) >= 32
    assert (created.agent_id, created.client_type, created.scopes) == (
        me,
        "public",
        ("read", "write"),
    )
    assert created.redirect_uris == ("http://localhost:8080/cb", "https://app.example.com/cb")
    assert not created.is_internal
    assert shown.client_identifier == created.client_identifier
    assert shown.redirect_uris == created.redirect_uris
    assert {client.id for client in listed} >= {created.id}
    assert all(client.agent_id == me for client in listed)
    assert made_confidential.client_type == "confidential"
    # A partial PUT: the type set before survives a rename.
    assert (renamed.name, renamed.client_type, renamed.scopes) == (
        "Renamed app",
        "confidential",
        ("read", "chat"),
    )
    assert renamed.update_date is not None and created.create_date is not None
    assert regenerated.secret and regenerated.secret != issued.secret
    assert removal is Removal.DELETED
    assert gone.value.status == 404


def test_another_agents_client_is_not_found(sandbox: LiveSandbox, host_style: str) -> None:
    with api_as(sandbox, host_style, demo.AGENT1) as agent1:
        created = agent1.client_create(NEW_CLIENT).client

    with api_as(sandbox, host_style, demo.AGENT2) as agent2:
        visible = {client.id for client in agent2.client_list()}
        refusals = []
        for attempt in (
            lambda: agent2.client_get(created.id),
            lambda: client_update(agent2, created.id, client_type="confidential"),
            lambda: agent2.client_secret_generate(created.id),
            lambda: agent2.client_delete(created.id),
        ):
            with pytest.raises(ChatRefused) as refused:
                attempt()
            refusals.append(refused.value)

    assert created.id not in visible
    assert [refusal.status for refusal in refusals] == [404] * 4
    assert all("belongs to another agent" in refusal.explanation for refusal in refusals)
    # Nothing happened to it: the admin still sees it, unchanged.
    with api_as(sandbox, host_style, demo.ADMIN) as admin:
        still = admin.client_get(created.id)
        assert created.id in {client.id for client in admin.client_list()}
    assert (still.client_type, still.update_date) == ("public", created.update_date)


def test_tokens_list_show_and_revoke(sandbox: LiveSandbox, host_style: str) -> None:
    config = live_config(sandbox, host_style)
    working = sandbox.token_for(demo.AGENT1)
    doomed = sandbox.token_for(demo.AGENT1, scopes="read")
    agent2_token = sandbox.token_for(demo.AGENT2)

    with ChatApi(BearerCredential(working["access_token"]), config=config) as agent1:
        listed = agent1.token_list()
        shown = agent1.token_get(doomed["id"])
        with pytest.raises(ChatRefused) as foreign:
            agent1.token_revoke(agent2_token["id"])
        agent1.token_revoke(doomed["id"])
        remaining = {token.id for token in agent1.token_list()}

    assert {working["id"], doomed["id"]} <= {token.id for token in listed}
    assert agent2_token["id"] not in {token.id for token in listed}
    assert all(token.agent_id == 3 for token in listed)
    for token in listed:
        assert token.access_token_hint.endswith("…") and len(token.access_token_hint) <= 9
        assert token.access_token_hint[:-1] not in (working["access_token"], doomed["access_token"])
    assert (shown.scopes, shown.client_identifier, shown.token_type) == (
        ("read",),
        demo.DASHBOARD_CLIENT_ID,
        "Bearer",
    )
    assert shown.access_token_hint == doomed["access_token"][:8] + "…"
    assert shown.expire_date is not None and shown.create_date is not None
    assert shown.expire_date > shown.create_date
    assert foreign.value.status == 404
    assert doomed["id"] not in remaining and working["id"] in remaining
    # The revoked token no longer works: the 401 explanation says what a Chat token is.
    with (
        ChatApi(BearerCredential(doomed["access_token"]), config=config) as revoked,
        pytest.raises(ChatRefused) as refused,
    ):
        revoked.agent_me()
    assert refused.value.status == 401
    assert "Support API tokens and Support OAuth tokens do not work" in refused.value.explanation


def test_validation_errors_carry_the_field_messages(sandbox: LiveSandbox, host_style: str) -> None:
    bad = ClientInput(name="Bad", redirect_uris=["http://app.example.com/cb"], scopes=["read"])

    with api_as(sandbox, host_style, demo.AGENT1) as agent1:
        with pytest.raises(ChatRefused) as refused:
            agent1.client_create(bad)
        mine = agent1.client_list()

    assert refused.value.status == 422
    assert list(refused.value.details) == ["redirect_uris"]
    assert "redirect_uris: http://app.example.com/cb: plain http is only allowed for localhost" in (
        refused.value.explanation
    )
    assert "Bad" not in {client.name for client in mine}


def test_a_token_without_write_scope_is_refused_a_change(
    sandbox: LiveSandbox, host_style: str
) -> None:
    with api_as(sandbox, host_style, demo.AGENT1, scopes="read") as reader:
        with pytest.raises(ChatRefused) as refused:
            reader.client_create(NEW_CLIENT)
        names = {client.name for client in reader.client_list()}

    assert refused.value.status == 403
    assert "lacks a scope" in refused.value.explanation
    assert NEW_CLIENT.name not in names


def test_basic_auth_on_a_legacy_chat_only_account(sandbox: LiveSandbox, host_style: str) -> None:
    sandbox.set_account(account_type="legacy_chat_only")
    config = live_config(sandbox, host_style, account_type="legacy_chat_only")

    with ChatApi(BasicCredential(demo.ADMIN, demo.PASSWORD), config=config) as api:
        me = api.agent_me()
        clients = api.client_list()
    with (
        ChatApi(BasicCredential(demo.ADMIN, "not-the-password"), config=config) as api,
        pytest.raises(ChatRefused) as refused,
    ):
        api.agent_me()

    assert me.email == demo.ADMIN and len(clients) == len(demo.CLIENTS)
    assert refused.value.status == 401
    assert "did not accept this email and password" in refused.value.explanation


def test_basic_auth_elsewhere(sandbox: LiveSandbox, host_style: str) -> None:
    # chatadmin refuses to build it for a non-legacy account ...
    with pytest.raises(ChatConfigurationError):
        ChatApi(BasicCredential(demo.ADMIN, demo.PASSWORD), config=live_config(sandbox, host_style))
    # ... and the sandbox refuses it if chatadmin is told the wrong account type.
    wrongly_configured = live_config(sandbox, host_style, account_type="legacy_chat_only")
    with (
        ChatApi(BasicCredential(demo.ADMIN, demo.PASSWORD), config=wrongly_configured) as api,
        pytest.raises(ChatRefused) as refused,
    ):
        api.agent_me()

    assert refused.value.status == 401
