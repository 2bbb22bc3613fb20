from django.urls import path

from . import views

app_name = "accounts"

# The account overview (`accounts:account_detail`, /accounts/<id>/) gathers every stage, so its
# view is portfolio's; kam/urls.py adds it to this namespace.
urlpatterns = [
    path("accounts/", views.account_list, name="account_list"),
    path("settings/", views.user_settings, name="user_settings"),
]
