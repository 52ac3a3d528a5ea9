"""Roles, the first admin, invitations and role changes."""

from __future__ import annotations

import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client

from chatadmin.accounts import policy
from chatadmin.accounts.models import User
from chatadmin.accounts.roles import Role
from chatadmin.audit.models import AuditEvent, Outcome
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_new_user_is_an_ordinary_user() -> None:
    user = User.objects.create_user(email="Someone@Example.com", password=PASSWORD)
    assert user.role == Role.USER
    assert user.email == "someone@example.com"
    assert not policy.is_admin(user)


def test_the_database_refuses_an_unknown_role() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="x@example.com", role="superhero")


def test_chat_agent_id_is_unique() -> None:
    User.objects.create_user(email="a@example.com", chat_agent_id=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="b@example.com", chat_agent_id=7)


def test_policy_by_role(admin_user: User, plain_user: User, support_user: User) -> None:
    assert [policy.can_manage_people(u) for u in (admin_user, plain_user, support_user)] == [
        True,
        False,
        False,
    ]
    assert [policy.sees_all_audit_events(u) for u in (admin_user, plain_user, support_user)] == [
        True,
        False,
        True,
    ]
    assert policy.is_read_only(support_user) and not policy.is_read_only(admin_user)
    admin_user.is_active = False
    assert not policy.is_admin(admin_user)


def test_create_admin_command_makes_an_admin_who_can_sign_in(client: Client) -> None:
    call_command(
        "create_admin",
        "--email",
        "first@example.com",
        "--password-stdin",
        stdin=io.StringIO(PASSWORD + "\n"),
        stdout=io.StringIO(),
    )
    user = User.objects.get(email="first@example.com")
    assert user.role == Role.ADMIN
    assert EmailAddress.objects.get(user=user).verified
    response = client.post("/accounts/login/", {"login": "first@example.com", "password": PASSWORD})
    assert response["Location"] == "/"
    assert (
        AuditEvent.objects.filter(action="people.admin_create", outcome=Outcome.SUCCESS).count()
        == 1
    )


def test_create_admin_refuses_a_weak_password_and_creates_nothing() -> None:
    with pytest.raises(CommandError, match=r"too short|too common"):
        call_command(
            "create_admin",
            "--email",
            "first@example.com",
            "--password-stdin",
            stdin=io.StringIO("abc\n"),
        )
    assert not User.objects.exists()


def test_create_admin_refuses_a_taken_email(admin_user: User) -> None:
    with pytest.raises(CommandError, match="already someone"):
        call_command(
            "create_admin",
            "--email",
            admin_user.email,
            "--password-stdin",
            stdin=io.StringIO(PASSWORD + "\n"),
        )
    assert User.objects.count() == 1


def test_admin_invites_support_staff_who_set_a_password_and_sign_in(
    admin_client: Client, admin_user: User
) -> None:
    response = admin_client.post(
        "/settings/people/invite/", {"email": "helper@example.com", "role": "support"}
    )
    assert response.status_code == 302
    invited = User.objects.get(email="helper@example.com")
    assert invited.role == Role.SUPPORT
    assert not invited.has_usable_password()
    assert len(mail.outbox) == 1
    link = re.search(
        r"http://testserver(/accounts/password/reset/key/\S+)", str(mail.outbox[0].body)
    )
    assert link, mail.outbox[0].body

    newcomer = Client()
    form_page = newcomer.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    set_password = newcomer.post(
        form_page.redirect_chain[-1][0], {"password1": PASSWORD, "password2": PASSWORD}
    )
    assert set_password.status_code == 302
    assert EmailAddress.objects.get(user=invited).verified
    signed_in = newcomer.post(
        "/accounts/login/", {"login": "helper@example.com", "password": PASSWORD}
    )
    assert signed_in["Location"] == "/"
    event = AuditEvent.objects.get(action="people.invite")
    assert (event.actor, event.outcome, event.target_label) == (
        admin_user,
        Outcome.SUCCESS,
        "helper@example.com",
    )


def test_invite_with_a_taken_email_changes_nothing_but_is_audited(
    admin_client: Client, plain_user: User
) -> None:
    response = admin_client.post(
        "/settings/people/invite/",
        {"email": plain_user.email, "role": "support"},
        headers={"HX-Request": "true", "HX-Target": "people"},
    )
    assert response.status_code == 200
    assert "There is already someone with the email" in response.content.decode()
    assert User.objects.get(email=plain_user.email).role == Role.USER
    assert mail.outbox == []
    assert AuditEvent.objects.get(action="people.invite").outcome == Outcome.FAILURE


def test_invite_with_a_bad_email_shows_the_error_and_creates_nothing(admin_client: Client) -> None:
    count = User.objects.count()
    response = admin_client.post(
        "/settings/people/invite/", {"email": "not-an-email", "role": "support"}
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert User.objects.count() == count
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["user", "support"])
def test_only_admins_can_invite(client: Client, make_user: object, role: str) -> None:
    actor = make_user(role)  # type: ignore[operator]
    client.force_login(actor)
    client.post("/settings/people/invite/", {"email": "x@example.com", "role": "admin"})
    assert not User.objects.filter(email="x@example.com").exists()
    assert mail.outbox == []
    event = AuditEvent.objects.get(action="people.invite")
    assert (event.actor, event.outcome) == (actor, Outcome.DENIED)


def test_admin_grants_the_support_role(admin_client: Client, plain_user: User) -> None:
    admin_client.post(f"/settings/people/{plain_user.pk}/role/", {"role": "support"})
    plain_user.refresh_from_db()
    assert plain_user.role == Role.SUPPORT


def test_admin_cannot_change_their_own_role(admin_client: Client, admin_user: User) -> None:
    admin_client.post(f"/settings/people/{admin_user.pk}/role/", {"role": "user"})
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN
    event = AuditEvent.objects.get(action="people.role_set")
    assert event.outcome == Outcome.FAILURE


def test_a_user_cannot_change_roles(client: Client, plain_user: User, support_user: User) -> None:
    client.force_login(plain_user)
    client.post(f"/settings/people/{support_user.pk}/role/", {"role": "admin"})
    client.post(f"/settings/people/{plain_user.pk}/role/", {"role": "admin"})
    support_user.refresh_from_db()
    plain_user.refresh_from_db()
    assert (support_user.role, plain_user.role) == (Role.SUPPORT, Role.USER)
    assert set(AuditEvent.objects.values_list("outcome", flat=True)) == {Outcome.DENIED}


def test_people_section_is_for_admins_only(
    client: Client, plain_user: User, admin_user: User
) -> None:
    client.force_login(plain_user)
    html = client.get("/settings/").content.decode()
    assert admin_user.email not in html
    assert 'id="people"' not in html


def test_invite_form_enforces_csrf(csrf_client: Client, admin_user: User) -> None:
    csrf_client.force_login(admin_user)
    response = csrf_client.post(
        "/settings/people/invite/", {"email": "x@example.com", "role": "user"}
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="x@example.com").exists()
