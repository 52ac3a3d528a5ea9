"""The Chat API's resources as chatadmin holds them: parsed at the boundary, typed, checked.

Agents, roles, OAuth clients, tokens and token grants, and the one input type that creates
or edits a client. A client's secret exists only in `IssuedSecret`, which only the create and
generate-secret answers produce: a list or show answer that carries `client_secret` (the
public docs' list example does) is read without it, so no page, cache or log can hold it.
"""

from __future__ import annotations

from chatadmin.chat.resources.clients import (
    CLIENT_FIELDS,
    ApiClient,
    ClientInput,
    IssuedSecret,
)
from chatadmin.chat.resources.people import (
    ADMIN_ROLE_NAMES,
    Agent,
    Role,
)
from chatadmin.chat.resources.rows import (
    ClientRow,
    client_rows,
)
from chatadmin.chat.resources.tokens import (
    Token,
    TokenGrant,
)
from chatadmin.chat.resources.values import (
    HIDDEN,
    HINT_LENGTH,
    checked_client_type,
    is_local_uri,
    masked_repr,
    scope_list,
    spaced_items,
    token_hint,
    uri_list,
)

__all__ = [
    "ADMIN_ROLE_NAMES",
    "CLIENT_FIELDS",
    "HIDDEN",
    "HINT_LENGTH",
    "Agent",
    "ApiClient",
    "ClientInput",
    "ClientRow",
    "IssuedSecret",
    "Role",
    "Token",
    "TokenGrant",
    "checked_client_type",
    "client_rows",
    "is_local_uri",
    "masked_repr",
    "scope_list",
    "spaced_items",
    "token_hint",
    "uri_list",
]
