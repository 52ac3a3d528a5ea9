"""Reading API clients, as the policy allows: admins and support all, users their own."""

from chatadmin.clients.selectors.listing import (
    DEFAULT_SORT,
    FINDINGS,
    NOT_FOUND,
    SORTS,
    ClientListing,
    ClientNotFound,
    ClientQuery,
    checked_sort,
    client_list,
    client_listing,
    client_names,
    visible_rows,
)
from chatadmin.clients.selectors.one_client import (
    ClientImpact,
    ClientPage,
    DeletePreview,
    client_get,
    client_impact,
    client_page,
    clients_delete_preview,
    live_tokens_of,
)

__all__ = [
    "DEFAULT_SORT",
    "FINDINGS",
    "NOT_FOUND",
    "SORTS",
    "ClientImpact",
    "ClientListing",
    "ClientNotFound",
    "ClientPage",
    "ClientQuery",
    "DeletePreview",
    "checked_sort",
    "client_get",
    "client_impact",
    "client_list",
    "client_listing",
    "client_names",
    "client_page",
    "clients_delete_preview",
    "live_tokens_of",
    "visible_rows",
]
