"""The OAuth helpers, the retry policy and the logs, against a live sandbox over real HTTP."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from chatadmin.chat import (
    BearerCredential,
    ChatApi,
    ChatConfigurationError,
    ChatRefused,
    ChatUnavailable,
    ClientInput,
    oauth,
)
from chatadmin.sandbox import demo
from tests.chat.conftest import Everything
from tests.chat.live import api_as, attempts, count_requests, live_config
from tests.chat.operations import client_update
from tests.fixtures.sandbox import LiveSandbox
from tests.sandbox.helpers import Browser, redirect_params

pytestmark = pytest.mark.live

DASHBOARD = {"client_id": demo.DASHBOARD_CLIENT_ID, "client_secret": demo.DASHBOARD_CLIENT_SECRET}
CALLBACK = demo.DASHBOARD_REDIRECT_URIS[0]


def code_from_the_browser(sandbox: LiveSandbox, host_style: str, email: str = demo.AGENT1) -> str:
    """Sign in and allow on the sandbox's pages, starting from the client's authorize URL."""
    url = oauth.authorize_url(
        live_config(sandbox, host_style),
        client_id=demo.DASHBOARD_CLIENT_ID,
        redirect_uri=CALLBACK,
        response_type="code",
        scopes=["read", "write"],
        state="state-42",
    )
    base, query, _ = redirect_params(Browser(sandbox).sign_in_and_decide(url, email=email))
    assert (base, query["state"]) == (CALLBACK, "state-42")
    return query["code"]


def test_code_flow_exchange_and_a_replayed_code(sandbox: LiveSandbox, host_style: str) -> None:
    config = live_config(sandbox, host_style)
    code = code_from_the_browser(sandbox, host_style)

    grant = oauth.exchange_code(config, code=code, redirect_uri=CALLBACK, **DASHBOARD)
    with pytest.raises(ChatRefused) as replayed:
        oauth.exchange_code(config, code=code, redirect_uri=CALLBACK, **DASHBOARD)

    assert (grant.token_type, grant.scopes, grant.expires_in) == (
        "Bearer",
        ("read", "write"),
        36_000,
    )
    assert grant.refresh_token
    assert (replayed.value.status, replayed.value.error) == (400, "invalid_grant")
    assert "exchange it right away" in replayed.value.explanation
    assert replayed.value.description  # the sandbox's own words are kept too


def test_a_slow_code_exchange_is_explained(sandbox: LiveSandbox) -> None:
    sandbox.set_token_ttl(code=1)
    code = code_from_the_browser(sandbox, "subdomain")
    time.sleep(1.5)

    with pytest.raises(ChatRefused) as refused:
        oauth.exchange_code(
            live_config(sandbox, "subdomain"), code=code, redirect_uri=CALLBACK, **DASHBOARD
        )

    assert refused.value.error == "invalid_grant"
    assert "codes are short-lived" in refused.value.explanation


def test_implicit_authorize_url(sandbox: LiveSandbox, host_style: str) -> None:
    url = oauth.authorize_url(
        live_config(sandbox, host_style),
        client_id="agent1-local-tool",
        redirect_uri=demo.LOCALHOST,
        response_type="token",
        scopes=["read", "write", "chat"],
        state="s-1",
    )
    _, _, fragment = redirect_params(Browser(sandbox).sign_in_and_decide(url))

    with ChatApi(
        BearerCredential(fragment["access_token"]), config=live_config(sandbox, host_style)
    ) as api:
        assert api.agent_me().email == demo.AGENT1
    assert fragment["state"] == "s-1"


def test_refresh_rotates_and_a_spent_refresh_token_is_explained(
    sandbox: LiveSandbox, host_style: str
) -> None:
    config = live_config(sandbox, host_style)
    first = sandbox.token_for(demo.ADMIN)

    renewed = oauth.refresh(config, refresh_token=first["refresh_token"], **DASHBOARD)
    with pytest.raises(ChatRefused) as spent:
        oauth.refresh(config, refresh_token=first["refresh_token"], **DASHBOARD)

    assert renewed.refresh_token and renewed.refresh_token != first["refresh_token"]
    assert renewed.access_token != first["access_token"]
    assert spent.value.error == "invalid_grant"
    assert "each refresh token works once" in spent.value.explanation


def test_client_credentials_needs_a_confidential_client(
    sandbox: LiveSandbox, host_style: str
) -> None:
    config = live_config(sandbox, host_style)
    with api_as(sandbox, host_style, demo.AGENT1) as agent1:
        issued = agent1.client_create(
            ClientInput(name="Script", redirect_uris=["http://localhost/cb"], scopes=["read"])
        )
        client = issued.client
        credentials = {"client_id": client.client_identifier, "client_secret": issued.secret}
        with pytest.raises(ChatRefused) as public:
            oauth.client_credentials(config, scopes=["read"], **credentials)
        client_update(agent1, client.id, client_type="confidential")
        grant = oauth.client_credentials(config, scopes=["read"], **credentials)

    assert (public.value.status, public.value.error) == (401, "invalid_client")
    assert "the client is public; make it confidential" in public.value.explanation
    assert grant.scopes == ("read",)
    with ChatApi(BearerCredential(grant.access_token), config=config) as as_the_client:
        assert as_the_client.agent_me().email == demo.AGENT1


def test_password_grant_only_on_legacy_chat_only(sandbox: LiveSandbox, host_style: str) -> None:
    legacy = live_config(sandbox, host_style, account_type="legacy_chat_only")
    sandbox.set_account(account_type="legacy_chat_only")
    grant = oauth.password(
        legacy, username=demo.AGENT2, password=demo.PASSWORD, scopes=["read"], **DASHBOARD
    )
    with pytest.raises(ChatRefused) as wrong_password:
        oauth.password(legacy, username=demo.AGENT2, password="nope", **DASHBOARD)
    sandbox.set_account(account_type="phase4")
    with pytest.raises(ChatRefused) as unsupported:
        oauth.password(legacy, username=demo.AGENT2, password=demo.PASSWORD, **DASHBOARD)
    with pytest.raises(ChatConfigurationError):
        oauth.password(
            live_config(sandbox, host_style),
            username=demo.AGENT2,
            password=demo.PASSWORD,
            **DASHBOARD,
        )

    with ChatApi(BearerCredential(grant.access_token), config=legacy) as api:
        assert api.agent_me().email == demo.AGENT2
    assert wrong_password.value.error == "invalid_grant"
    assert "did not accept that email and password" in wrong_password.value.explanation
    assert unsupported.value.error == "unsupported_grant_type"
    assert "only on Legacy Chat-only accounts" in unsupported.value.explanation


def test_a_short_429_is_waited_out_and_retried(
    sandbox: LiveSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    count_requests(caplog)
    with api_as(sandbox, "subdomain", demo.AGENT1) as api:
        sandbox.set_faults(rate_limit=2, rate_window=2)
        started = time.monotonic()
        emails = [api.agent_me().email for _ in range(3)]

    assert emails == [demo.AGENT1] * 3
    assert attempts(caplog, "GET", "/api/v2/chat/agents/me") == 4  # the third call twice
    assert time.monotonic() - started >= 0.9  # it waited for Retry-After


def test_a_long_429_is_reported_at_once(
    sandbox: LiveSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    count_requests(caplog)
    with api_as(sandbox, "legacy", demo.AGENT1) as api:
        sandbox.set_faults(rate_limit=1, rate_window=60)
        api.agent_me()
        with pytest.raises(ChatUnavailable) as limited:
            api.agent_me()

    assert limited.value.status == 429
    assert limited.value.retry_after is not None and 30 < limited.value.retry_after <= 60
    assert "Try again in" in limited.value.explanation
    assert attempts(caplog, "GET", "/api/v2/agents/me") == 2


def test_a_rate_limited_post_is_not_retried(
    sandbox: LiveSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    count_requests(caplog)
    with api_as(sandbox, "subdomain", demo.AGENT1) as api:
        sandbox.set_faults(rate_limit=1, rate_window=2)
        before = len(api.client_list())
        with pytest.raises(ChatUnavailable) as limited:
            api.client_create(
                ClientInput(name="Once", redirect_uris=["http://localhost/cb"], scopes=["read"])
            )
        sandbox.set_faults(rate_limit=0)
        after = len(api.client_list())

    assert limited.value.status == 429
    assert attempts(caplog, "POST", "/api/v2/chat/oauth/clients") == 1
    assert after == before


def test_injected_503s(sandbox: LiveSandbox, caplog: pytest.LogCaptureFixture) -> None:
    count_requests(caplog)
    config = live_config(sandbox, "subdomain")
    refresh_token = sandbox.token_for(demo.AGENT1)["refresh_token"]
    with api_as(sandbox, "subdomain", demo.AGENT1) as api:
        sandbox.set_faults(failure_rate=1.0)
        failures = []
        for call in (
            api.agent_me,
            lambda: api.client_secret_generate(5),
            lambda: oauth.refresh(config, refresh_token=refresh_token, **DASHBOARD),
        ):
            with pytest.raises(ChatUnavailable) as unavailable:
                call()
            failures.append(unavailable.value)

    assert [failure.status for failure in failures] == [503] * 3
    assert attempts(caplog, "GET", "/api/v2/chat/agents/me") == 3
    assert attempts(caplog, "POST", "/api/v2/chat/oauth/clients/5/generate_secret") == 1
    assert attempts(caplog, "POST", "/oauth2/chat/token") == 1


def test_a_slow_sandbox_times_out_after_three_tries(
    sandbox: LiveSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    count_requests(caplog)
    token = sandbox.token_for(demo.AGENT1)["access_token"]
    config = live_config(sandbox, "subdomain", timeout=(3.0, 0.15))
    sandbox.set_faults(latency_ms=400)

    with (
        ChatApi(BearerCredential(token), config=config) as api,
        pytest.raises(ChatUnavailable) as slow,
    ):
        api.agent_me()

    assert "did not answer in time" in slow.value.explanation
    retries = [record for record in caplog.records if " retry " in record.getMessage()]
    assert len(retries) == 2
    time.sleep(0.4)  # let the sandbox finish the abandoned requests before the next reset


def test_no_secret_in_logs_against_the_sandbox(
    sandbox: LiveSandbox, all_logs: Everything, host_style: str
) -> None:
    config = live_config(sandbox, host_style, account_type="legacy_chat_only")
    sandbox.set_account(account_type="legacy_chat_only")
    code = code_from_the_browser(sandbox, host_style)
    minted = sandbox.token_for(demo.AGENT1)
    all_logs.lines.clear()  # from here on, only chatadmin.chat's own traffic

    grant = oauth.exchange_code(config, code=code, redirect_uri=CALLBACK, **DASHBOARD)
    renewed = oauth.refresh(config, refresh_token=grant.refresh_token or "", **DASHBOARD)
    by_password = oauth.password(config, username=demo.AGENT1, password=demo.PASSWORD, **DASHBOARD)
    with ChatApi(BearerCredential(minted["access_token"]), config=config) as api:
        created = api.client_create(
            ClientInput(
                name="Logged",
                redirect_uris=["http://localhost/cb"],
                scopes=["read"],
                client_type="confidential",
            )
        )
        regenerated = api.client_secret_generate(created.client.id)
        machine = oauth.client_credentials(
            config,
            client_id=created.client.client_identifier,
            client_secret=regenerated.secret,
        )
        api.token_list()
        with pytest.raises(ChatRefused):
            oauth.exchange_code(config, code=code, redirect_uri=CALLBACK, **DASHBOARD)

    secrets = {
        "code": code,
        "minted access token": minted["access_token"],
        "minted refresh token": minted["refresh_token"],
        "dashboard secret": demo.DASHBOARD_CLIENT_SECRET,
        "password": demo.PASSWORD,
        "created secret": created.secret,
        "regenerated secret": regenerated.secret,
    }
    for number, grant_seen in enumerate((grant, renewed, by_password, machine)):
        secrets[f"grant {number} access token"] = grant_seen.access_token
        if grant_seen.refresh_token:
            secrets[f"grant {number} refresh token"] = grant_seen.refresh_token
    logged = "\n".join(all_logs.lines)
    assert urlsplit(config.token_endpoint).path in logged  # the calls were logged ...
    leaked = [name for name, value in secrets.items() if value in logged]
    assert leaked == []  # ... and nothing secret with them
    assert "Authorization" not in logged and "client_secret" not in logged
