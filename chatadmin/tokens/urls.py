from django.urls import path

from chatadmin.tokens.views import inventory, wizard

app_name = "tokens"
urlpatterns = [
    path("", inventory.token_list, name="list"),
    path("<int:token_id>/revoke/", inventory.token_revoke, name="revoke"),
    path("revoke/", inventory.token_revoke_many, name="revoke_many"),
    path("new/", wizard.token_wizard, name="new"),
    path("new/start/", wizard.token_wizard_start, name="start"),
    path("new/redirect-url/", wizard.token_wizard_redirect_add, name="redirect_add"),
    # The one redirect URL the wizard needs: Chat sends codes (query) and tokens (fragment) here.
    path("new/landing/", wizard.token_wizard_landing, name="landing"),
]
