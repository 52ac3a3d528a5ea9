from django.urls import path

from chatadmin.accounts import views

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("people/invite/", views.person_invite, name="person_invite"),
    path("people/<int:person_id>/role/", views.person_role_set, name="person_role_set"),
    path("connection/connect/", views.connection_connect, name="connection_connect"),
    path("connection/callback/", views.connection_callback, name="connection_callback"),
    path("connection/basic/", views.connection_basic, name="connection_basic"),
    path("connection/check/", views.connection_check, name="connection_check"),
    path("connection/delete/", views.connection_delete, name="connection_delete"),
    path("chat/check/", views.chat_sign_in_check, name="chat_sign_in_check"),
    path("chat/link/", views.chat_identity_link, name="chat_identity_link"),
]
