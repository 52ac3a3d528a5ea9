"""Request and response schemas: they produce the OpenAPI document and check request bodies.

Responses are built by chatadmin.sandbox.shapes; these classes describe them. Field rules
that pydantic cannot phrase well (patterns, blank names) are published in the document via
`json_schema_extra` and checked by chatadmin.sandbox.validation, with plain messages. Those
checks run inside pydantic's pass (`_checked`), so one 422 names every wrong field: a wrong
type in one field never hides a bad URL in another.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict
from pydantic.json_schema import JsonDict
from pydantic_core import PydanticCustomError

from chatadmin.sandbox import validation
from chatadmin.vocabulary import ClientType

ClientTypeName = ClientType
MAX_ID = 2**63 - 1  # a database bigint; larger ids are simply not found


def _drop_null_default(schema: dict[str, Any]) -> None:
    """Optional-but-not-nullable fields: say nothing about a default the API never sends."""
    for prop in schema.get("properties", {}).values():
        if prop.get("default", "absent") is None:
            del prop["default"]


class Error(Schema):
    error: str = Field(examples=["Not Found"])
    description: str


class ValidationFailure(Error):
    details: dict[str, list[str]] = Field(
        description="Messages per field that was wrong.",
        examples=[{"redirect_uris": ["ftp://x: must be an absolute http(s) URL."]}],
    )


class AgentRoles(Schema):
    owner: bool
    administrator: bool


class AgentOut(Schema):
    id: int
    email: str
    display_name: str
    first_name: str
    last_name: str
    enabled: Literal[0, 1] = Field(description="1 if the agent may sign in, else 0.")
    role_id: int
    roles: AgentRoles
    departments: list[int]
    enabled_departments: list[int]
    skills: list[int]
    create_date: str
    last_login: str | None
    login_count: int


class RoleOut(Schema):
    id: int
    name: str
    description: str
    enabled: bool
    members_count: int
    permissions: dict[str, Any]


# The error type chatadmin.sandbox.api.handlers reads; its context carries the messages.
FIELD_PROBLEMS = "sandbox_field_problems"


def _checked(field: str) -> AfterValidator:
    """validation.py's rules for `field`, reported as one pydantic error with its messages."""

    def check(value: str) -> str:
        problems = validation.field_problems(field, value)
        if problems:
            raise PydanticCustomError(FIELD_PROBLEMS, " ".join(problems), {"problems": problems})
        return value

    return AfterValidator(check)


Name = Annotated[str, _checked("name")]
Company = Annotated[str, _checked("company")]
RedirectUris = Annotated[str, _checked("redirect_uris")]
Scopes = Annotated[str, _checked("scopes")]

_NAME: JsonDict = {"pattern": validation.NAME_PATTERN}
_COMPANY: JsonDict = {"pattern": validation.COMPANY_PATTERN}
_REDIRECT_URIS: JsonDict = {"pattern": validation.REDIRECT_URIS_PATTERN}
_SCOPES: JsonDict = {"pattern": validation.SCOPES_PATTERN}
_REDIRECT_HELP = (
    "One or more absolute URLs separated by spaces; https, or http on localhost, "
    "127.0.0.1 or [::1] only; no fragment."
)
_SCOPES_HELP = "Space-separated scopes from: read, write, chat."
_COMPANY_HELP = "Shown on the consent page; may be null, and stays null until changed."


class ClientOut(Schema):
    id: int
    name: str
    company: str | None = Field(description=_COMPANY_HELP)
    redirect_uris: str = Field(description=_REDIRECT_HELP)
    scopes: str = Field(description=_SCOPES_HELP)
    client_type: ClientTypeName
    client_identifier: str = Field(description="The OAuth client_id.")
    agent_id: int = Field(description="The agent who created the client.")
    create_date: str = Field(examples=["2014-09-01T10:29:59Z"])
    update_date: str


class ClientWithSecretOut(ClientOut):
    client_secret: str = Field(
        description="The full secret: sent only by create and generate_secret, never again."
    )


class ClientCreateIn(Schema):
    name: Name = Field(max_length=validation.MAX_TEXT, json_schema_extra=_NAME)
    company: Company | None = Field(
        "", max_length=validation.MAX_TEXT, description=_COMPANY_HELP, json_schema_extra=_COMPANY
    )
    redirect_uris: RedirectUris = Field(
        max_length=validation.MAX_REDIRECT_URIS,
        description=_REDIRECT_HELP,
        json_schema_extra=_REDIRECT_URIS,
    )
    scopes: Scopes = Field(
        validation.DEFAULT_SCOPES, description=_SCOPES_HELP, json_schema_extra=_SCOPES
    )
    client_type: ClientTypeName = "public"


class ClientUpdateIn(Schema):
    """Any subset of the writable fields; the others, client_type included, are kept.

    The None defaults only mark a field as absent (read with `exclude_unset`); the types stay
    `str`, so an explicit null is refused like any other non-string, except for company,
    which may be null (a GET-modify-PUT round trip of a client with no company).
    """

    model_config = ConfigDict(json_schema_extra=_drop_null_default)

    name: Name = Field(None, max_length=validation.MAX_TEXT, json_schema_extra=_NAME)  # type: ignore[assignment]
    company: Company | None = Field(
        None, max_length=validation.MAX_TEXT, description=_COMPANY_HELP, json_schema_extra=_COMPANY
    )
    redirect_uris: RedirectUris = Field(  # type: ignore[assignment]
        None,
        max_length=validation.MAX_REDIRECT_URIS,
        description=_REDIRECT_HELP,
        json_schema_extra=_REDIRECT_URIS,
    )
    scopes: Scopes = Field(None, description=_SCOPES_HELP, json_schema_extra=_SCOPES)  # type: ignore[assignment]
    client_type: ClientTypeName = Field(None)  # type: ignore[arg-type]


class TokenOut(Schema):
    id: int
    access_token: str = Field(description="A short prefix only, to recognise the token.")
    refresh_token: str | None = Field(description="A short prefix, or null.")
    agent_id: int
    client_identifier: str
    create_date: str
    expire_date: str
    scopes: str
    token_type: Literal["Bearer"]
