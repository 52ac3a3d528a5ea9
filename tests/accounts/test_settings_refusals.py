"""Every refused or invalid Settings form leaves an audit record, whoever sent it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import responses
from django.core import mail
from django.test import Client

from chatadmin.accounts.models import AccountConnection, User
from chatadmin.accounts.roles import Role
from chatadmin.audit.models import Outcome
from tests.fixtures.pages import events

pytestmark = pytest.mark.django_db

SECRET_PASSWORD = "hunter2-Chat-Passw0rd"


@pytest.fixture
def sender(client: Client, make_user: Callable[..., User], request: pytest.FixtureRequest) -> User:
    """The person posting the form, of the role the test is parametrized with."""
    person = make_user(request.param, email=f"{request.param}-sender@example.com")
    client.force_login(person)
    return person


ROLES_AND_OUTCOMES = [
    (Role.ADMIN, Outcome.FAILURE),
    (Role.USER, Outcome.DENIED),
    (Role.SUPPORT, Outcome.DENIED),
]


@pytest.mark.parametrize(("sender", "outcome"), ROLES_AND_OUTCOMES, indirect=["sender"])
@pytest.mark.parametrize(
    ("data", "says"),
    [
        (
            {"email": "not-an-email", "role": "support"},
            "Email address: Enter a valid email address.",
        ),
        ({"email": "new@example.com", "role": "owner"}, "Role: Select a valid choice. owner is"),
        ({"role": "user"}, "Email address: This field is required."),
    ],
)
def test_an_invalid_invitation_is_audited_and_creates_nobody(
    client: Client, sender: User, outcome: Outcome, data: dict[str, str], says: str
) -> None:
    count = User.objects.count()
    response = client.post("/settings/people/invite/", data)
    assert response.status_code == 200
    assert User.objects.count() == count
    assert mail.outbox == []
    [event] = events("people.invite")
    assert (event.actor, event.outcome) == (sender, outcome)
    assert says in event.message
    assert event.target_label == data.get("email", "")
    if outcome == Outcome.DENIED:
        assert event.message.startswith("Only admins can invite people.")


@pytest.mark.parametrize(("sender", "outcome"), ROLES_AND_OUTCOMES, indirect=["sender"])
def test_an_invalid_role_change_is_audited_and_changes_nothing(
    client: Client, sender: User, outcome: Outcome, make_user: Callable[..., User]
) -> None:
    person = make_user(Role.USER, email="person@example.com")
    client.post(f"/settings/people/{person.pk}/role/", {"role": "superuser"})
    person.refresh_from_db()
    assert person.role == Role.USER
    [event] = events("people.role_set")
    assert (event.actor, event.outcome) == (sender, outcome)
    assert (event.target_id, event.target_label) == (str(person.pk), "person@example.com")
    assert "Role: Select a valid choice. superuser is not one of the available choices." in (
        event.message
    )


@pytest.mark.parametrize(("sender", "outcome"), ROLES_AND_OUTCOMES, indirect=["sender"])
@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"email": "not-an-email", "password": SECRET_PASSWORD}, "Chat agent email: Enter a valid"),
        ({"email": "agent@example.com", "password": ""}, "Chat password: refused (required)."),
    ],
)
def test_an_invalid_basic_connection_is_audited_without_the_password(
    client: Client,
    sender: User,
    outcome: Outcome,
    data: dict[str, str],
    says: str,
    http_mock: responses.RequestsMock,
) -> None:
    client.post("/settings/connection/basic/", data)
    assert not AccountConnection.objects.exists()
    assert len(http_mock.calls) == 0
    [event] = events("connection.save")
    assert (event.actor, event.outcome) == (sender, outcome)
    assert says in event.message
    assert SECRET_PASSWORD not in event.message
    assert SECRET_PASSWORD not in event.target_label


@pytest.mark.parametrize("sender", [Role.USER, Role.SUPPORT], indirect=True)
def test_valid_forms_from_people_who_may_not_send_them_are_denied(
    client: Client, sender: User, make_user: Callable[..., User], http_mock: responses.RequestsMock
) -> None:
    person = make_user(Role.USER, email="person@example.com")
    client.post("/settings/people/invite/", {"email": "new@example.com", "role": "admin"})
    client.post(f"/settings/people/{person.pk}/role/", {"role": "admin"})
    client.post(
        "/settings/connection/basic/", {"email": "agent@example.com", "password": SECRET_PASSWORD}
    )
    assert not User.objects.filter(email="new@example.com").exists()
    person.refresh_from_db()
    assert person.role == Role.USER
    assert not AccountConnection.objects.exists()
    assert len(http_mock.calls) == 0
    for action in ("people.invite", "people.role_set", "connection.save"):
        [event] = events(action)
        assert (event.actor, event.outcome) == (sender, Outcome.DENIED)
        assert SECRET_PASSWORD not in event.message
