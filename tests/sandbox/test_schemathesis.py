"""Property-based run of the sandbox's own OpenAPI document against the live sandbox:
schemathesis generates valid and invalid requests for every operation and checks that the
answers are never server errors and always match the document (status, headers, bodies).

The document is read at collection time from `manage.py sandbox_openapi` (the same
document the sandbox serves; a test below proves it). schemathesis's lazy
`from_fixture` loader would avoid that, but 4.32.5 breaks on pytest 9 (it writes
`request.node._nodeid`, which pytest removed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case

from chatadmin.sandbox import demo
from chatadmin.sandbox.launcher import DROPPED, MANAGE_PY
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox

pytestmark = pytest.mark.live


def _document() -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    printed = subprocess.run(
        [sys.executable, str(MANAGE_PY), "sandbox_openapi"],
        capture_output=True,
        check=True,
        env=env,
        timeout=60,
    )
    document: dict[str, object] = json.loads(printed.stdout)
    return document


DOCUMENT = _document()
schema = schemathesis.openapi.from_dict(DOCUMENT)


@pytest.fixture(scope="module")
def run_sandbox(live_sandbox: LiveSandbox) -> Iterator[LiveSandbox]:
    live_sandbox.reset()
    yield live_sandbox
    live_sandbox.reset()  # the run creates, changes and deletes things


@pytest.fixture(scope="module")
def owner_token(run_sandbox: LiveSandbox) -> str:
    token: str = run_sandbox.token_for(demo.OWNER)["access_token"]
    return token


def test_the_sandbox_serves_this_document(live_sandbox: LiveSandbox) -> None:
    served = requests.get(f"{live_sandbox.url}/api/v2/chat/openapi.json", timeout=TIMEOUT)
    assert served.json() == DOCUMENT
    legacy = requests.get(f"{live_sandbox.url}/api/v2/openapi.json", timeout=TIMEOUT).json()
    assert {path.replace("/api/v2/chat/", "/api/v2/") for path in DOCUMENT["paths"]} == set(  # type: ignore[attr-defined]
        legacy["paths"]
    )


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_matches_its_openapi_document(
    case: Case, run_sandbox: LiveSandbox, owner_token: str
) -> None:
    case.call_and_validate(
        base_url=run_sandbox.url, headers={"Authorization": f"Bearer {owner_token}"}
    )
