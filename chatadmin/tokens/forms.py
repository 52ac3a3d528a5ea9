"""Forms of the token pages: inventory filters, revoke, and the wizard's steps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from chatadmin.chat import ApiClient
from chatadmin.core.forms import IdField, IdsField, ascii_id
from chatadmin.tokens.selectors import STATUS_CHOICES
from chatadmin.tokens.wizard.flow import MODES
from chatadmin.vocabulary import SCOPE_DESCRIPTIONS, SCOPES, Scope

FILTERS = ("client", "scope", "status")


def scope_label(scope: Scope) -> str:
    return f"{scope}: {SCOPE_DESCRIPTIONS[scope]}"


CHAT_NEEDS_READ_WRITE = (
    "The Conversations API needs all three scopes, read write chat: a token with chat alone "
    "(or without read and write) fails there with “invalid scope”. Choose read and write too."
)


class TokenFilterForm(forms.Form):
    # Any client id may be asked for (one whose tokens are all gone just matches nothing);
    # the choices offered are the clients of the person's tokens.
    client = forms.CharField(
        label="Client",
        required=False,
        max_length=200,
        widget=forms.Select(choices=[("", "Any client")]),
    )
    scope = forms.ChoiceField(
        label="Scope",
        required=False,
        choices=[("", "Any scope"), *((scope, scope) for scope in SCOPES)],
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *STATUS_CHOICES]
    )

    def client_choices_set(self, choices: Sequence[tuple[str, str]]) -> None:
        """Offer the clients of the person's tokens (and keep a chosen one that has none left)."""
        options = [("", "Any client"), *choices]
        chosen = self.data.get("client", "") if self.is_bound else ""
        if chosen and chosen not in dict(options):
            options.append((chosen, chosen))
        self.fields["client"].widget.choices = options  # type: ignore[attr-defined]

    def filters(self) -> dict[str, str]:
        """The valid filters; an invalid one is dropped (and its error shown)."""
        if not self.is_bound:
            return {}
        self.is_valid()  # cleaned_data keeps the fields that are valid
        return {name: str(self.cleaned_data.get(name) or "") for name in FILTERS}


class TokenIdsField(IdsField):
    """Several token ids (checkboxes named alike): positive whole numbers, without repeats."""

    default_error_messages = {
        "required": "Select at least one token to revoke.",
        "invalid": "Token ids are positive whole numbers written with the digits 0 to 9.",
    }


class RevokeManyForm(forms.Form):
    token_ids = TokenIdsField()


class ClientChoiceForm(forms.Form):
    client = IdField()


class WizardClientForm(forms.Form):
    client = forms.TypedChoiceField(
        label="Client",
        coerce=ascii_id,
        empty_value=None,
        # Never "5 is not one of the available choices": name no client by its number.
        error_messages={"invalid_choice": "That is not one of your API clients: choose one."},
    )

    def __init__(self, *args: Any, clients: Sequence[ApiClient], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a client…"),
            *((client.id, client.name or client.client_identifier) for client in clients),
        ]


class WizardForm(forms.Form):
    client = IdField(widget=forms.HiddenInput)
    scopes = forms.MultipleChoiceField(
        label="Scopes",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one scope."},
    )
    mode = forms.ChoiceField(
        label="Mode", choices=MODES, widget=forms.RadioSelect, initial="testing"
    )
    client_secret = forms.CharField(
        label="Client secret",
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="Production mode only. Used once for the exchange, never stored or shown.",
    )

    def __init__(self, *args: Any, client: ApiClient | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unavailable_scopes: list[str] = []
        self.fields["scopes"].choices = [(s, scope_label(s)) for s in SCOPES]  # type: ignore[attr-defined]
        if client is not None:
            self.offer(client)

    def offer(self, client: ApiClient) -> None:
        """Offer the scopes this client allows (all of them ticked at first)."""
        allowed = [scope for scope in SCOPES if scope in client.scopes]
        self.unavailable_scopes = [scope for scope in SCOPES if scope not in allowed]
        self.fields["scopes"].choices = [(s, scope_label(s)) for s in allowed]  # type: ignore[attr-defined]
        self.fields["scopes"].initial = allowed
        self.fields["client"].initial = client.id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scopes = data.get("scopes") or []
        if "chat" in scopes and not {"read", "write"} <= set(scopes):
            self.add_error("scopes", CHAT_NEEDS_READ_WRITE)
        if data.get("mode") == "production" and not data.get("client_secret"):
            self.add_error(
                "client_secret",
                "Production mode exchanges the code with the client secret: paste it here. "
                "It was shown once when the client was created or its secret regenerated.",
            )
        return data
