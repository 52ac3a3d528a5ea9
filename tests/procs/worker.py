"""A real Django process of the dashboard, driven by the tests in tests/procs/.

    python -m tests.procs.worker COMMAND < arguments.json   (one JSON object on stdout)

The environment names the database (DATABASE_URL), the cache and the Chat API (CHAT_BASE_URL),
as for gunicorn. Tokens travel on stdin, never on the command line, and only their digests come
back on stdout.

Commands:
- `seed`: {"kind": "sign-in" | "connection", "email", "agent_id", "access_token",
  "refresh_token", "expired"?}: a Chat admin whose stored credential (their sign-in, or the
  account connection) expired a minute ago (or, with "expired": false, lasts an hour).
- `seed-local`: {"email", "password"}: a local account (verified email) that signs in with a
  password.
- `session`: {"email"}: a signed-in session for that person, as a sign-in leaves it: its
  cookie's value on stdout (the processes share the session store).
- `renew`: {"kind", "email", "barrier", "name"}: open the database and import everything, say
  ready (a file `ready-NAME` in the barrier folder), wait for the file `go`, then make one Chat
  call (agents/me) with the stored credential, which renews it first.
- `check`: {"kind", "email"}: a later request: one Chat call with what is stored now.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from chatadmin.accounts.chat_access import ConnectionCredential, SignInCredential  # noqa: E402
from chatadmin.accounts.models import (  # noqa: E402
    AccountConnection,
    ChatCredential,
    ConnectionKind,
    User,
)
from chatadmin.accounts.roles import Role  # noqa: E402
from chatadmin.audit.models import AuditEvent  # noqa: E402
from chatadmin.chat import BearerCredential, ChatApi, ChatError, chat_config  # noqa: E402
from chatadmin.core.problems import Problem  # noqa: E402

# How long a worker waits for the go signal before giving up (the test's own bound is shorter).
BARRIER_SECONDS = 60


def digest(token: str) -> str:
    """A token's fingerprint, to compare tokens without showing them."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def seed(args: dict[str, Any]) -> dict[str, Any]:
    User.objects.filter(email=args["email"]).delete()
    AccountConnection.objects.all().delete()
    user = User.objects.create_user(
        email=args["email"], role=Role.ADMIN, chat_agent_id=args["agent_id"]
    )
    expired = timezone.now() + (
        timedelta(minutes=-1) if args.get("expired", True) else timedelta(hours=1)
    )
    if args["kind"] == "sign-in":
        ChatCredential.objects.create(
            user=user,
            agent_id=args["agent_id"],
            access_token=args["access_token"],
            refresh_token=args["refresh_token"],
            scopes="read write chat",
            expires_at=expired,
        )
    else:
        AccountConnection.objects.create(
            kind=ConnectionKind.OAUTH,
            access_token=args["access_token"],
            refresh_token=args["refresh_token"],
            expires_at=expired,
            saved_by=user,
        )
    return {"seeded": args["email"]}


def seed_local(args: dict[str, Any]) -> dict[str, Any]:
    User.objects.filter(email=args["email"]).delete()
    user = User.objects.create_user(email=args["email"], password=args["password"])
    EmailAddress.objects.create(user=user, email=args["email"], primary=True, verified=True)
    return {"seeded": args["email"]}


def session(args: dict[str, Any]) -> dict[str, Any]:
    browser = Client()
    browser.force_login(User.objects.get(email=args["email"]))
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "value": browser.cookies[settings.SESSION_COOKIE_NAME].value,
    }


def _credential(args: dict[str, Any]) -> SignInCredential | ConnectionCredential:
    if args["kind"] == "sign-in":
        return SignInCredential(User.objects.get(email=args["email"]))
    return ConnectionCredential()


def _call(source: SignInCredential | ConnectionCredential) -> dict[str, Any]:
    """agents/me with the stored credential (renewed first if it expired), as a page would."""
    try:
        me = ChatApi(source, config=chat_config()).agent_me()
    except (ChatError, Problem) as failure:
        return {"ok": False, "error": f"{type(failure).__name__}: {failure}"}
    now = source.credential()  # what the call used, or renewed to: no longer expiring
    assert isinstance(now, BearerCredential)
    return {"ok": True, "agent": me.email, "token": digest(now.access_token)}


def renew(args: dict[str, Any]) -> dict[str, Any]:
    source = _credential(args)
    connection.ensure_connection()
    barrier = Path(args["barrier"])
    (barrier / f"ready-{args['name']}").touch()
    deadline = time.monotonic() + BARRIER_SECONDS
    while not (barrier / "go").exists():
        if time.monotonic() > deadline:
            return {"ok": False, "error": "no go signal"}
        time.sleep(0.002)
    return {"pid": os.getpid(), **_call(source)}


def check(args: dict[str, Any]) -> dict[str, Any]:
    stored: ChatCredential | AccountConnection | None = (
        ChatCredential.objects.filter(user__email=args["email"]).first()
        if args["kind"] == "sign-in"
        else AccountConnection.objects.first()
    )
    failures = AuditEvent.objects.filter(
        action="auth.chat_token_refresh", outcome="failure"
    ).count()
    if stored is None:
        return {"ok": False, "error": "nothing stored", "refresh_failures": failures}
    expiring = stored.expires_at is None or stored.expires_at <= timezone.now()
    return {
        "stored": digest(stored.access_token),
        "stored_expired": expiring,
        "refresh_failures": failures,
        **_call(_credential(args)),
    }


COMMANDS = {
    "seed": seed,
    "seed-local": seed_local,
    "session": session,
    "renew": renew,
    "check": check,
}


def main() -> None:
    command = COMMANDS[sys.argv[1]]
    result = command(json.loads(sys.stdin.read() or "{}"))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
