"""Driving the sandbox like a browser and a client app would, over real HTTP."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from chatadmin.sandbox import demo
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_FORM_ACTION = re.compile(r'<form method="post" action="([^"]*)"[^>]*class="(?:stack|actions)"')


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Browser:
    """A cookie jar that fills in the sandbox's forms; never follows redirects off the sandbox."""

    def __init__(self, sandbox: LiveSandbox) -> None:
        self.sandbox = sandbox
        self.session = requests.Session()

    def get(self, url: str) -> requests.Response:
        return self._follow(self.session.get(url, allow_redirects=False, timeout=TIMEOUT))

    def submit(self, page: requests.Response, data: dict[str, str]) -> requests.Response:
        """POST the page's main form with its CSRF token, like pressing its button."""
        action = _FORM_ACTION.search(page.text)
        token = _CSRF.search(page.text)
        assert action and token, f"no form on {page.url}:\n{page.text[:500]}"
        fields = {"csrfmiddlewaretoken": token.group(1), **data}
        next_field = re.search(r'name="next" value="([^"]*)"', page.text)
        if next_field:
            fields.setdefault("next", html.unescape(next_field.group(1)))
        url = urljoin(page.url, html.unescape(action.group(1)))
        response = self.session.post(url, data=fields, allow_redirects=False, timeout=TIMEOUT)
        return self._follow(response)

    def _follow(self, response: requests.Response) -> requests.Response:
        while response.is_redirect:
            target = urljoin(response.url, response.headers["Location"])
            if not target.startswith(self.sandbox.url):
                return response  # the client app's redirect URI: look, do not go
            response = self.session.get(target, allow_redirects=False, timeout=TIMEOUT)
        return response

    def sign_in_and_decide(
        self,
        authorize_url: str,
        *,
        email: str = demo.AGENT1,
        password: str = demo.PASSWORD,
        decision: str = "allow",
    ) -> requests.Response:
        """Open an authorize link, sign in on the sandbox's page, answer the consent page."""
        page = self.get(authorize_url)
        assert "Sign in as a sandbox agent" in page.text, page.text[:500]
        consent = self.submit(page, {"username": email, "password": password})
        assert consent.status_code == 200, consent.text[:500]
        assert "to use your Chat account?" in consent.text
        return self.submit(consent, {"decision": decision})


def redirect_params(response: requests.Response) -> tuple[str, dict[str, str], dict[str, str]]:
    """(redirect URI without query/fragment, query params, fragment params) of a 302."""
    assert response.status_code == 302, f"{response.status_code}: {response.text[:300]}"
    location = urlsplit(response.headers["Location"])
    base = f"{location.scheme}://{location.netloc}{location.path}"
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    fragment = {key: values[0] for key, values in parse_qs(location.fragment).items()}
    return base, query, fragment


def authorize_link(sandbox: LiveSandbox, **params: str) -> str:
    return requests.Request("GET", sandbox.authorize_url, params=params).prepare().url or ""


def create_client(sandbox: LiveSandbox, token: str, **fields: Any) -> dict[str, Any]:
    body = {"name": "Test app", "redirect_uris": demo.LOCALHOST, **fields}
    response = requests.post(
        sandbox.api_url("oauth/clients"), json=body, headers=bearer(token), timeout=TIMEOUT
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def api_get(sandbox: LiveSandbox, path: str, token: str, **kwargs: Any) -> requests.Response:
    return requests.get(sandbox.api_url(path, **kwargs), headers=bearer(token), timeout=TIMEOUT)


def token_post(sandbox: LiveSandbox, data: dict[str, str], **kwargs: Any) -> requests.Response:
    return requests.post(sandbox.token_url, data=data, timeout=TIMEOUT, **kwargs)


class TokenCount:
    """Counts an agent's tokens through the API, with one viewing token minted up front."""

    def __init__(self, sandbox: LiveSandbox, email: str) -> None:
        self.sandbox = sandbox
        self.viewer = sandbox.token_for(email, scopes="read")["access_token"]

    def ids(self) -> list[int]:
        return [t["id"] for t in api_get(self.sandbox, "oauth/tokens", self.viewer).json()]


def code_flow(sandbox: LiveSandbox, **extra: str) -> tuple[str, str]:
    """Sign in as agent1 and allow the dashboard's client; the code and the state."""
    link = authorize_link(
        sandbox,
        response_type="code",
        client_id=demo.DASHBOARD_CLIENT_ID,
        redirect_uri=demo.DASHBOARD_REDIRECT_URIS[0],
        scope="read write",
        state="xyz-123",
        **extra,
    )
    base, query, _ = redirect_params(Browser(sandbox).sign_in_and_decide(link))
    assert base == demo.DASHBOARD_REDIRECT_URIS[0]
    assert query["state"] == "xyz-123"
    return query["code"], query["state"]


def exchange(sandbox: LiveSandbox, code: str, **extra: str) -> requests.Response:
    return token_post(
        sandbox,
        {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": demo.DASHBOARD_CLIENT_ID,
            "client_secret": demo.DASHBOARD_CLIENT_SECRET,
            "redirect_uri": demo.DASHBOARD_REDIRECT_URIS[0],
            **extra,
        },
    )
