"""Forms for API clients: what a person may type, checked the way the Chat API checks it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import SafeString

from chatadmin.chat import ApiClient, ClientInput
from chatadmin.chat.resources import checked_client_type
from chatadmin.clients.selectors import DEFAULT_SORT, FINDINGS, ClientQuery, checked_sort
from chatadmin.core.forms import IdsField, validate_visible_name
from chatadmin.vocabulary import (
    CLIENT_TYPE_DESCRIPTIONS,
    CLIENT_TYPE_LABELS,
    CLIENT_USE_LABELS,
    LOCAL_HOSTS,
    SCOPE_DESCRIPTIONS,
)

SCOPE_CHOICES = tuple((scope, f"{scope}: {text}") for scope, text in SCOPE_DESCRIPTIONS.items())
CLIENT_TYPE_CHOICES = tuple(CLIENT_TYPE_DESCRIPTIONS.items())
# The Chat API's limits (the sandbox publishes the same ones in its OpenAPI document).
MAX_TEXT = 255
MAX_REDIRECT_URIS = 2000
TYPE_FILTER_CHOICES = (("", "Any type"), *CLIENT_TYPE_LABELS.items())
USE_FILTER_CHOICES = (("", "Any use"), *CLIENT_USE_LABELS.items())

# One DNS label (RFC 1123): letters, digits and inner hyphens; IPv4 addresses pass too.
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f\xa0]")


def normalized_uri(uri: str) -> str:
    """The URL with its scheme and host in lower case (they are case-insensitive), else as typed."""
    scheme, found, rest = uri.partition("://")
    if not found:
        return uri
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    return f"{scheme.lower()}://{rest[:end].lower()}{rest[end:]}"


def _host_problem(netloc: str, scheme: str) -> str | None:
    """What is wrong with the `host[:port]` part, if anything."""
    if "@" in netloc:
        return "must not contain a user name or password."
    if netloc.startswith("["):
        inside, _, after = netloc.partition("]")
        host, colon, port = f"{inside}]", after[:1], after[1:]
        if colon not in ("", ":"):
            return "has a host name that is not valid."
    else:
        host, colon, port = netloc.partition(":")
    if colon and not (port.isdigit() and int(port) <= 65535):
        return "has a port that is not a number from 0 to 65535."
    if host.startswith("["):
        if host == "[::1]" and scheme == "http":
            return None
        return "may use an IPv6 address only as http://[::1]."
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in host.split(".")):
        return "has a host name that is not valid (letters, digits, dots and inner hyphens)."
    return None


def redirect_uri_problem(uri: str) -> str | None:
    """Why the Chat API would refuse this redirect URL, or None when it is fine.

    The Chat dashboard's rule: an absolute URL, https unless it points at this machine
    (localhost, 127.0.0.1 or ::1), and no fragment (RFC 6749 section 3.1.2). `uri` is taken
    as normalized_uri() gives it.
    """
    scheme, _, rest = uri.partition("://")
    if scheme not in ("http", "https"):
        return "must be an absolute URL starting with https:// (or http:// for localhost)."
    if _CONTROL.search(uri):
        return "must not contain spaces or control characters."
    if "#" in uri:
        return "must not contain a fragment (#…)."
    netloc = re.split(r"[/?]", rest, maxsplit=1)[0]
    if problem := _host_problem(netloc, scheme):
        return problem
    if scheme == "http" and urlsplit(uri).hostname not in LOCAL_HOSTS:
        return "plain http is allowed only for localhost, 127.0.0.1 and ::1: use https."
    return None


class RedirectUrisField(forms.CharField):
    """Redirect URLs, one per line; cleaned to a tuple without repeats."""

    widget = forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocapitalize": "off"})

    def to_python(self, value: Any) -> tuple[str, ...]:  # type: ignore[override]
        text = super().to_python(value) or ""
        lines = (normalized_uri(line.strip()) for line in text.splitlines() if line.strip())
        return tuple(dict.fromkeys(lines))

    def validate(self, value: Any) -> None:
        if not value:
            raise ValidationError("Give at least one redirect URL.", code="required")
        if len(" ".join(value)) > MAX_REDIRECT_URIS:
            raise ValidationError(f"At most {MAX_REDIRECT_URIS} characters in all.", code="long")
        problems = []
        for number, uri in enumerate(value, start=1):
            if problem := redirect_uri_problem(uri):
                problems.append(f"Line {number} ({uri}) {problem}")
        if problems:
            raise ValidationError(problems, code="invalid")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (tuple, list)):
            return "\n".join(value)
        return value


class ClientForm(forms.Form):
    """Create or edit a client: name, company, redirect URLs, scopes and type."""

    name = forms.CharField(
        label="Client name",
        max_length=MAX_TEXT,
        error_messages={"required": "Give the client a name."},
        help_text="Shown to people on the consent screen when they allow access.",
        validators=[validate_visible_name],
    )
    company = forms.CharField(
        label="Company",
        max_length=MAX_TEXT,
        required=False,
        help_text="Also on the consent screen, so people know who they are letting in.",
        validators=[validate_visible_name],
    )
    redirect_uris = RedirectUrisField(
        label="Redirect URLs",
        help_text=(
            "One per line. Use https, except for localhost, 127.0.0.1 and ::1. A client whose "
            "URLs are all on localhost is for internal use; any other URL means an external "
            "integration depends on it."
        ),
    )
    scopes = forms.MultipleChoiceField(
        label="Scopes",
        choices=SCOPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one scope."},
        help_text=(
            "What tokens from this client may ask for. The Conversations API needs all three: "
            "<code>read write chat</code>."
        ),
    )
    client_type = forms.ChoiceField(
        label="Client type",
        choices=CLIENT_TYPE_CHOICES,
        widget=forms.RadioSelect,
        initial="public",
        help_text=(
            "The client_credentials grant (a token for the client itself, no person involved) "
            "works only with a confidential client; a public one gets <code>invalid_client</code>."
        ),
    )

    def client_input(self) -> ClientInput:
        """What the person asked for, as the Chat client's input (after is_valid())."""
        data = self.cleaned_data
        return ClientInput(
            name=data["name"],
            company=data["company"],
            redirect_uris=data["redirect_uris"],
            scopes=data["scopes"],
            client_type=checked_client_type(data["client_type"]),
        )


class BlankInput(forms.TextInput):
    """A text input that never shows a value back (a confirmation is typed again each time)."""

    def format_value(self, value: Any) -> str | None:
        return None


class ConfirmNameForm(forms.Form):
    """The client's name, typed: to delete an external client or replace the sign-in secret."""

    confirm_name = forms.CharField(
        label="Type the client's name to confirm",
        required=False,
        max_length=MAX_TEXT,
        widget=BlankInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def confirm_for(self, client: ApiClient) -> None:
        """Name the client in the label."""
        field = self.fields["confirm_name"]
        field.label = format_html(
            'Type the client\'s name, <strong class="confirm-name">{}</strong>, to confirm',
            client.name,
        )


SORT_CHOICES = (
    ("-created", "Newest first"),
    ("created", "Oldest first"),
    ("name", "Name, A to Z"),
    ("-name", "Name, Z to A"),
    ("-updated", "Recently changed"),
    ("updated", "Least recently changed"),
    ("creator", "Creator"),
    ("-creator", "Creator, Z to A"),
    ("type", "Type"),
    ("-type", "Type, confidential first"),
)


class FixedSelect(forms.Select):
    """A select whose choices never change: each way it can look is rendered once per process.

    The list's filters are drawn on every view of it; Django renders a select through a
    template per option, about half a millisecond each time for the same few answers.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        if not (value is None or isinstance(value, str)):
            return super().render(name, value, attrs, renderer)
        key = (
            type(renderer),
            name,
            value,
            tuple(sorted({**self.attrs, **(attrs or {})}.items())),
            tuple(self.choices),
        )
        try:
            hash(key)
        except TypeError:
            return super().render(name, value, attrs, renderer)
        return _fixed_select(
            key, lambda: super(FixedSelect, self).render(name, value, attrs, renderer)
        )


_RENDERED_SELECTS: dict[object, SafeString] = {}
RENDERED_SELECTS_KEPT = 256  # the filters' selects in every state a request has asked for


def _fixed_select(key: object, render: Callable[[], SafeString]) -> SafeString:
    rendered = _RENDERED_SELECTS.get(key)
    if rendered is None:
        rendered = render()
        if len(_RENDERED_SELECTS) >= RENDERED_SELECTS_KEPT:
            _RENDERED_SELECTS.clear()  # odd values asked for: start again rather than grow
        _RENDERED_SELECTS[key] = rendered
    return rendered


class SharedFields(dict[str, forms.Field]):
    """A form's fields that every instance shares instead of deep-copying them.

    Django copies a form's fields for each instance, so that one can change its own (choices
    for a person, a widget's attrs). A form that never does may share them; for the list's
    filters, built on every view, the copy was a tenth of the page's own work.
    """

    def __deepcopy__(self, memo: dict[int, object]) -> SharedFields:
        return self


class ClientFilterForm(forms.Form):
    """The list's search, filters and order (all in the URL, so a view can be bookmarked)."""

    q = forms.CharField(label="Search", required=False, max_length=MAX_TEXT)
    type = forms.ChoiceField(
        label="Type", required=False, choices=TYPE_FILTER_CHOICES, widget=FixedSelect
    )
    use = forms.ChoiceField(
        label="Use", required=False, choices=USE_FILTER_CHOICES, widget=FixedSelect
    )
    finding = forms.ChoiceField(
        label="Finding", required=False, choices=(("", "None"), *FINDINGS.items())
    )
    sort = forms.ChoiceField(label="Sort", required=False, choices=SORT_CHOICES, widget=FixedSelect)

    def selects(self, query: ClientQuery) -> dict[str, SafeString]:
        """The Type, Use and Sort selects showing what the list shows (`<name>_select`, with
        ids `id_<name>`).

        The query's values, not the request's: an unknown type or order shows as the list
        takes it (every type, newest first).
        """
        shown = {"type": query.client_type, "use": query.use, "sort": query.sort}
        return {
            f"{name}_select": self.fields[name].widget.render(
                name, value, attrs={"id": f"id_{name}"}
            )
            for name, value in shown.items()
        }

    def query(self) -> ClientQuery:
        """The valid search, filters and order (an invalid one is ignored, as if not given)."""
        if not self.is_bound or not self.is_valid():
            return ClientQuery()
        data = self.cleaned_data
        return ClientQuery(
            text=data["q"].strip(),
            client_type=data["type"],
            use=data["use"],
            finding=data["finding"],
            sort=checked_sort(data["sort"] or DEFAULT_SORT),
        )


# Nothing changes one of its fields per request: every instance shares them.
ClientFilterForm.base_fields = SharedFields(ClientFilterForm.base_fields)


class ClientIdsForm(forms.Form):
    """The clients ticked on the list for Delete Selected."""

    client = IdsField(error_messages={"required": "Select at least one client to delete."})
