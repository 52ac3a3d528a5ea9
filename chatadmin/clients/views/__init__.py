"""API clients pages: list, detail, create, edit, regenerate the secret, delete, Delete Selected.

Each page works as a plain form without JavaScript; with htmx, the region the request targets
(`#clients` on the list, `#client-page` elsewhere) comes back alone.
"""

from chatadmin.clients.views.bulk import client_delete_many
from chatadmin.clients.views.changing import (
    client_create,
    client_delete,
    client_edit,
    client_secret,
)
from chatadmin.clients.views.reading import client_detail, client_list

__all__ = [
    "client_create",
    "client_delete",
    "client_delete_many",
    "client_detail",
    "client_edit",
    "client_list",
    "client_secret",
]
