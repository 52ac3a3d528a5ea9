"""The sandbox's pure parts, without a server: validation (and its agreement with the
patterns the OpenAPI document publishes), knobs from the environment, secrets, command
routing and the launcher's failure path."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

import manage
from chatadmin.sandbox import demo, hashing, knobs, validation
from chatadmin.sandbox.errors import Unprocessable
from chatadmin.sandbox.launcher import SandboxNotReady, SandboxProcess, free_port


def _accepted(field: str, value: str) -> bool:
    try:
        validation.validate({field: value})
    except Unprocessable:
        return False
    return True


def test_validate_cleans_what_it_accepts() -> None:
    cleaned = validation.validate(
        {
            "name": "  Reporting ",
            "company": "",
            "redirect_uris": "\thttp://localhost:8080/cb\n https://app.example.com:8443/cb?x=1 ",
            "scopes": "chat read chat",
            "client_type": "confidential",
            "agent_id": 99,  # read-only and unknown fields are not returned
        }
    )
    assert cleaned == {
        "name": "Reporting",
        "company": "",
        "redirect_uris": "http://localhost:8080/cb https://app.example.com:8443/cb?x=1",
        "scopes": "read chat",
        "client_type": "confidential",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "blank"),
        ("name", "tab\there", "control characters"),
        ("redirect_uris", "http://example.com/cb", "only allowed for localhost"),
        ("redirect_uris", "example.com/cb", "absolute http(s) URL"),
        ("redirect_uris", "https://ok.example.com/#top", "fragment"),
        ("redirect_uris", "https://bad_host.example.com/", "not a valid URL"),
        ("redirect_uris", "https://ok.example.com:99999/", "not a valid URL"),
        ("redirect_uris", "   ", "at least one"),
        ("scopes", "read admin", "Unknown scope admin"),
        ("client_type", "private", "public, confidential"),
        ("company", 7, "Must be a string"),
    ],
)
def test_validate_says_what_is_wrong(field: str, value: object, message: str) -> None:
    with pytest.raises(Unprocessable) as raised:
        validation.validate({field: value})
    assert raised.value.status == 422
    assert list(raised.value.details or {}) == [field]
    assert message in raised.value.details[field][0]  # type: ignore[index]


# The OpenAPI document promises these patterns; schemathesis generates from them. The
# validator must accept exactly what they match, or valid requests get a 422.
@given(
    st.from_regex(validation.REDIRECT_URIS_PATTERN, fullmatch=True).filter(lambda v: len(v) <= 2000)
)
def test_every_uri_list_the_pattern_allows_is_accepted(value: str) -> None:
    assert _accepted("redirect_uris", value)


@given(st.text(alphabet=st.sampled_from("htps:/lcoaxmple.1[]#?: \t\n\x00é"), max_size=40))
def test_the_validator_accepts_nothing_the_pattern_refuses(value: str) -> None:
    matches = re.fullmatch(validation.REDIRECT_URIS_PATTERN.strip("^$"), value) is not None
    assert _accepted("redirect_uris", value) == matches


@given(st.text(max_size=40))
def test_names_and_scopes_agree_with_their_patterns(value: str) -> None:
    for field, pattern in (
        ("name", validation.NAME_PATTERN),
        ("company", validation.COMPANY_PATTERN),
        ("scopes", validation.SCOPES_PATTERN),
    ):
        assert _accepted(field, value) == (re.fullmatch(pattern.strip("^$"), value) is not None)


def test_knobs_come_from_the_environment_with_clear_errors() -> None:
    values = knobs.from_environment(
        {"SANDBOX_LATENCY_MS": "250", "SANDBOX_FAILURE_RATE": "0.5", "SANDBOX_SUBDOMAIN": "Acme"}
    )
    assert values["latency_ms"] == 250
    assert values["failure_rate"] == 0.5
    assert values["subdomain"] == "acme"
    assert values["access_token_ttl"] == 36_000  # the Chat docs' 10 hours
    assert values["account_type"] == "phase4"
    for name, raw in (
        ("SANDBOX_FAILURE_RATE", "2"),
        ("SANDBOX_RATE_LIMIT", "many"),
        ("SANDBOX_ACCOUNT_TYPE", "enterprise"),
        ("SANDBOX_CODE_TTL", "0.5"),
    ):
        with pytest.raises(ImproperlyConfigured, match=name):
            knobs.from_environment({name: raw})


def test_knob_values_from_json_are_type_checked() -> None:
    values, problems = knobs.clean(
        {"latency_ms": True, "failure_rate": "0.1", "rate_limit": 5, "other": 1}, knobs.FAULTS
    )
    assert values == {"rate_limit": 5}
    assert set(problems) == {"latency_ms", "failure_rate"}


def test_secrets_are_stored_as_digests_and_shown_as_prefixes() -> None:
    secret = hashing.new_secret()
    assert len(secret) == 64 and secret.isalnum()
    assert hashing.new_secret() != secret
    stored = hashing.digest(secret)
    assert secret not in stored and len(stored) == 64
    assert hashing.matches(secret, stored)
    assert not hashing.matches(secret[:-1], stored)
    assert hashing.display_prefix(secret) == secret[:8] + "…"


def test_manage_py_runs_sandbox_commands_with_the_sandbox_settings() -> None:
    for command in ("runsandbox", "seed_sandbox", "sandbox_openapi"):
        assert manage.settings_module(["manage.py", command]) == "chatadmin.sandbox.settings"
    for command in ("runserver", "migrate", "rundemo"):
        assert manage.settings_module(["manage.py", command]) is None
    assert manage.settings_module(["manage.py"]) is None


def test_the_demo_sign_in_names_every_agent_and_the_dashboard_client() -> None:
    text = "\n".join(demo.sign_in_lines())
    assert all(agent.email in text for agent in demo.AGENTS)
    assert demo.PASSWORD in text
    assert demo.DASHBOARD_CLIENT_ID in text and demo.DASHBOARD_CLIENT_SECRET in text


def test_a_free_port_is_free() -> None:
    port = free_port()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))


def test_the_launcher_reports_a_sandbox_that_cannot_start(tmp_path: Path) -> None:
    env = {"SANDBOX_DATABASE_URL": "mysql://nowhere/db"}  # refused by the sandbox's settings
    with (tmp_path / "log").open("wb") as log:
        process = SandboxProcess(port=free_port(), env=env, log=log)
        with pytest.raises(SandboxNotReady, match="exited"):
            process.start(timeout=30)
    assert "SANDBOX_DATABASE_URL" in (tmp_path / "log").read_text()
