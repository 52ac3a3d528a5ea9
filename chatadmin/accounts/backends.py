"""Email + password sign-in (allauth's backend), never for a person who signs in with Chat."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from chatadmin.accounts import policy
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record

# Set on the request when the right password of a Chat identity was refused, so the sign-in
# form can say why and the generic "wrong password" record is not written as well.
REFUSED_ATTRIBUTE = "chatadmin_chat_identity_refused"


def refused_chat_identity(request: HttpRequest | None) -> bool:
    """Whether this request's password sign-in was refused because it is a Chat identity."""
    return bool(getattr(request, REFUSED_ATTRIBUTE, False))


class LocalPasswordBackend(AuthenticationBackend):
    """allauth's email + password backend; a Chat agent's password (from the admin, or older
    data) is never accepted. Sessions of every kind are still loaded through it (get_user).
    """

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, **credentials: Any
    ) -> AbstractBaseUser | None:
        self._request = request
        return super().authenticate(request, **credentials)

    def _check_password(
        self, user: AbstractBaseUser | None, password: str
    ) -> AbstractBaseUser | None:
        if user is None or policy.can_use_local_password(user):
            return super()._check_password(user, password)
        # Check anyway, so a Chat identity takes as long to refuse as anyone else.
        self._did_check_password = True
        if user.check_password(password):
            audit_record(
                "auth.sign_in",
                outcome=Outcome.DENIED,
                actor=user,  # type: ignore[arg-type]
                target_type="user",
                target_id=user.pk,
                target_label=str(getattr(user, "email", "")),
                message="Refused a local password: this person signs in with Zendesk Chat only.",
                request=self._request,
            )
            if self._request is not None:
                setattr(self._request, REFUSED_ATTRIBUTE, True)
        return None
