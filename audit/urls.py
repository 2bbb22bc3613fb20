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
    path(
        "accounts/<int:account_id>/history/undo/<slug:object_type>/<int:object_id>/",
        views.undo_removal,
        name="undo_removal",
    ),
    path("strategy/history/", views.programme_history, name="programme_history"),
]
