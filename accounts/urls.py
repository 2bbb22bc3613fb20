from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/<int:account_id>/", views.account_detail, name="account_detail"),
]
