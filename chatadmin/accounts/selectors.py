"""Reads about people."""

from __future__ import annotations

from django.db.models import QuerySet

from chatadmin.accounts import policy
from chatadmin.accounts.models import User


def person_list(actor: User) -> QuerySet[User]:
    """Everyone, for those who manage people; nobody otherwise."""
    if not policy.can_manage_people(actor):
        return User.objects.none()
    return User.objects.order_by("email")
