"""One person at the dashboard: a cookie jar, real sign-in with Zendesk Chat, and the things
people do — list, open, create, edit, regenerate, delete, Delete Selected, tokens, revoke —
each sent as the pages send it, with or without htmx, and each answer read for what it told.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests

from bench.loadtest import forms
from bench.loadtest.ledger import (
    DENIED,
    FAILURE,
    NO_ANSWER,
    REFUSED,
    SUCCESS,
    UNCERTAIN,
    UNKNOWN,
    ClientFacts,
    Ledger,
    TokenFacts,
    digest,
)
from bench.loadtest.stack import Person
from chatadmin.sandbox import demo

# Longer than the dashboard's page deadline (8 s) and its read timeout, so a slow answer from
# chatadmin is measured, never cut short by the script.
TIMEOUT = 40
SORTS = ("", "name", "-name", "created", "-created", "updated", "-updated", "creator", "type")
TOKEN_ROW = re.compile(r'<tr id="token-(\d+)"')
PAGES = re.compile(r"Page \d+ of (\d+)")
RESULT_ROW = re.compile(
    r'<tr class="result result--(\w+)">\s*<td data-label="Client">(.*?)</td>.*?'
    r'<td data-label="Why">(.*?)</td>',
    re.S,
)
MESSAGE = re.compile(r'<li class="message message--(\w+)">(.*?)</li>', re.S)
# What an unknown outcome must tell the person to do, per action (the services' wording).
ADVICE = {
    "client.create": "Look for it in the list",
    "client.secret_regenerate": "regenerate the secret again",
    "client.update": "open the client to check",
    "client.delete": "check the list",
    "token.revoke": "check the list",
}


# The problem pages of a policy refusal (recorded as denied).
DENIED_TITLES = (
    "Not allowed",
    "Read-only access",
    "chatadmin's sign-in client",
)


class SignedOut(Exception):
    """The dashboard sent the person to the sign-in page."""


class NoAnswer(Exception):
    """chatadmin's server dropped a page's request without answering (nothing was changed)."""


def no_answer() -> requests.Response:
    """What a change's POST that got no answer at all leaves the script with."""
    response = requests.Response()
    response.status_code = 0
    response._content = b""
    return response


@dataclass(frozen=True)
class Told:
    """What an answer told the person: an outcome, and the words."""

    outcome: str
    said: str


def problem_told(page: str) -> Told | None:
    """chatadmin's plain problem page or region, read: unknown (warning) or failure."""
    if 'class="problem-page"' not in page:
        return None
    region = page.split('class="problem-page"', 1)[1]
    title = forms.text_of(forms.between(region, "<h1", "</h1>").partition(">")[2])
    notice = forms.text_of(forms.between(region, 'role="alert"><p>', "</p>"))
    if "notice--warning" in region.split("</div>", 1)[0] or title == "Zendesk Chat did not answer":
        return Told(UNKNOWN, f"{title}: {notice}")
    if title in DENIED_TITLES:
        return Told(DENIED, f"{title}: {notice}")
    return Told(FAILURE, f"{title}: {notice}")


def form_error_told(page: str) -> Told | None:
    """A form shown again with what went wrong above or beside the fields."""
    for marker in ('class="form-errors"', 'class="field-error"', 'class="notice notice--error"'):
        if marker in page:
            words = forms.text_of(forms.between(page, marker, "</div>").partition(">")[2])
            return Told(FAILURE, words or "the form came back with an error")
    return None


class Visitor:
    """A person's browser: requests, timed and recorded, CSRF tokens read from the pages."""

    def __init__(
        self, url: str, person: Person, ledger: Ledger, rng: random.Random, *, prefix: str
    ) -> None:
        self.url = url
        self.person = person
        self.email = person.email
        self.ledger = ledger
        self.rng = rng
        self.prefix = prefix
        self.session = requests.Session()
        self.csrf = ""
        self.pages = 1
        self.made = 0
        self.sandbox_url = ""
        self.answered_at = time.monotonic()

    # --- HTTP ----------------------------------------------------------------------------
    def send(
        self,
        label: str,
        method: str,
        path: str,
        *,
        data: list[tuple[str, str]] | dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        htmx: str | None = None,
        trigger: str = "",
        current: str = "",
        signed_in: bool = True,
    ) -> requests.Response:
        """One request as the page sends it; `htmx` names the element htmx swaps (HX-Target)."""
        headers = {}
        if method == "POST":
            headers["Origin"] = self.url
        if htmx is not None:
            headers["HX-Request"] = "true"
            headers["HX-Target"] = htmx
            headers["HX-Current-URL"] = urljoin(self.url, current or path)
            if trigger:
                headers["HX-Trigger"] = trigger
            if method == "POST" and self.csrf:
                headers["X-CSRFToken"] = self.csrf
        label = f"{label} htmx" if htmx is not None else label
        started = time.monotonic()
        at = self.ledger.now()
        try:
            response = self.session.request(
                method,
                urljoin(self.url, path),
                data=data,
                params=params,
                headers=headers,
                allow_redirects=False,
                timeout=TIMEOUT,
            )
        except requests.RequestException as error:
            seconds = time.monotonic() - started
            self.ledger.sample(label, 0, seconds, at, False)
            idle = started - self.answered_at
            said = (
                f"{self.email} {method} {path} ({label}): {error!r} after {seconds:.2f} s, "
                f"{idle:.2f} s after the last answer"
            )
            self.ledger.reset(said)
            if method == "POST":
                return no_answer()  # the change's outcome is unknown to the script
            raise NoAnswer(said) from error
        self.answered_at = time.monotonic()
        seconds = self.answered_at - started
        body = response.text
        problem = 'class="problem-page"' in body
        self.ledger.sample(label, response.status_code, seconds, at, problem)
        if response.status_code >= 500 and not problem:
            self.ledger.anomaly(
                f"{self.email} {label} {path}: HTTP {response.status_code} without chatadmin's "
                f"problem page: {forms.text_of(body)[:200]}"
            )
        token = forms.htmx_csrf(body)
        if token:
            self.csrf = token
        if signed_in and self._sent_to_sign_in(response):
            raise SignedOut(f"{label} {path}")
        return response

    @staticmethod
    def _sent_to_sign_in(response: requests.Response) -> bool:
        target = response.headers.get("HX-Redirect") or (
            response.headers.get("Location", "") if response.is_redirect else ""
        )
        return urlsplit(target).path.startswith("/accounts/login/")

    def follow(self, response: requests.Response, label: str = "follow") -> requests.Response:
        """Where a browser goes next: a plain redirect, or htmx's HX-Redirect (a full load)."""
        target = response.headers.get("HX-Redirect") or response.headers.get("Location", "")
        return self.send(label, "GET", target)

    # --- signing in with Zendesk Chat ----------------------------------------------------
    def sign_in(self) -> None:
        """Press "Sign in with Zendesk Chat", sign in on the sandbox, allow, come back."""
        page = self.send("sign-in page", "GET", "/accounts/login/", signed_in=False)
        button = forms.form_with(page.text, action="/accounts/zendeskchat/login/")
        start = self.send(
            "sign-in start", "POST", button.action, data=button.values(), signed_in=False
        )
        if start.status_code != 302:
            raise RuntimeError(f"sign-in did not go to Chat: HTTP {start.status_code}")
        at_chat = self._chat(start.headers["Location"])
        signin = forms.form_with(at_chat.text, field_name="password")
        values = dict(signin.values())
        values.update(username=self.email, password=demo.PASSWORD)
        consent = self._chat_post(at_chat.url, signin.action, values)
        allow = forms.form_with(consent.text, field_name="decision")
        back = self._chat_post(
            consent.url, allow.action, dict(allow.values(button="decision")) | {"decision": "allow"}
        )
        callback = back.headers.get("Location", "")
        if not callback.startswith(self.url):
            raise RuntimeError(f"Chat did not send {self.email} back: {back.status_code}")
        landed = self.send("sign-in callback", "GET", callback, signed_in=False)
        if landed.status_code != 302 or urlsplit(landed.headers["Location"]).path != "/":
            raise RuntimeError(f"{self.email} did not land on the overview: {landed.status_code}")
        self.send("overview", "GET", "/")

    def _chat(self, url: str) -> requests.Response:
        """Follow redirects on the sandbox (never off it)."""
        response = self.session.get(url, allow_redirects=False, timeout=TIMEOUT)
        while response.is_redirect:
            target = urljoin(response.url, response.headers["Location"])
            if target.startswith(self.url):
                return response
            response = self.session.get(target, allow_redirects=False, timeout=TIMEOUT)
        return response

    def _chat_post(self, page_url: str, action: str, values: dict[str, str]) -> requests.Response:
        response = self.session.post(
            urljoin(page_url, action), data=values, allow_redirects=False, timeout=TIMEOUT
        )
        if response.is_redirect:
            target = urljoin(response.url, response.headers["Location"])
            if target.startswith(self.url):
                return response
            return self._chat(target)
        return response

    # --- choosing ------------------------------------------------------------------------
    def _mine(self, *, others: bool = False) -> ClientFacts | None:
        """A client of theirs (or, for admins, someone else's) nobody else is changing now."""
        pool = self.person.others if others else list(self.person.clients)
        with self.ledger.lock:
            free = [
                self.ledger.clients[client_id]
                for client_id in pool
                if client_id in self.ledger.clients
                and self.ledger.clients[client_id].exists
                and not self.ledger.clients[client_id].retired
                and not self.ledger.clients[client_id].busy
            ]
            if not free:
                return None
            chosen = self.rng.choice(free)
            chosen.busy = True
            return chosen

    def _target(self) -> ClientFacts | None:
        others = self.person.admin and self.rng.random() < 0.4
        return self._mine(others=others) or (self._mine() if others else None)

    def _release(self, *clients: ClientFacts) -> None:
        with self.ledger.lock:
            for client in clients:
                client.busy = False

    # --- reading -------------------------------------------------------------------------
    def client_list(self, htmx: bool) -> None:
        params: dict[str, str] = {}
        sort = self.rng.choice(SORTS)
        if sort:
            params["sort"] = sort
        if self.rng.random() < 0.3:
            params["q"] = self.rng.choice(
                [f"p{self.person.number:02d}", "seed", "Generated client 1", "Edited", "c1"]
            )
        elif self.pages > 1 and self.rng.random() < 0.6:
            params["page"] = str(self.rng.randint(1, self.pages))
        started = self.ledger.now()
        response = self.send(
            "list",
            "GET",
            "/clients/",
            params=params,
            htmx="clients" if htmx else None,
            trigger="client-filters" if htmx and "q" in params else "",
            current="/clients/",
        )
        self._list_seen("list", started, response)

    def _list_seen(self, label: str, started: float, response: requests.Response) -> None:
        page = response.text
        if response.status_code != 200:
            self.ledger.anomaly(f"{self.email} {label}: HTTP {response.status_code}")
            return
        found = PAGES.search(page)
        if found and "q=" not in response.url:
            self.pages = int(found.group(1))
        self.ledger.list_view(self.email, label, started, forms.client_ids(page))

    def client_open(self) -> None:
        client = self._target()
        if client is None:
            return
        try:
            response = self.send("open", "GET", f"/clients/{client.id}/")
            if response.status_code != 200 and not problem_told(response.text):
                self.ledger.anomaly(f"{self.email} open {client.id}: {response.status_code}")
            elif response.status_code == 404:
                self.ledger.anomaly(f"{self.email} open {client.id}: not found, yet not deleted")
        finally:
            self._release(client)

    def token_list(self, htmx: bool) -> set[int]:
        params = {"status": "active"} if htmx and self.rng.random() < 0.5 else {}
        response = self.send(
            "tokens",
            "GET",
            "/tokens/",
            params=params,
            htmx="inventory" if htmx else None,
            trigger="token-filters" if params else "",
            current="/tokens/",
        )
        if response.status_code != 200:
            self.ledger.anomaly(f"{self.email} tokens: HTTP {response.status_code}")
        return {int(found) for found in TOKEN_ROW.findall(response.text)}

    # --- changing ------------------------------------------------------------------------
    def _told(self, action: str, response: requests.Response, success: Callable[[], bool]) -> Told:
        """Read an answer to a change: success, the problem page, or the form with an error."""
        page = response.text
        if response.status_code == 0:
            return Told(NO_ANSWER, "no answer from chatadmin's server")
        if success():
            return Told(SUCCESS, "")
        told = problem_told(page) or form_error_told(page)
        if told is None:
            self.ledger.anomaly(
                f"{self.email} {action}: an answer that says nothing readable "
                f"(HTTP {response.status_code}): {forms.text_of(page)[:200]}"
            )
            return Told(FAILURE, "unreadable")
        if told.outcome == UNKNOWN and ADVICE[action] not in told.said:
            self.ledger.anomaly(
                f"{self.email} {action}: unknown outcome without the advice "
                f"{ADVICE[action]!r}: {told.said}"
            )
        return told

    @staticmethod
    def _secret(page: str) -> str:
        shown = forms.between(page, 'id="reveal-client-secret"', "</code>")
        return forms.text_of(shown.partition(">")[2])

    def client_create(self, htmx: bool) -> None:
        form_page = self.send("create form", "GET", "/clients/new/")
        form = forms.form_with(form_page.text, action="/clients/new/")
        self.made += 1
        name = f"{self.prefix} p{self.person.number:02d} c{self.made}"
        external = self.rng.random() < 0.5
        values = [(k, v) for k, v in form.values() if k not in {"name", "company", "scopes"}]
        values = [(k, v) for k, v in values if k not in {"redirect_uris", "client_type"}]
        values += [
            ("name", name),
            ("company", f"Person {self.person.number:02d}"),
            ("redirect_uris", demo.EXTERNAL if external else demo.LOCALHOST),
            ("scopes", "read"),
            ("scopes", "write"),
            ("client_type", self.rng.choice(["public", "confidential"])),
        ]
        response = self.send(
            "create",
            "POST",
            "/clients/new/",
            data=values,
            htmx="client-page" if htmx else None,
            current="/clients/new/",
        )
        page = response.text
        told = self._told(
            "client.create",
            response,
            lambda: response.status_code == 200 and "API client created" in page,
        )
        client_id = None
        if told.outcome == SUCCESS:
            shown = forms.client_ids(page)
            secret = self._secret(page)
            if len(shown) != 1 or not secret:
                self.ledger.anomaly(f"{self.email} create: a reveal without one id and a secret")
            else:
                client_id = shown.pop()
                facts = ClientFacts(
                    client_id, name, f"Person {self.person.number:02d}", {digest(secret)}
                )
                self.ledger.client_add(facts)
                self.person.clients[client_id] = {"id": client_id, "name": name}
        self.ledger.creation(self.email, name, told.outcome, client_id)
        self.ledger.act(self.email, "client.create", name, told.outcome, told.said)

    def client_edit(self, htmx: bool) -> None:
        client = self._target()
        if client is None:
            return
        try:
            self._edit(client, htmx)
        finally:
            self._release(client)

    def _edit(self, client: ClientFacts, htmx: bool) -> None:
        path = f"/clients/{client.id}/edit/"
        form_page = self.send("edit form", "GET", path)
        try:
            form = forms.form_with(form_page.text, action=path)
        except LookupError:
            told = problem_told(form_page.text)
            if told is None:
                self.ledger.anomaly(f"{self.email} edit form {client.id}: no form, no problem")
            return  # a read that failed: nothing was asked of Chat, nothing audited
        self.made += 1
        name = form.value("name")
        if self.rng.random() < 0.3:
            name = f"{name.split(' e')[0]} e{self.made}"
        company = f"Edited {self.person.number:02d}-{self.made}"
        values = [(k, v) for k, v in form.values() if k not in {"name", "company"}]
        values += [("name", name), ("company", company)]
        response = self.send(
            "edit", "POST", path, data=values, htmx="client-page" if htmx else None, current=path
        )
        done = f"/clients/{client.id}/"
        told = self._told(
            "client.update",
            response,
            lambda: (
                response.headers.get("HX-Redirect") == done
                or (response.status_code == 302 and response.headers.get("Location") == done)
            ),
        )
        self.ledger.act(self.email, "client.update", client.id, told.outcome, told.said)
        pair = f"{name}\x00{company}"
        with self.ledger.lock:
            if told.outcome == SUCCESS:
                client.names = {pair}
                client.name, client.company = name, company
            else:
                client.retired = True
                if told.outcome in UNCERTAIN:
                    client.unknown, client.before = "client.update", set(client.names)
                    client.names.add(pair)
        if told.outcome == SUCCESS:
            self.follow(response)

    def client_regenerate(self, htmx: bool) -> None:
        client = self._target()
        if client is None:
            return
        try:
            path = f"/clients/{client.id}/secret/"
            form_page = self.send("regenerate form", "GET", path)
            try:
                form = forms.form_with(form_page.text, action=path)
            except LookupError:
                if problem_told(form_page.text) is None:
                    self.ledger.anomaly(f"{self.email} regenerate form {client.id}: no form")
                return
            response = self.send(
                "regenerate",
                "POST",
                path,
                data=form.values(),
                htmx="client-page" if htmx else None,
                current=path,
            )
            page = response.text
            told = self._told(
                "client.secret_regenerate",
                response,
                lambda: response.status_code == 200 and "New secret generated" in page,
            )
            self.ledger.act(
                self.email, "client.secret_regenerate", client.id, told.outcome, told.said
            )
            with self.ledger.lock:
                if told.outcome == SUCCESS:
                    secret = self._secret(page)
                    client.digests = {digest(secret)} if secret else None
                else:
                    client.retired = True
                    if told.outcome in UNCERTAIN:
                        client.unknown, client.before = "client.secret_regenerate", client.digests
                        client.digests = None
        finally:
            self._release(client)

    def client_delete(self, htmx: bool) -> None:
        client = self._target()
        if client is None:
            return
        try:
            path = f"/clients/{client.id}/delete/"
            form_page = self.send("delete form", "GET", path)
            try:
                form = forms.form_with(form_page.text, action=path)
            except LookupError:
                if problem_told(form_page.text) is None:
                    self.ledger.anomaly(f"{self.email} delete form {client.id}: no form")
                return
            values = [(k, v) for k, v in form.values() if k != "confirm_name"]
            if form.has("confirm_name"):
                values.append(("confirm_name", client.name))
            response = self.send(
                "delete",
                "POST",
                path,
                data=values,
                htmx="client-page" if htmx else None,
                current=path,
            )
            told = self._told(
                "client.delete",
                response,
                lambda: (
                    response.headers.get("HX-Redirect") == "/clients/"
                    or (
                        response.status_code == 302
                        and response.headers.get("Location") == "/clients/"
                    )
                ),
            )
            self.ledger.act(self.email, "client.delete", client.id, told.outcome, told.said)
            self.ledger.deleted(client.id, told.outcome)
            if told.outcome == SUCCESS:
                started = self.ledger.now()
                listed = self.follow(response, "list after delete")
                self._list_seen("list after delete", started, listed)
        finally:
            self._release(client)

    def clients_delete_selected(self, htmx: bool) -> None:
        chosen: list[ClientFacts] = []
        for _ in range(self.rng.randint(2, 3)):
            picked = self._target() if not chosen or self.person.admin else self._mine()
            if picked is not None:
                chosen.append(picked)
        if not chosen:
            return
        try:
            self._delete_selected(chosen, htmx)
        finally:
            self._release(*chosen)

    def _delete_selected(self, chosen: list[ClientFacts], htmx: bool) -> None:
        listed = self.send("list", "GET", "/clients/", params={"q": f"p{self.person.number:02d}"})
        token = forms.csrf_of(listed.text)
        ids = [("client", str(client.id)) for client in chosen]
        preview = self.send(
            "delete selected: preview",
            "POST",
            "/clients/delete/",
            data=[("csrfmiddlewaretoken", token), *ids],
        )
        try:
            form = forms.form_with(preview.text, action="/clients/delete/", field_name="confirm")
        except LookupError:
            if problem_told(preview.text) is None:
                self.ledger.anomaly(f"{self.email} delete selected: no confirmation form")
            return  # the preview reads only: nothing was asked of Chat
        values = [(k, v) for k, v in form.values() if not k.startswith("confirm_name_")]
        values += [(f"confirm_name_{client.id}", client.name) for client in chosen]
        response = self.send(
            "delete selected",
            "POST",
            "/clients/delete/",
            data=values,
            htmx="client-page" if htmx else None,
            current="/clients/",
        )
        rows = RESULT_ROW.findall(response.text)
        if response.status_code == 0:
            for client in chosen:
                self.ledger.act(self.email, "client.delete", client.id, NO_ANSWER)
                self.ledger.deleted(client.id, NO_ANSWER)
            return
        if len(rows) != len(chosen):
            told = problem_told(response.text)
            if told is None:
                self.ledger.anomaly(
                    f"{self.email} delete selected: {len(rows)} results for {len(chosen)}: "
                    f"{forms.text_of(response.text)[:200]}"
                )
            return  # nothing per client was reported: no record is expected either
        statuses = {"deleted": SUCCESS, "unknown": UNKNOWN, "failed": FAILURE, "refused": REFUSED}
        for client, (status, label, why) in zip(chosen, rows, strict=True):
            if forms.text_of(label) != client.name:
                self.ledger.anomaly(
                    f"{self.email} delete selected: result for {forms.text_of(label)!r} "
                    f"where {client.name!r} was expected"
                )
            outcome = statuses.get(status, FAILURE)
            said = forms.text_of(why)
            if outcome == UNKNOWN and ADVICE["client.delete"] not in said:
                self.ledger.anomaly(f"{self.email} delete selected: unknown without advice: {said}")
            self.ledger.act(self.email, "client.delete", client.id, outcome, said)
            self.ledger.deleted(client.id, outcome)
        started = self.ledger.now()
        after = self.send("list after delete", "GET", "/clients/")
        self._list_seen("list after delete", started, after)

    def token_revoke(self, htmx: bool) -> None:
        shown = self.token_list(htmx=False)
        with self.ledger.lock:
            free = [
                self.ledger.tokens[token_id]
                for token_id in self.person.tokens
                if self.ledger.tokens[token_id].revoked is False
                and not self.ledger.tokens[token_id].retired
            ]
        if not free:
            return
        token = self.rng.choice(free)
        if token.id not in shown and shown:
            self.ledger.anomaly(f"{self.email} tokens: token {token.id} not listed, not revoked")
        path = f"/tokens/{token.id}/revoke/"
        if htmx:
            response = self.send(
                "revoke",
                "POST",
                path,
                data={"confirm": "yes"},
                htmx="inventory",
                current="/tokens/",
            )
            told = self._token_told_htmx(response)
        else:
            confirm = self.send(
                "revoke: confirm page", "POST", path, data={"csrfmiddlewaretoken": self.csrf}
            )
            try:
                form = forms.form_with(confirm.text, action=path)
            except LookupError:
                self.ledger.anomaly(f"{self.email} revoke {token.id}: no confirmation page")
                return
            response = self.send("revoke", "POST", path, data=form.values())
            told = self._token_told_plain(response)
        self.ledger.act(self.email, "token.revoke", token.id, told.outcome, told.said)
        with self.ledger.lock:
            if told.outcome == SUCCESS:
                token.revoked = True
            else:
                token.retired = True
                if told.outcome in UNCERTAIN:
                    token.revoked = None

    def _token_told(self, level: str, text: str) -> Told:
        if level == "success" and "was revoked" in text:
            return Told(SUCCESS, text)
        if "cannot tell whether" in text:
            if ADVICE["token.revoke"] not in text:
                self.ledger.anomaly(f"{self.email} revoke: unknown without advice: {text}")
            return Told(UNKNOWN, text)
        return Told(FAILURE, text)

    def _token_told_htmx(self, response: requests.Response) -> Told:
        if response.status_code == 0:
            return Told(NO_ANSWER, "no answer from chatadmin's server")
        try:
            events = json.loads(response.headers.get("HX-Trigger", "{}"))
            said = events.get("messages", [])
        except ValueError:
            said = []
        if not said:
            status = response.status_code
            self.ledger.anomaly(f"{self.email} revoke htmx: no message (HTTP {status})")
            return Told(FAILURE, "no message")
        return self._token_told(said[0]["level"], said[0]["text"])

    def _token_told_plain(self, response: requests.Response) -> Told:
        if response.status_code == 0:
            return Told(NO_ANSWER, "no answer from chatadmin's server")
        if not response.is_redirect:
            self.ledger.anomaly(f"{self.email} revoke: HTTP {response.status_code}, no redirect")
            return Told(FAILURE, "no redirect")
        page = self.follow(response, "tokens").text
        found = MESSAGE.search(page)
        if found is None:
            self.ledger.anomaly(f"{self.email} revoke: no message on the tokens page")
            return Told(FAILURE, "no message")
        return self._token_told(found.group(1), forms.text_of(found.group(2)))


def token_facts(person: Person) -> list[TokenFacts]:
    return [TokenFacts(token_id, person.email) for token_id in person.tokens]
