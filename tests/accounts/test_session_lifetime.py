"""Sessions end 12 hours after sign-in, or after an hour without a request: audited, explained."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client, override_settings

from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from tests.conftest import PASSWORD
from tests.fixtures.pages import events, htmx, text

pytestmark = pytest.mark.django_db

SIGN_IN_AT = 1_800_000_000
MINUTE = 60


def _sign_in(client: Client, user: User) -> None:
    answer = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert answer["Location"] == "/"


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_a_busy_session_still_ends_twelve_hours_after_sign_in(
    client: Client, plain_user: User
) -> None:
    with time_machine.travel(SIGN_IN_AT, tick=False) as clock:
        _sign_in(client, plain_user)
        for _ in range(13):  # a request every 55 minutes: never idle, up to 11 h 55 min
            clock.shift(55 * MINUTE)
            assert client.get("/").status_code == 200
        assert not events("auth.session_expired")

        clock.shift(6 * MINUTE)  # 12 h 1 min after sign-in
        answer = client.get("/tokens/?status=active")
        assert answer.status_code == 302
        assert answer["Location"] == "/accounts/login/?next=%2Ftokens%2F%3Fstatus%3Dactive"
        assert not _signed_in(client)
        page = client.get(answer["Location"])
        assert "sessions end 12 hours after sign-in" in text(page)
        [event] = events("auth.session_expired")
        assert (event.actor, event.outcome) == (plain_user, Outcome.SUCCESS)
        assert "12 hours" in event.message
        assert [e.actor for e in events("auth.sign_out")] == [plain_user]


def test_a_session_ends_after_an_hour_without_a_request(client: Client, plain_user: User) -> None:
    with time_machine.travel(SIGN_IN_AT, tick=False) as clock:
        _sign_in(client, plain_user)
        clock.shift(59 * MINUTE)
        assert client.get("/").status_code == 200  # activity: the hour starts again
        clock.shift(59 * MINUTE)
        assert client.get("/").status_code == 200
        assert not events("auth.session_expired")

        clock.shift(61 * MINUTE)
        answer = client.get("/", follow=True)
        assert answer.redirect_chain[0][0] == "/accounts/login/?next=%2F"
        assert "after 60 minutes without activity" in text(answer)
        assert not _signed_in(client)
        [event] = events("auth.session_expired")
        assert event.actor == plain_user
        assert "60 minutes without activity" in event.message


def test_an_htmx_request_on_an_ended_session_is_sent_to_sign_in(
    client: Client, plain_user: User
) -> None:
    with time_machine.travel(SIGN_IN_AT, tick=False) as clock:
        _sign_in(client, plain_user)
        clock.shift(2 * 60 * MINUTE)
        answer = client.get("/clients/", headers=htmx("client-list"))
        assert answer.status_code == 200
        assert answer["HX-Redirect"] == "/accounts/login/"
        assert not _signed_in(client)
        assert len(events("auth.session_expired")) == 1


def test_a_post_on_an_ended_session_does_nothing(client: Client, admin_user: User) -> None:
    with time_machine.travel(SIGN_IN_AT, tick=False) as clock:
        _sign_in(client, admin_user)
        clock.shift(2 * 60 * MINUTE)
        answer = client.post(
            "/settings/people/invite/", {"email": "late@example.com", "role": "support"}
        )
        assert answer["Location"] == "/accounts/login/"
        assert not User.objects.filter(email="late@example.com").exists()
        assert not events("people.invite")


def test_signing_in_again_starts_a_fresh_session(client: Client, plain_user: User) -> None:
    with time_machine.travel(SIGN_IN_AT, tick=False) as clock:
        _sign_in(client, plain_user)
        clock.shift(13 * 60 * MINUTE)
        assert client.get("/").status_code == 302
        _sign_in(client, plain_user)
        assert client.get("/").status_code == 200


@override_settings(CHATADMIN_SESSION_HOURS=1, CHATADMIN_SESSION_IDLE_MINUTES=5)
def test_the_limits_are_read_from_settings(client: Client, plain_user: User) -> None:
    with time_machine.travel(SIGN_IN_AT, tick=False) as clock:
        _sign_in(client, plain_user)
        clock.shift(4 * MINUTE)
        assert client.get("/").status_code == 200
        clock.shift(6 * MINUTE)
        answer = client.get("/", follow=True)
        assert "after 5 minutes without activity" in text(answer)


def test_a_session_from_before_the_limits_counts_from_its_next_request(
    client: Client, plain_user: User
) -> None:
    with time_machine.travel(SIGN_IN_AT, tick=False) as clock:
        client.force_login(plain_user)
        session = client.session
        session.pop("chatadmin.signed_in_at")
        session.pop("chatadmin.last_seen_at")
        session.save()
        assert client.get("/").status_code == 200
        clock.shift(30 * MINUTE)
        assert client.get("/").status_code == 200
        assert not events("auth.session_expired")
