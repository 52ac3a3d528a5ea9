from django.urls import path

from chatadmin.accounts import views

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("people/invite/", views.person_invite, name="person_invite"),
    path("people/<int:person_id>/role/", views.person_role_set, name="person_role_set"),
]
