from django.contrib import admin
from django.urls import include, path, re_path

from chatadmin.accounts import passwords
from chatadmin.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("clients/", include("chatadmin.clients.urls")),
    path("tokens/", include("chatadmin.tokens.urls")),
    path("audit/", include("chatadmin.audit.urls")),
    path("settings/", include("chatadmin.accounts.urls")),
    # allauth's password pages, refusing a Chat identity plainly (same paths, matched first).
    path("accounts/password/set/", passwords.password_set),
    path("accounts/password/change/", passwords.password_change),
    re_path(
        r"^accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        passwords.password_reset_from_key,
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
