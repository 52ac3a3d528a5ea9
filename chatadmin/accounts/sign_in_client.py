"""chatadmin's own sign-in client (CHAT_OAUTH_CLIENT_ID), which no one can break by accident.

Deleting it would lock every person out of "Sign in with Zendesk Chat", so the dashboard
refuses. Regenerating its secret asks for its name and keeps sign-in working: the new secret
is stored encrypted (SignInClientSecret) and used from that moment, instead of
CHAT_OAUTH_CLIENT_SECRET, by sign-in, token renewal and the account connection.
"""

from __future__ import annotations

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from chatadmin.accounts.models import SignInClientSecret, User
from chatadmin.chat import ApiClient, chat_config

NAME = "chatadmin's sign-in client"
DELETE_REFUSED = (
    "This is chatadmin's own sign-in client: deleting it would lock everyone out of “Sign in "
    "with Zendesk Chat”, so chatadmin does not delete it. Change CHAT_OAUTH_CLIENT_ID to another "
    "client first if you really mean to remove it."
)


def is_sign_in_client(client: ApiClient) -> bool:
    """Whether people sign in to chatadmin through this client."""
    return bool(settings.CHAT_OAUTH_CLIENT_ID) and (
        client.client_identifier == settings.CHAT_OAUTH_CLIENT_ID
    )


def rotated_secret() -> SignInClientSecret | None:
    """The secret stored when the sign-in client was regenerated here, if it is still the one."""
    row = (
        SignInClientSecret.objects.select_related("rotated_by")
        .filter(key=SignInClientSecret.SINGLETON_KEY)
        .first()
    )
    if row is None or row.client_identifier != settings.CHAT_OAUTH_CLIENT_ID:
        return None
    return row


def sign_in_client_secret() -> str:
    """The sign-in client's secret to use now: the rotated one, else CHAT_OAUTH_CLIENT_SECRET."""
    row = rotated_secret()
    return row.secret if row is not None else chat_config().oauth_client_secret


@sensitive_variables("secret")
def sign_in_secret_store(client: ApiClient, secret: str, *, actor: User) -> None:
    """Use this newly issued secret for the sign-in client from now on (kept encrypted)."""
    SignInClientSecret.objects.update_or_create(
        key=SignInClientSecret.SINGLETON_KEY,
        defaults={
            "client_identifier": client.client_identifier,
            "secret": secret,
            "rotated_by": actor,
        },
    )
