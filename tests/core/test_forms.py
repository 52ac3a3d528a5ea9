"""The shared form pieces: ids in ASCII digits, names that show, problems said without secrets."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from chatadmin.core.forms import (
    ID_INVALID,
    NAME_BIDI,
    NAME_INVISIBLE,
    IdField,
    ascii_id,
    form_problems,
    validate_visible_name,
)

# Digits int() reads but people (and the Chat API) do not mean as an id.
NON_ASCII_DIGITS = [
    "\u0661\u0660",
    "\u06f1\u06f0",
    "\u0967\u0966",
    "\uff11\uff10",
    "\U0001d7cf\U0001d7ce",
    "1\u0660",
    "\u00b2",
]


@pytest.mark.parametrize("text", ["1", "10", " 42 ", "007"])
def test_ascii_ids_are_read(text: str) -> None:
    assert ascii_id(text) == int(text)


@pytest.mark.parametrize("text", [*NON_ASCII_DIGITS, "0", "-3", "+3", "1.0", "1e3", "1_000", ""])
def test_anything_else_is_not_an_id(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        ascii_id(text)
    assert refused.value.messages == [ID_INVALID]


def test_int_really_reads_arabic_indic_digits() -> None:
    """Why ascii_id exists: Python's int() takes any Unicode decimal digits."""
    assert int("\u0661\u0660") == 10


class _IdForm(forms.Form):
    thing = IdField()
    maybe = IdField(required=False)


@pytest.mark.parametrize("text", NON_ASCII_DIGITS)
def test_the_id_field_refuses_non_ascii_digits_with_a_clear_message(text: str) -> None:
    form = _IdForm({"thing": text})
    assert not form.is_valid()
    assert form.errors["thing"] == [ID_INVALID]


def test_the_id_field_reads_ascii_digits_and_allows_empty_when_optional() -> None:
    form = _IdForm({"thing": "12", "maybe": ""})
    assert form.is_valid()
    assert form.cleaned_data == {"thing": 12, "maybe": None}
    assert _IdForm({"thing": ""}).errors["thing"] == ["This field is required."]


@given(st.integers(min_value=1, max_value=10**18))
def test_every_positive_id_round_trips(number: int) -> None:
    assert ascii_id(str(number)) == number


@pytest.mark.parametrize(
    "name",
    [
        "Reporting",
        "José (combining accent: José)",
        "عميل الدعم",
        "客户",
        "👩\u200d💻 tools",  # a zero-width joiner inside an emoji, beside visible text
        "A",
    ],
)
def test_names_that_show_are_accepted(name: str) -> None:
    validate_visible_name(name)


@pytest.mark.parametrize(
    "name", ["Pay\u202eroll", "\u2066admin\u2069", "a\u202ab", "x\u202d", "\u2067y", "\u2068z"]
)
def test_names_with_direction_overrides_or_isolates_are_refused(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_visible_name(name)
    assert refused.value.messages == [NAME_BIDI]


@pytest.mark.parametrize(
    "name",
    [
        "\u200b",
        "\u200b\u200c\u200d",
        "\ufeff",
        "\u00ad",
        "\u2060 \u3000",
        "\u3164",
        "\u2800",
        "\u0301",
    ],
)
def test_names_made_only_of_invisible_characters_are_refused(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_visible_name(name)
    assert refused.value.messages == [NAME_INVISIBLE]


class _SecretForm(forms.Form):
    email = forms.EmailField(label="Chat agent email")
    password = forms.CharField(label="Chat password", widget=forms.PasswordInput, min_length=50)
    role = forms.ChoiceField(choices=[("admin", "admin")])


def test_form_problems_say_what_was_wrong_but_never_the_password() -> None:
    form = _SecretForm({"email": "nope", "password": "hunter2-secret", "role": "x" * 500})
    assert not form.is_valid()
    problems = form_problems(form)
    assert "Chat agent email: Enter a valid email address." in problems
    assert "Chat password: refused (min_length)." in problems
    assert "hunter2" not in problems
    assert "Role: Select a valid choice." in problems
    assert len(problems) < 400  # a huge submitted value is cut short
