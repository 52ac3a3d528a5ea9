"""A local account links a Chat identity from Settings (allauth's connect), told first what goes.

The Chat API is mocked as in test_chat_sign_in; test_chat_identity_link_live uses the sandbox.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import authenticate
from django.contrib.messages import get_messages
from django.test import Client, RequestFactory

from chatadmin.accounts import linking
from chatadmin.accounts.models import ChatCredential, User
from chatadmin.accounts.roles import Role
from chatadmin.audit.models import AuditEvent, Outcome
from tests.accounts.test_chat_sign_in import ACCESS, CHAT, REFRESH, _agent, _mock_chat
from tests.conftest import PASSWORD
from tests.fixtures.html import parsed

pytestmark = pytest.mark.django_db

LINK = "/settings/chat/link/"
CALLBACK = "/accounts/zendeskchat/login/callback/"


def link_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=linking.ACTION).order_by("id"))


def said(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def chat_answers(mock: responses.RequestsMock, agent: dict[str, object]) -> None:
    """Chat's answers to the code exchange and agents/me, and an empty list of tokens."""
    _mock_chat(mock, agent)
    mock.get(f"{CHAT}/api/v2/chat/oauth/tokens", json=[])


def start(client: Client) -> str:
    """Confirm and press "Link"; the state Chat must send back."""
    response = client.post(LINK, {"confirm": "yes"})
    assert response.status_code == 302, response
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"{CHAT}/oauth2/chat/authorizations/new"
    )
    query = parse_qs(location.query)
    assert query["redirect_uri"] == [f"http://testserver{CALLBACK}"]
    return query["state"][0]


def test_settings_tell_a_local_admin_what_linking_does_before_they_link(
    admin_client: Client,
) -> None:
    page = parsed(admin_client.get("/settings/"))
    section = page.one("div", id="chat-identity")
    warning = section.one(css_class="notice--warning").text
    assert "Your chatadmin password is removed" in warning
    assert "sign in with “Sign in with Zendesk Chat” only" in warning
    assert "If your Chat agent is neither, you stop being an admin here." in warning
    form = section.one("form")
    assert form.attrs["action"] == LINK
    assert form.one("input", name="confirm").attrs.get("required") == ""
    assert page.find("a", href="/accounts/password/change/") != []


def test_linking_without_confirming_changes_nothing(
    admin_client: Client, admin_user: User, http_mock: responses.RequestsMock
) -> None:
    response = admin_client.post(LINK)
    assert response["Location"] == "/settings/#chat-identity"
    assert said(response) == [linking.NOT_CONFIRMED]
    assert len(http_mock.calls) == 0
    admin_user.refresh_from_db()
    assert admin_user.chat_agent_id is None and admin_user.has_usable_password()
    (event,) = link_events()
    assert event.outcome == Outcome.FAILURE


def test_support_staff_are_not_offered_a_link_and_are_refused_one(
    client: Client, support_user: User, http_mock: responses.RequestsMock
) -> None:
    client.force_login(support_user)
    assert parsed(client.get("/settings/")).find("div", id="chat-identity") == []
    response = client.post(LINK, {"confirm": "yes"})
    assert response["Location"] == "/settings/#chat-identity"
    assert said(response) == [linking.NOT_FOR_YOU]
    assert len(http_mock.calls) == 0
    (event,) = link_events()
    assert (event.outcome, event.actor) == (Outcome.DENIED, support_user)


@pytest.mark.parametrize(
    ("owner", "role"),
    [(True, Role.ADMIN), (False, Role.USER)],  # Chat's word on the role wins, as at sign-in
)
def test_a_local_admin_links_their_chat_identity_and_loses_the_password(
    admin_client: Client,
    admin_user: User,
    http_mock: responses.RequestsMock,
    owner: bool,
    role: str,
) -> None:
    state = start(admin_client)
    chat_answers(http_mock, _agent(42, owner=owner, email=admin_user.email))

    response = admin_client.get(CALLBACK, {"code": "the-code", "state": state})

    assert response.status_code == 302 and response["Location"] == "/settings/"
    admin_user.refresh_from_db()
    assert admin_user.chat_agent_id == 42
    assert admin_user.role == role
    assert not admin_user.has_usable_password()
    assert (
        authenticate(RequestFactory().post("/"), email=admin_user.email, password=PASSWORD) is None
    )
    credential = ChatCredential.objects.get(user=admin_user)
    assert (credential.access_token, credential.refresh_token) == (ACCESS, REFRESH)
    assert SocialAccount.objects.get(user=admin_user).uid == "42"
    (event,) = link_events()
    assert event.outcome == Outcome.SUCCESS and "local password was removed" in event.message
    assert said(response) == [linking.LINKED]

    still = admin_client.get("/settings/")
    assert still.status_code == 200  # still signed in: the session follows the dropped password
    settings_page = parsed(still)
    assert settings_page.find("div", id="chat-identity") == []
    assert settings_page.find("a", href="/accounts/password/change/") == []


def test_a_chat_identity_another_account_holds_is_not_linked(
    admin_client: Client,
    admin_user: User,
    make_user: Callable[..., User],
    http_mock: responses.RequestsMock,
) -> None:
    make_user(Role.USER, email="ann@acme.test", chat_agent_id=42)
    state = start(admin_client)
    chat_answers(http_mock, _agent(42))

    response = admin_client.get(CALLBACK, {"code": "the-code", "state": state})

    assert response["Location"] == "/settings/"
    assert said(response) == [linking.TAKEN]
    admin_user.refresh_from_db()
    assert admin_user.chat_agent_id is None and admin_user.has_usable_password()
    assert not ChatCredential.objects.filter(user=admin_user).exists()
    assert not SocialAccount.objects.filter(user=admin_user).exists()
    (event,) = link_events()
    assert event.outcome == Outcome.DENIED


def test_a_chat_sign_in_is_never_treated_as_a_link(
    client: Client, http_mock: responses.RequestsMock
) -> None:
    """The same allauth signal fires when a sign-in finds its agent's account: no password drop."""
    from tests.accounts.test_chat_sign_in import _start

    state = _start(client)["state"][0]
    chat_answers(http_mock, _agent(42, owner=True))
    client.get(CALLBACK, {"code": "the-code", "state": state})
    assert link_events() == []
