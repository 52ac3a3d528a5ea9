from django.urls import path

from chatadmin.tokens import views

app_name = "tokens"
urlpatterns = [
    path("", views.token_list, name="list"),
]
