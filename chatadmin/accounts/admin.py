"""Django's admin, for the few repairs Settings cannot make; its sign-in is allauth's.

Every change it makes to people is audited like the same change made in Settings.
"""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Field, QuerySet
from django.forms import Field as FormField
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record
from chatadmin.core.forms import validate_visible_name

# The admin's own password-only sign-in would skip TOTP, rate limits and the audit log: send
# people to allauth's sign-in instead (https://docs.allauth.org/en/latest/common/admin.html).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

PERSON_NAME_FIELDS = ("display_name", "first_name", "last_name")
# Fields whose change is worth a line in the audit log, as named there.
AUDITED_FIELDS = {
    "email": "email",
    "is_active": "active",
    "is_staff": "staff",
    "is_superuser": "superuser",
    "chat_agent_id": "Chat agent id",
    "display_name": "display name",
    "first_name": "first name",
    "last_name": "last name",
}


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "none" if value in (None, "") else str(value)


def _record(request: HttpRequest, action: str, person: User, message: str) -> None:
    audit_record(
        action,
        outcome=Outcome.SUCCESS,
        actor=request.user if isinstance(request.user, User) else None,
        target_type="user",
        target_id=person.pk,
        target_label=person.email,
        message=message,
        request=request,
    )


def _record_changes(request: HttpRequest, before: User, after: User) -> None:
    if before.role != after.role:
        _record(
            request,
            "people.role_set",
            after,
            f"Role changed from {before.role} to {after.role} in the Django admin.",
        )
    changes = [
        f"{label} {_shown(getattr(before, field))} → {_shown(getattr(after, field))}"
        for field, label in AUDITED_FIELDS.items()
        if getattr(before, field) != getattr(after, field)
    ]
    if changes:
        _record(
            request, "people.update", after, f"Changed in the Django admin: {'; '.join(changes)}."
        )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "display_name", "role", "chat_agent_id", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("email", "display_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "first_name", "last_name", "chat_agent_id")}),
        ("Access", {"fields": ("role", "is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def formfield_for_dbfield(
        self, db_field: Field, request: HttpRequest, **kwargs: Any
    ) -> FormField | None:
        """People's names must show something and keep their text direction."""
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name in PERSON_NAME_FIELDS:
            formfield.validators.append(validate_visible_name)
        return formfield

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        before = User.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if before is not None:
            _record_changes(request, before, obj)
            return
        how = "with a password" if obj.has_usable_password() else "without a password"
        _record(request, "people.create", obj, f"Added in the Django admin as {obj.role}, {how}.")

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        _record(request, "people.delete", obj, "Deleted in the Django admin.")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for person in queryset:
            _record(request, "people.delete", person, "Deleted in the Django admin.")
        super().delete_queryset(request, queryset)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's password page, audited when it did change the stored password."""
        person = self.get_object(request, unquote(id))
        before = person.password if person is not None else None
        response = super().user_change_password(request, id, form_url)
        if person is not None and request.method == "POST":
            person.refresh_from_db(fields=["password"])
            if person.password != before:
                message = (
                    "Password changed in the Django admin."
                    if person.has_usable_password()
                    else "Password sign-in turned off in the Django admin."
                )
                _record(request, "auth.password_set", person, message)
        return response
