from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("settings/api-tokens/", views.tokens, name="tokens"),
    path("settings/api-tokens/new/", views.token_create, name="token_create"),
    path("settings/api-tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
