from django.urls import path

from chatadmin.clients import views

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_create, name="create"),
    path("delete/", views.client_delete_many, name="delete_many"),
    path("<int:client_id>/", views.client_detail, name="detail"),
    path("<int:client_id>/edit/", views.client_edit, name="edit"),
    path("<int:client_id>/secret/", views.client_secret, name="secret"),
    path("<int:client_id>/delete/", views.client_delete, name="delete"),
]
