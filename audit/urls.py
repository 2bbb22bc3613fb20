from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("accounts/<int:account_id>/history/", views.account_history, name="account_history"),
    path(
        "accounts/<int:account_id>/history/restore/<slug:object_type>/<int:object_id>/",
        views.restore,
        name="restore",
    ),
    path("strategy/history/", views.programme_history, name="programme_history"),
]
