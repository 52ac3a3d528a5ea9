"""Form pieces every app uses: ids in ASCII digits, names that can be seen, problems in words."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

ID_INVALID = "An id is a whole number written with the digits 0 to 9."
# Bidirectional embeddings, overrides and isolates make a name read as something else
# ("Trojan Source", CVE-2021-42574; Unicode UAX #9).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
NAME_BIDI = (
    "Names cannot contain characters that change the text direction (U+202A to U+202E, U+2066 "
    "to U+2069): they can make a name look like another."
)
NAME_INVISIBLE = "A name needs at least one visible character."
# Categories that draw nothing: format and control characters, separators, lone combining marks.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Cn"})
# Letters and symbols that fonts draw blank (Hangul fillers, the blank Braille pattern).
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5")
PROBLEM_LIMIT = 200


def ascii_id(value: object) -> int:
    """A positive id from ASCII digits only (int() also takes Arabic-Indic and other digits)."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise ValidationError(ID_INVALID, code="invalid")
    return int(text)


class IdField(forms.IntegerField):
    """An id in a form: ASCII digits only, 1 or more."""

    default_error_messages = {"invalid": ID_INVALID}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        return ascii_id(value)


class IdsField(forms.Field):
    """Several ids (checkboxes named alike): ASCII digits only, without repeats, in order."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"required": "Select at least one.", "invalid": ID_INVALID}

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        ids: list[int] = []
        for item in values:
            try:
                ids.append(ascii_id(item))
            except ValidationError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return list(dict.fromkeys(ids))


def _is_invisible(character: str) -> bool:
    return (
        unicodedata.category(character) in _INVISIBLE_CATEGORIES
        or character.isspace()
        or character in _BLANK_LOOKING
    )


def validate_visible_name(value: str) -> None:
    """Refuse a name with direction-changing characters, or one that shows nothing at all."""
    if any(character in BIDI_CONTROLS for character in value):
        raise ValidationError(NAME_BIDI, code="bidi")
    if value and all(_is_invisible(character) for character in value):
        raise ValidationError(NAME_INVISIBLE, code="invisible")


def form_problems(form: forms.Form) -> str:
    """What was wrong with a bound form, field by field, in words; never a submitted secret.

    A password field's messages are left out (only that it was refused), since a message can
    quote what was typed.
    """
    problems = []
    for name, errors in form.errors.as_data().items():
        field = form.fields.get(name)
        label = str(form[name].label) if field is not None else "Form"
        if field is not None and isinstance(field.widget, forms.PasswordInput):
            problems.append(f"{label}: refused ({', '.join(e.code or 'invalid' for e in errors)}).")
            continue
        for error in errors:
            for message in error.messages:
                text = message if len(message) <= PROBLEM_LIMIT else message[:PROBLEM_LIMIT] + "…"
                problems.append(f"{label}: {text}")
    return " ".join(problems)
