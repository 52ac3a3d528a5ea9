"""Reading pages the way a browser does: forms and their fields, links, the CSRF token.

Standard library only (html.parser), so the load script needs nothing but requests.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

CLIENT_LINK = re.compile(r'href="/clients/(\d+)/"')
HX_HEADERS = re.compile(r"hx-headers='([^']*)'")


@dataclass
class Field:
    name: str
    value: str
    kind: str  # input type, "textarea", "select" or "button"
    checked: bool = False


@dataclass
class Form:
    attrs: dict[str, str]
    fields: list[Field] = field(default_factory=list)

    @property
    def action(self) -> str:
        return self.attrs.get("action", "")

    def values(self, *, button: str | None = None) -> list[tuple[str, str]]:
        """What the browser sends: checked boxes and radios, every other named field, and the
        one button pressed (by name), if any."""
        sent: list[tuple[str, str]] = []
        for item in self.fields:
            if not item.name:
                continue
            if item.kind in {"checkbox", "radio"}:
                if item.checked:
                    sent.append((item.name, item.value or "on"))
            elif item.kind in {"button", "submit"}:
                if button is not None and item.name == button:
                    sent.append((item.name, item.value))
            else:
                sent.append((item.name, item.value))
        return sent

    def value(self, name: str) -> str:
        for item in self.fields:
            if item.name == name and (item.kind not in {"checkbox", "radio"} or item.checked):
                return item.value
        return ""

    def has(self, name: str) -> bool:
        return any(item.name == name for item in self.fields)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._text: Field | None = None  # a textarea or option being read
        self._select: Field | None = None
        self._option_value: str | None = None
        self._option_selected = False
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(values)
            self.forms.append(self._form)
            return
        # Fields may sit outside their form and point at it with form="id".
        form = self._owner(values)
        if form is None:
            return
        if tag == "input":
            form.fields.append(
                Field(
                    values.get("name", ""),
                    values.get("value", ""),
                    values.get("type", "text").lower(),
                    checked="checked" in values,
                )
            )
        elif tag == "button":
            form.fields.append(Field(values.get("name", ""), values.get("value", ""), "button"))
        elif tag == "textarea":
            self._text = Field(values.get("name", ""), "", "textarea")
            form.fields.append(self._text)
        elif tag == "select":
            self._select = Field(values.get("name", ""), "", "select")
            self._first_option = None
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option_value = values.get("value")
            self._option_selected = "selected" in values

    def _owner(self, values: dict[str, str]) -> Form | None:
        owner = values.get("form")
        if owner:
            return next((f for f in self.forms if f.attrs.get("id") == owner), None)
        return self._form

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.value += data
        elif self._select is not None and self._option_value is None:
            self._option_value = data.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            if self._text is not None and self._text.value.startswith("\n"):
                self._text.value = self._text.value[1:]  # HTML drops the first newline
            self._text = None
        elif tag == "option" and self._select is not None:
            value = self._option_value or ""
            if self._first_option is None:
                self._first_option = value
                self._select.value = value
            if self._option_selected:
                self._select.value = value
            self._option_value = None
            self._option_selected = False
        elif tag == "select":
            self._select = None


def forms_of(page: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(page)
    parser.close()
    return parser.forms


def form_with(page: str, *, action: str | None = None, field_name: str | None = None) -> Form:
    """The first form posting to `action` (a path) or holding `field_name`; AssertionError."""
    for form in forms_of(page):
        if action is not None and form.action.split("?")[0] != action:
            continue
        if field_name is not None and not form.has(field_name):
            continue
        return form
    raise LookupError(f"no form (action={action!r}, field={field_name!r}) on the page")


def htmx_csrf(page: str) -> str:
    """The CSRF token the page gives htmx (base.html: hx-headers on the body)."""
    found = HX_HEADERS.search(page)
    if not found:
        return ""
    try:
        return str(json.loads(html.unescape(found.group(1))).get("X-CSRFToken", ""))
    except ValueError:
        return ""


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return found.group(1) if found else htmx_csrf(page)


def client_ids(page: str) -> set[int]:
    """The clients a page links to (rows of the list, the client of a reveal)."""
    return {int(number) for number in CLIENT_LINK.findall(page)}


def text_of(fragment: str) -> str:
    """Markup dropped, entities read, spaces squeezed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def between(page: str, start: str, end: str) -> str:
    """The text between two markers ("" if they are not there)."""
    _head, found, tail = page.partition(start)
    if not found:
        return ""
    return tail.partition(end)[0]
