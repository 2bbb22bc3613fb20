from django.urls import path

from . import views

app_name = "notifications"

# The page kept the address it had when it belonged to delivery.
urlpatterns = [
    path("delivery/notifications/", views.index, name="index"),
    path("delivery/notifications/read-all/", views.read_all, name="read_all"),
    path("delivery/notifications/<int:notification_id>/read/", views.read, name="read"),
]
