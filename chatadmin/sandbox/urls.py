"""The sandbox's URLs: the Chat API, the OAuth endpoints (both host styles), pages, control."""

from django.urls import include, path

from chatadmin.sandbox import control, errors, pages
from chatadmin.sandbox.api import chat_api, legacy_api
from chatadmin.sandbox.oauth import views as oauth

pages_and_oauth = [
    path("", pages.home, name="home"),
    path("health/", pages.health, name="health"),
    path("signin/", pages.signin, name="signin"),
    path("signout/", pages.signout, name="signout"),
    # Legacy (www.zopim.com) and current ({subdomain}.zendesk.com) OAuth paths.
    path("oauth2/authorizations/new", oauth.authorize, name="authorize"),
    path("oauth2/chat/authorizations/new", oauth.authorize, name="authorize-chat"),
    path("oauth2/token", oauth.token, name="token"),
    path("oauth2/chat/token", oauth.token, name="token-chat"),
    path("_sandbox/control/faults", control.faults, name="control-faults"),
    path("_sandbox/control/account", control.account, name="control-account"),
    path("_sandbox/control/token_ttl", control.token_ttl, name="control-token-ttl"),
    path("_sandbox/control/tokens", control.mint_token, name="control-tokens"),
    path("_sandbox/control/token_chain", control.token_chain, name="control-token-chain"),
    path("_sandbox/control/reset", control.reset, name="control-reset"),
    path("_sandbox/control/agent", control.agent, name="control-agent"),
    path("_sandbox/control/agents", control.agents_add, name="control-agents"),
]

urlpatterns = [
    path("", include((pages_and_oauth, "sandbox"))),
    path("api/v2/chat/", chat_api.urls),
    path("api/v2/", legacy_api.urls),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
