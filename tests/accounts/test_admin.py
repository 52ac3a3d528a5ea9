"""Django's admin: no side door around allauth's sign-in, and every change to people audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from chatadmin.accounts.models import User
from chatadmin.accounts.roles import Role
from chatadmin.audit.models import AuditEvent, Outcome
from tests.conftest import PASSWORD
from tests.fixtures.pages import events
from tests.fixtures.totp import totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMIN, email="root@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def as_superuser(client: Client, superuser: User) -> Client:
    client.force_login(superuser)
    return client


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _change_form(person: User, **changes: Any) -> dict[str, Any]:
    """What the admin's change form posts for `person`, with `changes` applied."""
    data: dict[str, Any] = {
        "email": person.email,
        "display_name": person.display_name,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "chat_agent_id": person.chat_agent_id or "",
        "role": person.role,
        "is_active": person.is_active,
        "is_staff": person.is_staff,
        "is_superuser": person.is_superuser,
        "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(changes)
    # Unticked checkboxes are not sent at all.
    return {
        key: ("on" if value is True else value) for key, value in data.items() if value is not False
    }


def test_a_password_only_post_to_the_admin_login_gets_no_session(
    client: Client, superuser: User
) -> None:
    response = client.post(
        "/admin/login/?next=/admin/", {"username": superuser.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not _signed_in(client)
    assert client.get("/admin/").status_code == 302
    assert not AuditEvent.objects.filter(action="auth.sign_in", outcome=Outcome.SUCCESS).exists()


def test_the_admin_sign_in_is_allauths_with_its_totp_step(client: Client, superuser: User) -> None:
    secret = generate_totp_secret()
    TOTP.activate(superuser, secret)
    with time_machine.travel(1_800_000_000, tick=False):
        start = client.get("/admin/")
        assert start.status_code == 302
        login = client.get(start["Location"], follow=True)
        assert login.redirect_chain[-1][0].startswith("/accounts/login/?next=")

        answer = client.post(
            "/accounts/login/?next=/admin/", {"login": superuser.email, "password": PASSWORD}
        )
        assert answer["Location"].startswith("/accounts/2fa/authenticate/")
        assert not _signed_in(client)
        assert client.get("/admin/").status_code == 302  # the password alone is not enough

        answer = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
        assert answer.status_code == 302
        assert answer["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200


def test_a_signed_in_person_who_is_not_staff_is_refused_the_admin(
    client: Client, admin_user: User
) -> None:
    client.force_login(admin_user)
    assert client.get("/admin/login/").status_code == 403
    assert client.get("/admin/", follow=True).status_code == 403


def test_a_role_change_in_the_admin_is_audited(as_superuser: Client, plain_user: User) -> None:
    response = as_superuser.post(
        f"/admin/accounts/user/{plain_user.pk}/change/", _change_form(plain_user, role="admin")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    plain_user.refresh_from_db()
    assert plain_user.role == Role.ADMIN
    [event] = events("people.role_set")
    assert (event.outcome, event.actor_label, event.target_label) == (
        Outcome.SUCCESS,
        "root@example.com",
        plain_user.email,
    )
    assert event.message == "Role changed from user to admin in the Django admin."
    assert not events("people.update")


def test_access_and_identity_changes_in_the_admin_are_audited(
    as_superuser: Client, plain_user: User
) -> None:
    form = _change_form(
        plain_user,
        is_superuser=True,
        is_staff=True,
        is_active=False,
        email="renamed@example.com",
        chat_agent_id="4242",
    )
    assert (
        as_superuser.post(f"/admin/accounts/user/{plain_user.pk}/change/", form).status_code == 302
    )
    [event] = events("people.update")
    assert event.target_label == "renamed@example.com"
    for change in (
        "email agent@example.com → renamed@example.com",
        "active yes → no",
        "staff no → yes",
        "superuser no → yes",
        "Chat agent id none → 4242",
    ):
        assert change in event.message
    assert not events("people.role_set")


def test_saving_the_admin_form_unchanged_records_nothing(
    as_superuser: Client, plain_user: User
) -> None:
    before = AuditEvent.objects.count()
    form = _change_form(plain_user)
    assert (
        as_superuser.post(f"/admin/accounts/user/{plain_user.pk}/change/", form).status_code == 302
    )
    assert AuditEvent.objects.count() == before


def test_adding_a_person_in_the_admin_is_audited(as_superuser: Client) -> None:
    response = as_superuser.post(
        "/admin/accounts/user/add/",
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = User.objects.get(email="new@example.com")
    [event] = events("people.create")
    assert (event.target_id, event.actor_label) == (str(person.pk), "root@example.com")
    assert event.message == "Added in the Django admin as user, with a password."
    assert PASSWORD not in event.message


def test_deleting_people_in_the_admin_is_audited(
    as_superuser: Client, plain_user: User, support_user: User
) -> None:
    one = as_superuser.post(f"/admin/accounts/user/{plain_user.pk}/delete/", {"post": "yes"})
    assert one.status_code == 302
    assert not User.objects.filter(pk=plain_user.pk).exists()
    bulk = as_superuser.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [support_user.pk], "post": "yes"},
    )
    assert bulk.status_code == 302
    assert not User.objects.filter(pk=support_user.pk).exists()
    assert [e.target_label for e in events("people.delete")] == [
        plain_user.email,
        support_user.email,
    ]


def test_a_password_change_in_the_admin_is_audited_without_the_password(
    as_superuser: Client, plain_user: User
) -> None:
    new_password = "a brand new passphrase 77"
    response = as_superuser.post(
        f"/admin/accounts/user/{plain_user.pk}/password/",
        {"password1": new_password, "password2": new_password, "usable_password": "true"},
    )
    assert response.status_code == 302
    plain_user.refresh_from_db()
    assert plain_user.check_password(new_password)
    [event] = events("auth.password_set")
    assert event.message == "Password changed in the Django admin."
    assert new_password not in event.message


def test_a_refused_password_change_in_the_admin_records_nothing(
    as_superuser: Client, plain_user: User
) -> None:
    response = as_superuser.post(
        f"/admin/accounts/user/{plain_user.pk}/password/",
        {"password1": "one thing 12345", "password2": "another 12345", "usable_password": "true"},
    )
    assert response.status_code == 200
    plain_user.refresh_from_db()
    assert plain_user.check_password(PASSWORD)
    assert not events("auth.password_set")


@pytest.mark.parametrize("field", ["display_name", "first_name", "last_name"])
def test_the_admin_refuses_person_names_that_hide_or_turn_text(
    as_superuser: Client, plain_user: User, field: str
) -> None:
    for value, says in (("\u202eSupport", "change the text direction"), ("\u200b", "visible")):
        response = as_superuser.post(
            f"/admin/accounts/user/{plain_user.pk}/change/",
            _change_form(plain_user, **{field: value}),
        )
        assert response.status_code == 200
        assert says in response.content.decode()
    plain_user.refresh_from_db()
    assert getattr(plain_user, field) == ""
    assert not events("people.update")
