"""/o/ is Django OAuth Toolkit's; /bare/ is the floor: a Django view that does nothing."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bare/", bare),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
