from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from chatadmin.accounts.zendeskchat.provider import ZendeskChatProvider

urlpatterns = default_urlpatterns(ZendeskChatProvider)
