"""The client form checks redirect URLs the way the Chat API does, line by line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatadmin.clients.forms import (
    ClientFilterForm,
    ClientForm,
    normalized_uri,
    redirect_uri_problem,
)
from chatadmin.clients.selectors import ClientQuery
from chatadmin.sandbox.errors import Unprocessable
from chatadmin.sandbox.validation import REDIRECT_URI, validate


def form(**overrides: object) -> ClientForm:
    data = {
        "name": "Reporting",
        "company": "Acme",
        "redirect_uris": "https://app.example.com/cb",
        "scopes": ["read", "write"],
        "client_type": "confidential",
        **overrides,
    }
    return ClientForm(data)


@pytest.mark.parametrize(
    "uri",
    [
        "https://app.example.com/cb",
        "https://app.example.com:8443/cb?x=1&y=2",
        "https://intranet/cb",
        "http://localhost:8080",
        "http://127.0.0.1/cb",
        "http://[::1]:3000/cb",
    ],
)
def test_valid_redirect_urls(uri: str) -> None:
    assert redirect_uri_problem(uri) is None


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("http://example.com/cb", "plain http is allowed only for localhost"),
        ("http://127.0.0.2/cb", "plain http is allowed only for localhost"),
        ("ftp://example.com", "must be an absolute URL"),
        ("/callback", "must be an absolute URL"),
        ("example.com/cb", "must be an absolute URL"),
        ("https://example.com/cb#done", "must not contain a fragment"),
        ("https://example.com:99999/", "port"),
        ("https://user:pw@example.com/", "user name or password"),
        ("https://exa_mple.com/", "host name"),
        ("https://", "host name"),
        ("https://[::1]/cb", "IPv6"),
    ],
)
def test_invalid_redirect_urls_say_why(uri: str, problem: str) -> None:
    said = redirect_uri_problem(uri)
    assert said is not None and problem in said


def test_each_bad_line_gets_its_own_message_with_its_number() -> None:
    bound = form(redirect_uris="https://ok.example.com/cb\n\nhttp://example.com/cb\nftp://x")
    assert not bound.is_valid()
    messages = bound.errors["redirect_uris"]
    assert messages == [
        "Line 2 (http://example.com/cb) plain http is allowed only for localhost, 127.0.0.1 and "
        "::1: use https.",
        "Line 3 (ftp://x) must be an absolute URL starting with https:// (or http:// for "
        "localhost).",
    ]


def test_lines_are_trimmed_deduplicated_and_scheme_and_host_lower_cased() -> None:
    bound = form(redirect_uris="  HTTPS://App.Example.com/CB \nhttps://app.example.com/CB\n\n")
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["redirect_uris"] == ("https://app.example.com/CB",)


def test_a_name_a_redirect_url_and_a_scope_are_required() -> None:
    bound = form(name="   ", redirect_uris="\n \n", scopes=[], client_type="")
    assert not bound.is_valid()
    assert bound.errors["name"] == ["Give the client a name."]
    assert bound.errors["redirect_uris"] == ["Give at least one redirect URL."]
    assert bound.errors["scopes"] == ["Choose at least one scope."]
    assert "client_type" in bound.errors


def test_unknown_scopes_and_types_are_refused() -> None:
    bound = form(scopes=["read", "admin"], client_type="secret")
    assert not bound.is_valid()
    assert set(bound.errors) == {"scopes", "client_type"}


def test_filters_ignore_invalid_values() -> None:
    asked = ClientFilterForm({"q": " crm ", "type": "public", "use": "external", "sort": "name"})
    assert asked.query() == ClientQuery(
        text="crm", client_type="public", use="external", sort="name"
    )
    assert ClientFilterForm({"type": "bogus"}).query() == ClientQuery()
    assert ClientFilterForm({"sort": "--name"}).query().sort == "-created"
    assert ClientFilterForm({"sort": "secret"}).query().sort == "-created"


# The sandbox publishes the Chat API's rule as a pattern; the form must agree with it.
_schemes = st.sampled_from(["https", "http", "HTTPS", "ftp", ""])
_hosts = st.sampled_from(
    [
        "app.example.com",
        "localhost",
        "LOCALHOST",
        "127.0.0.1",
        "127.0.0.2",
        "[::1]",
        "intranet",
        "exa_mple.com",
        "-bad.example",
        "example.com.",
        "user@example.com",
        "",
    ]
)
_ports = st.sampled_from(["", ":8080", ":65535", ":65536", ":", ":x"])
_rests = st.sampled_from(["", "/", "/cb", "/cb?x=1", "/cb#frag", "/a b", "/a\tb", "/ünï", "?q"])


@given(scheme=_schemes, host=_hosts, port=_ports, rest=_rests)
def test_the_form_accepts_exactly_what_the_api_pattern_accepts(
    scheme: str, host: str, port: str, rest: str
) -> None:
    uri = normalized_uri(f"{scheme}://{host}{port}{rest}" if scheme else f"{host}{port}{rest}")
    try:
        validate({"redirect_uris": uri})
        api_accepts = " " not in uri.strip()  # the API splits on spaces: one URL per item
    except Unprocessable:
        api_accepts = False
    assert (redirect_uri_problem(uri) is None) is api_accepts, (uri, REDIRECT_URI)


@pytest.mark.parametrize("field", ["name", "company"])
@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("CRM \u202ebridge", "change the text direction"),
        ("\u2066Acme\u2069", "change the text direction"),
        ("\u200b\u200d", "at least one visible character"),
        ("\u3164", "at least one visible character"),
    ],
)
def test_names_that_hide_or_turn_text_are_refused(field: str, value: str, says: str) -> None:
    bound = form(**{field: value})
    assert not bound.is_valid()
    assert says in " ".join(str(error) for error in bound.errors[field])


def test_names_in_any_script_are_fine() -> None:
    assert form(name="عميل التقارير", company="株式会社").is_valid()


def test_filter_forms_share_their_fields_but_not_their_data_or_errors() -> None:
    # Built on every view of the list: the fields are shared, never copied per form.
    valid = ClientFilterForm({"q": "crm", "sort": "name"})
    invalid = ClientFilterForm({"type": "bogus"})

    assert valid.fields is invalid.fields is ClientFilterForm.base_fields
    assert invalid.query() == ClientQuery() and "type" in invalid.errors
    assert valid.query() == ClientQuery(text="crm", sort="name") and not valid.errors
    assert ClientFilterForm().query() == ClientQuery()
