"""No token, secret, password or code reaches the logs, whatever the level (urllib3 included)."""

from __future__ import annotations

import logging

import pytest

from chatadmin.chat import (
    BasicCredential,
    BearerCredential,
    ChatApi,
    ChatError,
    ClientInput,
    oauth,
)
from tests.chat import payloads
from tests.chat.conftest import Everything, make_config
from tests.chat.operations import client_update
from tests.chat.scripted_server import DROP, Reply, ScriptedServer

PASSWORD = "pw-Secret-0f-the-Agent"
CODE = "c0de-ShortLived-9f8e7d"
SECRETS = (payloads.ACCESS_TOKEN, payloads.REFRESH_TOKEN, payloads.CLIENT_SECRET, PASSWORD, CODE)
# Signs that a header or a form body was written out.
LEAKS = (*SECRETS, "Bearer ", "Basic amRvZ", "Authorization", "client_secret=", "grant_type")


def test_no_secret_in_logs_for_every_operation_and_grant(
    scripted_server: ScriptedServer, all_logs: Everything
) -> None:
    config = make_config("subdomain", base_url=scripted_server.url, account_type="legacy_chat_only")
    client = {"client_id": "dashboard", "client_secret": payloads.CLIENT_SECRET}
    scripted_server.play(
        Reply(200, payloads.agent()),
        Reply(200, [payloads.agent()]),
        Reply(200, payloads.agent()),
        Reply(200, [payloads.client()]),
        Reply(200, payloads.client()),
        Reply(201, payloads.client_with_secret()),
        Reply(200, payloads.client()),
        Reply(204),
        Reply(200, payloads.client_with_secret()),
        Reply(200, [payloads.token()]),
        Reply(200, payloads.token()),
        Reply(204),
        # Failures log too: a retried 503, a dropped connection, a refusal.
        Reply(503, headers={"Retry-After": "0"}),
        Reply(200, payloads.agent()),
        DROP,
        Reply(200, payloads.agent()),
        Reply(401, {"error": "Unauthorized"}),
        # The token endpoint, every grant, and a refused one.
        Reply(200, payloads.grant()),
        Reply(200, payloads.grant()),
        Reply(200, payloads.grant()),
        Reply(200, payloads.grant()),
        Reply(401, {"error": "invalid_client", "error_description": "bad client"}),
        # Basic auth.
        Reply(200, payloads.agent()),
    )

    errors: list[ChatError] = []
    with ChatApi(BearerCredential(payloads.ACCESS_TOKEN), config=config) as api:
        api.agent_me()
        api.agent_list(since_id=1, limit=10)
        api.agent_get(5)
        api.client_list()
        api.client_get(7)
        api.client_create(
            ClientInput(name="n", redirect_uris=["http://localhost/cb"], scopes=["read"])
        )
        client_update(api, 7, client_type="confidential")
        api.client_delete(7)
        api.client_secret_generate(7)
        api.token_list()
        api.token_get(14)
        api.token_revoke(14)
        api.agent_me()
        api.agent_me()
        try:
            api.agent_me()
        except ChatError as error:
            errors.append(error)
    oauth.exchange_code(config, code=CODE, redirect_uri="http://localhost/cb", **client)
    oauth.refresh(config, refresh_token=payloads.REFRESH_TOKEN, **client)
    oauth.client_credentials(config, **client)
    oauth.password(config, username="jdoe@example.com", password=PASSWORD, **client)
    try:
        oauth.client_credentials(config, **client)
    except ChatError as error:
        errors.append(error)
    with ChatApi(BasicCredential("jdoe@example.com", PASSWORD), config=config) as api:
        api.agent_me()
    logging.getLogger("chatadmin.test").error("failures seen", exc_info=errors[-1])

    # The requests really carried the secrets, so their absence from the logs means something.
    sent = "\n".join(
        str(request.headers) + request.body.decode() for request in scripted_server.received
    )
    assert all(
        secret in sent for secret in (payloads.ACCESS_TOKEN, payloads.CLIENT_SECRET, PASSWORD, CODE)
    )
    assert len(scripted_server.received) == 23
    assert len(errors) == 2
    logged = "\n".join(all_logs.lines)
    assert "chatadmin.chat INFO chat GET /api/v2/chat/agents/me 200" in logged
    assert "urllib3" in logged, (
        "urllib3 must have been logging at DEBUG for this test to mean anything"
    )
    for leak in LEAKS:
        assert leak not in logged
    for failure in errors:
        shown = f"{failure!s} {failure!r} {failure.explanation}"
        assert not any(secret in shown for secret in SECRETS)


def test_the_token_endpoint_logs_no_body_and_no_query(
    scripted_server: ScriptedServer, all_logs: Everything
) -> None:
    config = make_config("legacy", base_url=scripted_server.url)
    scripted_server.play(Reply(400, {"error": "invalid_grant", "error_description": "expired"}))

    with pytest.raises(ChatError):
        oauth.exchange_code(
            config,
            client_id="dashboard",
            client_secret=payloads.CLIENT_SECRET,
            code=CODE,
            redirect_uri="http://localhost/cb",
        )

    chat_lines = [line for line in all_logs.lines if line.startswith("chatadmin.chat")]
    assert chat_lines == [
        f"chatadmin.chat INFO chat POST /oauth2/token 400 {chat_lines[0].split()[-2]} ms"
    ]
    assert "grant_type" not in "\n".join(all_logs.lines)
    assert "expired" not in "\n".join(all_logs.lines)
