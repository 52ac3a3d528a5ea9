"""The sandbox's sign-in page pauses after a handful of wrong passwords, per email and per
client address, as Zendesk's does: refused attempts sign nobody in and lead to no code."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured

from chatadmin.sandbox import demo, knobs
from chatadmin.sandbox.launcher import SandboxNotReady, SandboxProcess, free_port
from chatadmin.sandbox.signin_limits import Limits, SignInLimits
from tests.fixtures.sandbox import LiveSandbox
from tests.sandbox.helpers import Browser, api_get, authorize_link

PAUSED = "Too many failed sign-in attempts"
WRONG = "Please enter a correct email and password"


def _link(sandbox: LiveSandbox) -> str:
    return authorize_link(
        sandbox,
        response_type="code",
        client_id="agent1-local-tool",
        redirect_uri=demo.LOCALHOST,
        state="st",
    )


def _attempt(
    browser: Browser, page: requests.Response, email: str, password: str
) -> requests.Response:
    return browser.submit(page, {"username": email, "password": password})


def _fail(browser: Browser, page: requests.Response, email: str, times: int) -> requests.Response:
    for _ in range(times):
        page = _attempt(browser, page, email, "wrong password")
    return page


def _login_count(sandbox: LiveSandbox, email: str) -> int:
    token = sandbox.token_for(email, scopes="read")["access_token"]
    count: int = api_get(sandbox, "agents/me", token).json()["login_count"]
    return count


def _assert_refused(browser: Browser, page: requests.Response, scope_words: str) -> None:
    assert page.status_code == 429, page.text[:300]
    assert 1 <= int(page.headers["Retry-After"]) <= 300
    assert PAUSED in page.text and scope_words in page.text
    assert "Location" not in page.headers  # no consent page, so no code
    assert "sandbox_sessionid" not in browser.session.cookies


# --- Against the session's sandbox: 5 failures per email in 300 s (the defaults) -----------


@pytest.mark.live
def test_five_wrong_passwords_pause_that_email_even_for_the_right_one(
    sandbox: LiveSandbox,
) -> None:
    browser = Browser(sandbox)
    page = browser.get(_link(sandbox))

    page = _fail(browser, page, demo.AGENT1, 4)
    assert page.status_code == 400 and WRONG in page.text and PAUSED not in page.text
    fifth = _fail(browser, page, demo.AGENT1, 1)
    _assert_refused(browser, fifth, "this email address")
    right = _attempt(browser, fifth, demo.AGENT1, demo.PASSWORD)

    _assert_refused(browser, right, "this email address")
    assert WRONG not in right.text  # refused before any password was checked
    again = browser.get(_link(sandbox))
    assert "Sign in as a sandbox agent" in again.text  # still signed out: no consent page
    assert _attempt(browser, again, demo.AGENT1.upper(), demo.PASSWORD).status_code == 429
    assert _login_count(sandbox, demo.AGENT1) == 0
    # Another agent on the same address is not paused.
    theirs = authorize_link(
        sandbox, response_type="code", client_id="agent2-test-client", redirect_uri=demo.LOCALHOST
    )
    assert Browser(sandbox).sign_in_and_decide(theirs, email=demo.AGENT2).is_redirect


@pytest.mark.live
def test_a_right_password_forgives_the_earlier_failures(sandbox: LiveSandbox) -> None:
    first = Browser(sandbox)
    page = _fail(first, first.get(_link(sandbox)), demo.AGENT1, 4)
    assert "to use your Chat account?" in _attempt(first, page, demo.AGENT1, demo.PASSWORD).text

    second = Browser(sandbox)
    page = _fail(second, second.get(_link(sandbox)), demo.AGENT1, 4)

    assert page.status_code == 400 and PAUSED not in page.text
    assert _fail(second, page, demo.AGENT1, 1).status_code == 429


@pytest.mark.live
def test_the_control_reset_ends_a_pause(sandbox: LiveSandbox) -> None:
    browser = Browser(sandbox)
    page = _fail(browser, browser.get(_link(sandbox)), demo.AGENT1, 5)
    assert page.status_code == 429

    sandbox.reset()

    fresh = Browser(sandbox)
    consent = _attempt(fresh, fresh.get(_link(sandbox)), demo.AGENT1, demo.PASSWORD)
    assert consent.status_code == 200 and "to use your Chat account?" in consent.text


# --- Another sandbox, started with tighter limits from the environment ---------------------


@pytest.fixture(scope="module")
def tight_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSandbox]:
    """3 failures per address or 2 per email within 2 s pause sign-in for 2 s."""
    folder = tmp_path_factory.mktemp("tight-sandbox")
    env = {
        "SANDBOX_DATABASE_URL": f"sqlite:///{folder / 'sandbox.sqlite3'}",
        "CHATADMIN_VAR_DIR": str(folder),
        "SANDBOX_CONTROL_KEY": "",
        "SANDBOX_SIGNIN_FAILURES_PER_IP": "3",
        "SANDBOX_SIGNIN_FAILURES_PER_EMAIL": "2",
        "SANDBOX_SIGNIN_WINDOW": "2",
    }
    log_path = folder / "sandbox.log"
    with log_path.open("wb") as log, SandboxProcess(port=free_port(), env=env, log=log) as process:
        yield LiveSandbox(process, "", log_path)


@pytest.mark.live
def test_failures_from_one_address_pause_every_email_until_the_window_ends(
    tight_sandbox: LiveSandbox,
) -> None:
    browser = Browser(tight_sandbox)
    page = browser.get(f"{tight_sandbox.url}/signin/")
    page = _attempt(browser, page, demo.AGENT1, "wrong")
    page = _attempt(browser, page, demo.AGENT2, "wrong")
    assert page.status_code == 400
    page = _attempt(browser, page, "nobody@sandbox.test", "wrong")
    _assert_refused(browser, page, "your network address")

    refused = _attempt(browser, page, demo.OWNER, demo.PASSWORD)

    _assert_refused(browser, refused, "your network address")
    assert int(refused.headers["Retry-After"]) <= 2
    time.sleep(2.2)
    signed_in = _attempt(browser, refused, demo.OWNER, demo.PASSWORD)
    assert signed_in.status_code == 200 and "sandbox_sessionid" in browser.session.cookies


@pytest.mark.live
def test_a_paused_email_signs_in_again_after_the_window(tight_sandbox: LiveSandbox) -> None:
    time.sleep(2.1)  # whatever the test before left paused has ended
    browser = Browser(tight_sandbox)
    page = _fail(browser, browser.get(f"{tight_sandbox.url}/signin/"), demo.ADMIN, 2)
    _assert_refused(browser, page, "this email address")
    assert _attempt(browser, page, demo.ADMIN, demo.PASSWORD).status_code == 429

    time.sleep(2.2)

    assert _attempt(browser, page, demo.ADMIN, demo.PASSWORD).status_code == 200
    assert "sandbox_sessionid" in browser.session.cookies


# --- The counters themselves (no server) ---------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def shared_cache() -> LocMemCache:
    store = LocMemCache("signin-limits-test", {})
    store.clear()
    return store


def _limits(store: LocMemCache, clock: Clock, **values: int) -> SignInLimits:
    chosen = Limits(**{"failures_per_email": 3, "failures_per_ip": 10, "window": 60, **values})
    return SignInLimits(store, limits=lambda: chosen, clock=clock)


def test_processes_sharing_a_cache_share_the_counters_and_the_pause(
    shared_cache: LocMemCache,
) -> None:
    clock = Clock()
    one, two = _limits(shared_cache, clock), _limits(shared_cache, clock)

    assert one.failed(email="A@x.test", ip="10.0.0.1") is None
    assert two.failed(email="a@x.test", ip="10.0.0.2") is None
    paused = one.failed(email="a@x.test ", ip="10.0.0.3")

    assert paused is not None and paused.scope == "email" and paused.retry_after == 60
    assert two.refusal(email="a@x.test", ip="10.9.9.9") == paused
    assert two.refusal(email="b@x.test", ip="10.0.0.1") is None
    clock.now += 59.5
    almost = one.refusal(email="a@x.test", ip="")
    assert almost is not None and almost.retry_after == 1
    clock.now += 1
    assert two.refusal(email="a@x.test", ip="") is None


def test_clearing_in_one_process_clears_them_all(shared_cache: LocMemCache) -> None:
    clock = Clock()
    one, two = _limits(shared_cache, clock), _limits(shared_cache, clock, failures_per_ip=2)
    two.failed(email="a@x.test", ip="10.0.0.1")
    assert two.failed(email="b@x.test", ip="10.0.0.1") is not None

    one.clear()

    assert two.refusal(email="b@x.test", ip="10.0.0.1") is None
    assert two.failed(email="c@x.test", ip="10.0.0.1") is None  # counting starts again


def test_a_limit_of_zero_is_off_and_a_success_forgives_the_email(
    shared_cache: LocMemCache,
) -> None:
    limits = _limits(shared_cache, Clock(), failures_per_email=2, failures_per_ip=0)
    assert limits.failed(email="a@x.test", ip="10.0.0.1") is None
    limits.succeeded(email="a@x.test")
    assert limits.failed(email="a@x.test", ip="10.0.0.1") is None
    for index in range(50):
        assert limits.failed(email=f"u{index}@x.test", ip="10.0.0.1") is None


def test_the_limits_come_from_the_environment() -> None:
    values = knobs.from_environment({"SANDBOX_SIGNIN_FAILURES_PER_EMAIL": "3"}, knobs.SIGNIN)
    assert values == {
        "signin_failures_per_email": 3,
        "signin_failures_per_ip": 20,
        "signin_window": 300,
    }
    with pytest.raises(ImproperlyConfigured, match="SANDBOX_SIGNIN_WINDOW"):
        knobs.from_environment({"SANDBOX_SIGNIN_WINDOW": "0"}, knobs.SIGNIN)


def test_a_cache_url_the_sandbox_cannot_use_stops_its_start(tmp_path: Path) -> None:
    env = {
        "SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path / 'sandbox.sqlite3'}",
        "SANDBOX_CACHE_URL": "memcached://127.0.0.1:11211",
    }
    with (tmp_path / "log").open("wb") as log:
        process = SandboxProcess(port=free_port(), env=env, log=log)
        with pytest.raises(SandboxNotReady, match="exited"):
            process.start(timeout=30)
    assert "SANDBOX_CACHE_URL" in (tmp_path / "log").read_text()
