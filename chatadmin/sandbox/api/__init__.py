"""The sandbox's Chat REST API (django-ninja), served under both host styles.

`/api/v2/chat/...` is the current host's style and `/api/v2/...` the legacy www.zopim.com
style (chat-api.md section 1). One router serves both through two NinjaAPI instances, so
each style has its own OpenAPI document with unique operation ids:
`/api/v2/chat/openapi.json` and `/api/v2/openapi.json`.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.operation import Operation

from chatadmin.sandbox.api import handlers
from chatadmin.sandbox.api.routes import router

DESCRIPTION = """\
A Zendesk-Chat-API-compatible **sandbox** for local development and tests: not Zendesk.

Every path is served twice: `/api/v2/chat/...` (current hosts, `{subdomain}.zendesk.com`) and
`/api/v2/...` (legacy `www.zopim.com`). Authenticate with `Authorization: Bearer <token>`
from `/oauth2/chat/token` (or `/oauth2/token`); basic auth (email and password) works only
when the sandbox's account type is Legacy Chat-only. GET needs the `read` scope, changes the
`write` scope. Errors are `{"error": "<reason>", "description": "<text>"}`; validation
errors add `details` per field.
"""


class ChatApi(NinjaAPI):
    def __init__(self, *, style: str) -> None:
        self.style = style
        super().__init__(
            title=f"Chat API sandbox ({style} paths)",
            version="2",
            description=DESCRIPTION,
            urls_namespace=f"sandbox-{style}-api",
            docs_url=None,  # Swagger UI needs inline scripts; the JSON document is enough.
        )
        handlers.install(self)
        self.add_router("/", router, url_name_prefix=style)

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return f"{self.style}_{operation.view_func.__name__}"


chat_api = ChatApi(style="chat")
legacy_api = ChatApi(style="legacy")
