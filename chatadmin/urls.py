from django.contrib import admin
from django.urls import include, path

from chatadmin.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("clients/", include("chatadmin.clients.urls")),
    path("tokens/", include("chatadmin.tokens.urls")),
    path("audit/", include("chatadmin.audit.urls")),
    path("settings/", include("chatadmin.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
