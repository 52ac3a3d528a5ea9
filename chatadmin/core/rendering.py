"""Rendering for people and for htmx: one region helper, one problem decorator, one form renderer.

- `render_page` renders the region htmx names in `HX-Target` when the template defines it as a
  partial (`{% partialdef <id> %}`), and the whole page otherwise (a history restore, a plain
  link, a region the page does not have).
- `explains_problems` turns a `Problem` (or a `ChatError`) raised by a view's service or
  selector into the problem page, or into the targeted region for htmx.
- `FormRenderer` gives every Django form one field template (`forms/field.html`).
- `fragment` draws a piece of a page from values alone, once per process for each set of them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString

from chatadmin.chat import ChatError
from chatadmin.core.problems import Problem, chat_problem

PROBLEM_TEMPLATE = "core/problem.html"


class FormRenderer(TemplatesSetting):
    """Django's form renderer with chatadmin's one form and field templates."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


# Fragments kept drawn in each process (the list's filters and column heads in every state
# that views have asked for lately).
FRAGMENTS_KEPT = 512


def fragment(template: str, **values: Hashable) -> SafeString:
    """A piece of a page drawn from `template` and `values` alone, once per process for each
    set of values (the later times it is taken as drawn).

    For the parts of a busy page that many views draw alike, where the template engine's cost
    per variable adds up. Nothing else reaches the template: no request, so no context
    processor, no CSRF token and no nonce; every value must be hashable, and equal values
    must draw the same.
    """
    return _fragment(template, tuple(sorted(values.items())))


@functools.lru_cache(maxsize=FRAGMENTS_KEPT)
def _fragment(template: str, values: tuple[tuple[str, Hashable], ...]) -> SafeString:
    return SafeString(get_template(template).render(dict(values)))


@functools.cache
def _has_region(template: str, region: str) -> bool:
    try:
        get_template(f"{template}#{region}")
    except TemplateDoesNotExist:
        return False
    return True


def htmx_target(request: HttpRequest) -> str:
    """The element id htmx will swap the answer into, or "" for a full page load."""
    htmx = getattr(request, "htmx", None)
    return str(htmx.target or "") if htmx else ""


def render_page(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """The region htmx targets if the template has it (200, so htmx swaps it), else the page."""
    target = htmx_target(request)
    if target and _has_region(template, target):
        return render(request, f"{template}#{target}", context)
    return render(request, template, context, status=status)


def problem_response(
    request: HttpRequest, problem: Problem, *, back: tuple[str, str] | None = None
) -> HttpResponse:
    """The plain page for a problem; for htmx, the same words in place of the targeted region."""
    back_url, back_label = "", ""
    if back is not None:
        try:
            back_url, back_label = reverse(back[0]), back[1]
        except NoReverseMatch:
            back_url = ""
    next_url, next_label = "", ""
    if problem.next_step is not None:
        next_label, name, fragment = problem.next_step
        next_url = reverse(name) + fragment
    context = {
        "problem": problem,
        "title": problem.title,
        "next_url": next_url,
        "next_label": next_label,
        # After a POST, "Try again" leads back to the page the form was on.
        "retry_url": (request.get_full_path() if request.method == "GET" else request.path)
        if problem.retry
        else "",
        "back_url": back_url,
        "back_label": back_label,
        "region": htmx_target(request),
    }
    if context["region"]:
        return render(request, f"{PROBLEM_TEMPLATE}#problem", context)
    return render(request, PROBLEM_TEMPLATE, context, status=problem.status)


def explains_problems(
    *, back: tuple[str, str] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Turn the problems a person can meet in this view into the problem page or region.

    `back`: (url name, label) of where the page offers to go back to.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except Problem as problem:
                if problem.signs_out:
                    raise  # the request middleware signs the person out
                return problem_response(request, problem, back=back)
            except ChatError as error:
                return problem_response(request, chat_problem(error), back=back)

        return wrapper

    return decorate
