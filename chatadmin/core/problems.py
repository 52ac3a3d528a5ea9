"""One kind of problem: what stops a person's request, explained in plain words.

Services and selectors raise a `Problem` (or let a `ChatError` through, which `chat_problem`
turns into one); the audited-operation helper records its outcome; one decorator in
`chatadmin.core.rendering` turns it into the problem page or region for every app's views.
"""

from __future__ import annotations

from typing import Literal

from chatadmin.chat import ChatError, ChatUnavailable, explanations

# How the audit log records a problem (the values of chatadmin.audit.models.Outcome).
ProblemOutcome = Literal["failure", "denied", "unknown"]


class Problem(Exception):
    """Something that stops what a person asked for; `explanation` says why, for them."""

    title: str = "That did not work"
    status: int = 400
    outcome: ProblemOutcome = "failure"
    # Whether trying the same thing again can help (a page offers "Try again" only then).
    retry: bool = False
    # The person's session must end (their Chat sign-in is dead): the middleware signs them out.
    signs_out: bool = False
    # What gets the person further, offered as a button: (label, url name, fragment).
    next_step: tuple[str, str, str] | None = None

    def __init__(self, explanation: str) -> None:
        super().__init__(explanation)
        self.explanation = explanation

    def __str__(self) -> str:
        return self.explanation


class NotFound(Problem):
    """No such thing, or not one this person may see (the same answer, so nothing leaks)."""

    title = "Not found"
    status = 404


class Denied(Problem):
    """The policy does not let this person do this."""

    title = "Not allowed"
    status = 403
    outcome = "denied"


class ReadOnly(Denied):
    """Support staff see everything and change nothing."""

    title = "Read-only access"


class InvalidInput(Problem):
    """What the person sent cannot be used; nothing was sent to Chat."""

    title = "Check what you entered"


class NoChatAccess(Problem):
    """This person cannot reach the Chat API for this; the explanation says what to do."""

    title = "No access to Zendesk Chat"
    status = 403


class ChatProblem(Problem):
    """A Chat API failure, with the plain explanation the Chat client gave it."""

    title = "Zendesk Chat did not do it"

    def __init__(self, error: ChatError, *, explanation: str = "") -> None:
        super().__init__(explanation or error.explanation)
        self.error = error
        unavailable = isinstance(error, ChatUnavailable)
        self.status = 503 if unavailable else 502
        self.retry = unavailable


class OutcomeUnknown(ChatProblem):
    """A change was asked of Chat and no answer came back: it may or may not have been made."""

    title = "Zendesk Chat did not answer"
    outcome = "unknown"

    def __init__(self, error: ChatError, *, explanation: str = "") -> None:
        super().__init__(error, explanation=explanation)
        # Trying a create again blindly could make a second client: check first.
        self.retry = False


def chat_problem(error: ChatError, *, if_unknown: str = "") -> ChatProblem:
    """The problem a ChatError is: of unknown outcome when a change may have been made."""
    if error.maybe_done:
        said = if_unknown or "It may or may not have been done: check before trying again."
        cause = explanations.without_advice(error.explanation)
        return OutcomeUnknown(error, explanation=f"{cause} {said}")
    return ChatProblem(error)


def problem_of(failure: Exception, *, if_unknown: str = "") -> Problem:
    """Any failure a person can meet, as a Problem (a ChatError included)."""
    if isinstance(failure, Problem):
        return failure
    if isinstance(failure, ChatError):
        return chat_problem(failure, if_unknown=if_unknown)
    raise TypeError(f"{type(failure).__name__} is not a problem a person can meet") from failure
